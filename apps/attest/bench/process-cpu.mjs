// CPU time of a process (all its threads, libuv pool included) from /proc, so figures per
// request do not depend on what else the shared machine runs. Linux only: elsewhere the
// CPU columns are left out.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

let ticksPerSecond;
function clockTicks() {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** `{user, system}` CPU of `pid` in microseconds, or undefined when /proc is not there. */
export function processCpuSplit(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the ")" that closes the command name: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const toMicros = (ticks) => (Number(ticks) / clockTicks()) * 1e6;
    return { user: toMicros(fields[11]), system: toMicros(fields[12]) };
  } catch {
    return undefined;
  }
}

/** User + system CPU of `pid` in microseconds, or undefined when /proc is not there. */
export function processCpuMicros(pid) {
  const cpu = processCpuSplit(pid);
  return cpu && cpu.user + cpu.system;
}

/** This process's own CPU (user + system, all threads) in microseconds. */
export function ownCpuMicros() {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/** The 1-minute load average, to show how busy the machine was. */
export function loadAverage() {
  try {
    return Number(readFileSync("/proc/loadavg", "utf8").split(" ")[0]);
  } catch {
    return undefined;
  }
}
