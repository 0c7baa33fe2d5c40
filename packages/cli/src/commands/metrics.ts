import { type FlagSpec, parseFlags, wantsHelp } from "../args.js";
import { parseDuration } from "../durations.js";
import { UsageError } from "../errors.js";
import { formatMetrics } from "../format-metrics.js";
import { openBrowser, shouldOpenBrowser } from "../open-browser.js";
import { portalLink } from "../portal-link.js";
import type { CommandContext } from "./context.js";

export const METRICS_FLAGS: readonly FlagSpec[] = [
  {
    name: "summary",
    kind: "switch",
    help: "print the live summary in the terminal instead of the portal",
  },
  {
    name: "noBrowser",
    kind: "switch",
    help: "print the portal's link without opening a browser",
  },
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
  | { action: "portal"; noBrowser: boolean }
  | { action: "show"; json: boolean; watchSeconds?: number };

/**
 * No flag: the metrics portal (its link, opened in the browser). -summary, -json and
 * -watch: the text summary, as before the portal existed.
 */
export function parseMetricsArgs(argv: readonly string[]): MetricsInvocation {
  if (wantsHelp(argv)) return { action: "help" };
  const flags = parseFlags("metrics", argv, METRICS_FLAGS);
  const summary = flags.has("summary") || flags.has("json") || flags.value("watch") !== undefined;
  if (!summary) return { action: "portal", noBrowser: flags.has("noBrowser") };
  if (flags.has("noBrowser")) {
    throw new UsageError("-noBrowser goes with the portal, not with -summary, -json or -watch");
  }
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
  /** The environment (CI set: never open a browser); process.env by default. */
  env?: Record<string, string | undefined>;
  /** Opens a URL in the default browser; resolves false when none could be started. */
  openBrowser?: (url: string) => Promise<boolean>;
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
 * `approov metrics`: the portal's link, opened signed in (a one-time ticket) in the
 * default browser for a person at a terminal. Otherwise only the plain link is printed
 * (a script's output or a CI log never holds a ticket), except with -noBrowser on a
 * terminal, which prints the signed-in link to open by hand (e.g. over ssh).
 */
export async function runPortal(
  invocation: Extract<MetricsInvocation, { action: "portal" }>,
  ctx: CommandContext,
  options: MetricsOptions = {},
): Promise<void> {
  const client = await ctx.client();
  // Asked for in every case: it checks the admin key and that attest is up.
  const link = await portalLink(client);
  const terminal = options.terminal === true;
  ctx.write(`Metrics portal: ${link.url}\n`);
  if (shouldOpenBrowser(terminal, options.env ?? process.env, invocation.noBrowser)) {
    if (await (options.openBrowser ?? openBrowser)(link.signedIn)) {
      ctx.write("Opened in your browser, signed in for 2 hours (read-only).\n");
      return;
    }
    ctx.write("No browser could be opened.\n");
  }
  if (terminal) {
    ctx.write(`Open it signed in (once, within ${link.expiresInSeconds} s): ${link.signedIn}\n`);
  } else {
    ctx.write(
      "Sign in there with the admin key or METRICS_TOKEN; or run approov metrics in a terminal.\n",
    );
  }
  ctx.write("The text summary: approov metrics -summary [-json] [-watch <seconds>]\n");
}

/**
 * `approov metrics -summary`: attest's live activity summary as the seed's "Live: Web App Activity",
 * once or (-watch) refreshed until Ctrl+C, which ends it with status 0.
 */
export async function runMetrics(
  invocation: Exclude<MetricsInvocation, { action: "help" }>,
  ctx: CommandContext,
  options: MetricsOptions = {},
): Promise<void> {
  if (invocation.action === "portal") return runPortal(invocation, ctx, options);
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
