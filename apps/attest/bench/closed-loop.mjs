// N concurrent clients, each sending its next request as soon as its previous answer
// arrives, for a warm-up and then a measured window. Only answers that complete inside
// the window count; CPU of the given processes is sampled at the window's edges.
import { performance } from "node:perf_hooks";
import { ownCpuMicros, processCpuSplit } from "./process-cpu.mjs";

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

function snapshot(pids, counters) {
  const cpu = {};
  for (const [name, pid] of Object.entries(pids)) cpu[name] = processCpuSplit(pid);
  return { at: performance.now(), cpu, client: ownCpuMicros(), counters: counters() };
}

/**
 * `request(clientIndex)` resolves true for a 200 answer of the expected shape.
 * `counters()` returns numbers to difference over the window (e.g. signing time).
 * Resolves `{ok, failed, seconds, perSecond, cpuMicros: {name: per request}, ...}`.
 */
export async function closedLoop({ clients, warmupMs, measureMs, request, pids, counters }) {
  let measuring = false;
  let stopped = false;
  let ok = 0;
  let failed = 0;
  let firstFailure;
  const worker = async (index) => {
    while (!stopped) {
      let good = false;
      try {
        good = await request(index);
      } catch (error) {
        if (measuring) firstFailure ??= error;
      }
      if (!measuring) continue;
      if (good) ok += 1;
      else failed += 1;
    }
  };
  const running = Array.from({ length: clients }, (_, i) => worker(i));
  await sleep(warmupMs);
  const start = snapshot(pids, counters);
  measuring = true;
  await sleep(measureMs);
  measuring = false;
  const end = snapshot(pids, counters);
  stopped = true;
  await Promise.all(running);

  const seconds = (end.at - start.at) / 1000;
  const perRequest = (a, b) => (ok === 0 ? undefined : (b - a) / ok);
  const cpuMicros = {};
  /** Share of each process's CPU spent in the kernel (syscalls, thread wake-ups). */
  const systemShare = {};
  for (const name of Object.keys(pids)) {
    const [a, b] = [start.cpu[name], end.cpu[name]];
    if (a === undefined || b === undefined) continue;
    const total = b.user + b.system - (a.user + a.system);
    cpuMicros[name] = perRequest(0, total);
    systemShare[name] = total > 0 ? (b.system - a.system) / total : undefined;
  }
  cpuMicros.client = perRequest(start.client, end.client);
  const counterDelta = {};
  for (const [name, value] of Object.entries(end.counters)) {
    counterDelta[name] = value - start.counters[name];
  }
  return {
    ok,
    failed,
    firstFailure,
    seconds,
    perSecond: ok / seconds,
    cpuMicros,
    systemShare,
    counterDelta,
  };
}
