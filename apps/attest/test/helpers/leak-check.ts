import { expect } from "vitest";
import type { Account } from "../../src/account/account.js";

/** Every secret an account holds: its own two and each integration entry's. */
export function accountSecrets(account: Account): string[] {
  return [
    account.secret,
    account.encryptionSecret,
    ...Object.values(account.hcaptcha.sites).map((site) => site.secret),
    ...Object.values(account.recaptcha.sites).map((site) => site.secret),
    ...Object.values(account.fingerprint.subscriptions).map((sub) => sub.secret),
  ];
}

/**
 * Fails when `text` holds any of `secrets`, or even the last dot-separated part of one (a
 * JWT's or JWE's signature or tag). A secret under 20 characters fails too: it could
 * match by chance, and an empty one (a missing value) would prove nothing.
 */
export function expectNoSecretIn(text: string, secrets: readonly string[]): void {
  for (const secret of secrets) {
    expect(secret.length, "a secret to look for").toBeGreaterThanOrEqual(20);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(secret.split(".").at(-1));
  }
}
