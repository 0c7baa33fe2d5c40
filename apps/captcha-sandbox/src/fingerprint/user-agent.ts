/** Fingerprint's `browserDetails` (without the older API's `botProbability`). */
export interface BrowserDetails {
  browserName: string;
  browserMajorVersion: string;
  browserFullVersion: string;
  os: string;
  osVersion: string;
  device: string;
  userAgent: string;
}

const BROWSERS: [name: string, pattern: RegExp][] = [
  ["Edge", /\bEdg(?:e|A|iOS)?\/([\d.]+)/],
  ["Opera", /\bOPR\/([\d.]+)/],
  ["Chrome Headless", /\bHeadlessChrome\/([\d.]+)/],
  ["Chrome", /\b(?:Chrome|CriOS)\/([\d.]+)/],
  ["Firefox", /\b(?:Firefox|FxiOS)\/([\d.]+)/],
  ["Safari", /\bVersion\/([\d.]+).*\bSafari\//],
];

function osOf(ua: string): [os: string, version: string] {
  let match = /Windows NT ([\d.]+)/.exec(ua);
  if (match) return ["Windows", match[1] === "10.0" ? "10" : (match[1] ?? "")];
  match = /(?:iPhone|CPU) OS ([\d_]+)/.exec(ua);
  if (match) return ["iOS", (match[1] ?? "").replaceAll("_", ".")];
  match = /Mac OS X ([\d_.]+)/.exec(ua);
  if (match) return ["Mac OS X", (match[1] ?? "").replaceAll("_", ".")];
  match = /Android ([\d.]+)/.exec(ua);
  if (match) return ["Android", match[1] ?? ""];
  if (/CrOS/.test(ua)) return ["Chrome OS", ""];
  if (/Linux/.test(ua)) return ["Linux", ""];
  return ["Other", ""];
}

/**
 * A rough reading of a User-Agent string: enough to fill `browserDetails` the way
 * Fingerprint does for common browsers. Unknown browsers are "Other".
 */
export function browserDetails(userAgent: string): BrowserDetails {
  let browserName = "Other";
  let version = "";
  for (const [name, pattern] of BROWSERS) {
    const match = pattern.exec(userAgent);
    if (match) {
      browserName = name;
      version = match[1] ?? "";
      break;
    }
  }
  const parts = version.split(".").filter((part) => part !== "");
  const [os, osVersion] = osOf(userAgent);
  const device = /iPad/.test(userAgent) ? "iPad" : /iPhone/.test(userAgent) ? "iPhone" : "Other";
  return {
    browserName,
    browserMajorVersion: parts[0] ?? "",
    browserFullVersion: parts.slice(0, 3).join("."),
    os,
    osVersion,
    device,
    userAgent,
  };
}
