import { randomBytes } from "node:crypto";

/** A secret the sandbox's reCAPTCHA accepts: "6L" + 38 of [A-Za-z0-9_-], like Google's. */
export function newRecaptchaSandboxSecret(): string {
  return `6L${randomBytes(29).toString("base64url").slice(0, 38)}`;
}
