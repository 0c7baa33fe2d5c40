import { spawn } from "node:child_process";

/** The platform's "open this URL in the default browser" command. */
export function browserCommand(platform: NodeJS.Platform, url: string): [string, string[]] {
  if (platform === "darwin") return ["open", [url]];
  // `start` is a cmd built-in; its first quoted argument is a window title.
  if (platform === "win32") return ["cmd", ["/c", "start", '""', url]];
  return ["xdg-open", [url]];
}

/**
 * Whether to open a browser at all: only for a person at a terminal, never in CI or when
 * told not to (-noBrowser).
 */
export function shouldOpenBrowser(
  terminal: boolean,
  env: Record<string, string | undefined>,
  noBrowser: boolean,
): boolean {
  const ci = env.CI !== undefined && env.CI !== "" && env.CI !== "0" && env.CI !== "false";
  return terminal && !ci && !noBrowser;
}

/**
 * Opens `url` in the default browser, detached. Resolves false when the opener could not
 * be started (none installed: a server without a desktop).
 */
export function openBrowser(url: string, platform = process.platform): Promise<boolean> {
  const [command, args] = browserCommand(platform, url);
  return new Promise((resolve) => {
    const child = spawn(command, args, { detached: true, stdio: "ignore" });
    child.once("error", () => resolve(false));
    child.once("spawn", () => {
      child.unref();
      resolve(true);
    });
  });
}
