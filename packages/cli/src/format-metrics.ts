import type { MetricsSummary, OutcomeCounts } from "./metrics-summary.js";

/** Names come from the service: never let one move the cursor or colour the terminal. */
const printable = (text: string) =>
  [...text]
    .map((char) => {
      const code = char.charCodeAt(0);
      return code < 0x20 || (code >= 0x7f && code <= 0x9f) ? "?" : char;
    })
    .join("");

/** Right-aligned columns after a left-aligned name column, two spaces apart. */
function table(header: string[], rows: string[][]): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? "").length)));
  return all.map((row) =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join("   ")
      .trimEnd(),
  );
}

/** Error codes, the most frequent first (since start), then by name. */
function codesOf(summary: MetricsSummary): string[] {
  const total = summary.total.errors;
  const names = new Set([...Object.keys(summary.window.errors), ...Object.keys(total)]);
  return [...names].sort((a, b) => (total[b] ?? 0) - (total[a] ?? 0) || a.localeCompare(b));
}

const errorAnswers = (c: { requests: number; valid: number; invalid: number }) =>
  Math.max(0, c.requests - c.valid - c.invalid);

function outcomeTable(title: string, entries: Record<string, OutcomeCounts>): string[] {
  const names = Object.keys(entries).sort();
  if (names.length === 0) return [`${title}: no requests yet`];
  return table(
    [title, "valid", "invalid", "error"],
    names.map((name) => {
      const c = entries[name] as OutcomeCounts;
      return [`  ${printable(name)}`, `${c.valid}`, `${c.invalid}`, `${c.error}`];
    }),
  );
}

const ms = (value: number | null) => (value === null ? "-" : value.toFixed(1));

/**
 * The summary as the seed's "Live: Web App Activity": the last minute next to the totals
 * since the service started, then per integration, per API and the upstream checks.
 */
export function formatMetrics(summary: MetricsSummary, attestUrl: string, now: Date): string {
  const { window: w, total: t } = summary;
  const lines = [
    "Live: Web App Activity",
    `attest ${attestUrl}, counting since ${summary.since}, as of ${now.toISOString()}`,
    "",
    ...table(
      ["", `last ${w.seconds === 60 ? "minute" : `${w.seconds} s`}`, "since start"],
      [
        ["requests", `${w.requests}`, `${t.requests}`],
        ["  valid", `${w.valid}`, `${t.valid}`],
        ["  invalid", `${w.invalid}`, `${t.invalid}`],
        ["  errors", `${errorAnswers(w)}`, `${errorAnswers(t)}`],
        ...codesOf(summary).map((code) => [
          `    ${printable(code)}`,
          `${w.errors[code] ?? 0}`,
          `${t.errors[code] ?? 0}`,
        ]),
        ["  rate-limited", `${w.rateLimited}`, `${t.rateLimited}`],
      ],
    ),
    "",
    ...outcomeTable("by integration", summary.byIntegration),
    "",
    ...outcomeTable("by API", summary.byApi),
    "",
  ];
  const upstream = Object.keys(summary.upstream).sort();
  if (upstream.length === 0) lines.push("upstream checks: none yet");
  else {
    lines.push(
      ...table(
        ["upstream checks", "count", "p50 ms", "p95 ms"],
        upstream.map((name) => {
          const u = summary.upstream[name] as MetricsSummary["upstream"][string];
          return [`  ${printable(name)}`, `${u.count}`, ms(u.p50Ms), ms(u.p95Ms)];
        }),
      ),
    );
  }
  return `${lines.join("\n")}\n`;
}
