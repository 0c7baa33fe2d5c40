import { type FlagSpec, parseFlags, wantsHelp } from "../args.js";
import { parseDuration } from "../durations.js";
import { UsageError } from "../errors.js";
import { formatMetrics } from "../format-metrics.js";
import type { CommandContext } from "./context.js";

export const METRICS_FLAGS: readonly FlagSpec[] = [
  { name: "json", kind: "switch", help: "print the summary as attest answers it (one JSON line)" },
  {
    name: "watch",
    kind: "value",
    valueName: "<seconds>",
    help: "refresh every <seconds> (1 to 3600, or 2s, 1m) until Ctrl+C",
  },
  { name: "help", kind: "switch", help: "show this help" },
];

export const MIN_WATCH_SECONDS = 1;
export const MAX_WATCH_SECONDS = 3600;

export type MetricsInvocation =
  | { action: "help" }
  | { action: "show"; json: boolean; watchSeconds?: number };

export function parseMetricsArgs(argv: readonly string[]): MetricsInvocation {
  if (wantsHelp(argv)) return { action: "help" };
  const flags = parseFlags("metrics", argv, METRICS_FLAGS);
  const invocation: MetricsInvocation = { action: "show", json: flags.has("json") };
  const watch = flags.value("watch");
  if (watch !== undefined) {
    const seconds = parseDuration("watch", watch);
    if (seconds < MIN_WATCH_SECONDS || seconds > MAX_WATCH_SECONDS) {
      throw new UsageError(
        `watch must be between ${MIN_WATCH_SECONDS} and ${MAX_WATCH_SECONDS} seconds, got "${watch}"`,
      );
    }
    invocation.watchSeconds = seconds;
  }
  return invocation;
}

/** Clears the terminal and homes the cursor before each refresh of -watch. */
export const CLEAR_SCREEN = "\x1b[2J\x1b[H";

export interface MetricsOptions {
  /** Ends -watch (Ctrl+C by default). */
  stop?: AbortSignal;
  /** Whether stdout is a terminal: -watch clears the screen only there. */
  terminal?: boolean;
  now?: () => Date;
}

/** Resolves after `ms`, or at once when `stop` fires. */
function pause(ms: number, stop: AbortSignal): Promise<void> {
  return new Promise((done) => {
    if (stop.aborted) return done();
    const timer = setTimeout(finish, ms);
    function finish() {
      clearTimeout(timer);
      stop.removeEventListener("abort", finish);
      done();
    }
    stop.addEventListener("abort", finish, { once: true });
  });
}

/** A signal fired by Ctrl+C, and how to stop listening for it. */
function interruptSignal(): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  process.once("SIGINT", onInterrupt);
  return { signal: controller.signal, release: () => process.off("SIGINT", onInterrupt) };
}

/**
 * `approov metrics`: attest's live activity summary as the seed's "Live: Web App Activity",
 * once or (-watch) refreshed until Ctrl+C, which ends it with status 0.
 */
export async function runMetrics(
  invocation: Exclude<MetricsInvocation, { action: "help" }>,
  ctx: CommandContext,
  options: MetricsOptions = {},
): Promise<void> {
  const client = await ctx.client();
  const now = options.now ?? (() => new Date());
  const show = async (clear: boolean) => {
    const { summary, raw } = await client.metricsSummary();
    const text = invocation.json
      ? `${JSON.stringify(raw)}\n`
      : formatMetrics(summary, client.attestUrl, now());
    ctx.write(clear ? `${CLEAR_SCREEN}${text}` : text);
  };
  if (invocation.watchSeconds === undefined) return show(false);

  const interrupt = options.stop ? undefined : interruptSignal();
  const stop = options.stop ?? (interrupt as { signal: AbortSignal }).signal;
  try {
    let first = true;
    while (!stop.aborted) {
      // JSON lines follow each other; the table replaces itself on a terminal.
      if (!first && !invocation.json && !options.terminal) ctx.write("\n");
      await show(options.terminal === true && !invocation.json);
      first = false;
      await pause(invocation.watchSeconds * 1000, stop);
    }
  } finally {
    interrupt?.release();
  }
}
