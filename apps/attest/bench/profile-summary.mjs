// Reads a V8 .cpuprofile (node --cpu-prof) and lists where the CPU went: by area (crypto,
// jose, hono, node http, ...) and the top functions by self and by total time. Idle time
// is left out, so the shares are of the time the process was actually busy.
import { readFileSync } from "node:fs";

const AREAS = [
  ["(garbage collector)", /^\(garbage collector\)$/],
  ["(program: native, not JS)", /^\(program\)$/],
  ["jose", /node_modules\/jose\//],
  ["hono", /node_modules\/hono\//],
  ["@hono/node-server", /node_modules\/@hono\/node-server\//],
  ["@shapes/verifier", /packages\/verifier\/dist\//],
  ["attest (dist)", /apps\/attest\/dist\//],
  ["node: crypto + webcrypto", /^node:internal\/crypto\//],
  [
    "node: http / net / streams",
    /^node:internal\/(http|_http|streams|net|stream_base|webstreams)|^node:(_http|http|net)/,
  ],
  ["node: url / URL", /^node:internal\/url/],
  ["node: other internals", /^node:/],
];

function areaOf(frame) {
  const where = frame.url || frame.functionName;
  for (const [name, pattern] of AREAS) if (pattern.test(where)) return name;
  return frame.url ? "other JS" : "native / builtins";
}

function shortUrl(url) {
  if (!url) return "";
  const cut = url.replace(/^file:\/\//, "").replace(/^.*\/node_modules\//, "");
  return cut.replace(/^.*\/(apps|packages)\//, "$1/");
}

/** `{busyMs, areas: [[name, ms]], selfTop: [[fn, ms]], totalTop: [[fn, ms]]}`. */
export function summarizeProfile(file, top = 12) {
  const profile = JSON.parse(readFileSync(file, "utf8"));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const label = (node) => {
    const { functionName, url, lineNumber } = node.callFrame;
    return `${functionName || "(anonymous)"} ${shortUrl(url)}${url ? `:${lineNumber + 1}` : ""}`;
  };

  const self = new Map();
  const total = new Map();
  const areas = new Map();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    if (!node || node.callFrame.functionName === "(idle)") return;
    busy += ms;
    const own = label(node);
    self.set(own, (self.get(own) ?? 0) + ms);
    const area = areaOf(node.callFrame);
    areas.set(area, (areas.get(area) ?? 0) + ms);
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at);
      if (!frame.callFrame.url) continue;
      const name = label(frame);
      if (seen.has(name)) continue;
      seen.add(name);
      total.set(name, (total.get(name) ?? 0) + ms);
    }
  });
  const sorted = (map) => [...map.entries()].sort((a, b) => b[1] - a[1]);
  return {
    busyMs: busy,
    areas: sorted(areas),
    selfTop: sorted(self).slice(0, top),
    totalTop: sorted(total).slice(0, top),
  };
}

/** Prints a summary as text. */
export function printProfile(summary) {
  const pct = (ms) => `${((ms / summary.busyMs) * 100).toFixed(1).padStart(5)}%`;
  console.log(`\nattest CPU profile: ${(summary.busyMs / 1000).toFixed(2)} s busy (idle left out)`);
  console.log("  by area (self time):");
  for (const [name, ms] of summary.areas) console.log(`    ${pct(ms)}  ${name}`);
  console.log("  top functions, self time:");
  for (const [name, ms] of summary.selfTop) console.log(`    ${pct(ms)}  ${name}`);
  console.log("  top JS functions, total time (with callees):");
  for (const [name, ms] of summary.totalTop) console.log(`    ${pct(ms)}  ${name}`);
}
