import { isIP } from "node:net";
import { secretsEqual } from "@shapes/node-service";
import { HCAPTCHA_TEST_SECRET } from "@shapes/protocol";
import type { SiteverifyFields } from "./siteverify-form.js";
import { dummyResponse } from "./test-keys.js";
import type { TokenStore } from "./token-store.js";

/** hCaptcha's siteverify error codes that the sandbox produces. */
export type SiteverifyErrorCode =
  | "missing-input-secret"
  | "invalid-input-secret"
  | "missing-input-response"
  | "invalid-input-response"
  | "expired-input-response"
  | "already-seen-response"
  | "bad-request"
  | "invalid-remoteip"
  | "not-using-dummy-passcode"
  | "sitekey-secret-mismatch";

/** The JSON answer of `POST /siteverify`, field for field as hCaptcha's. */
export interface SiteverifyResult {
  success: boolean;
  challenge_ts?: string;
  hostname?: string;
  credit: false;
  "error-codes"?: SiteverifyErrorCode[];
  score?: number;
  score_reason?: string[];
}

/** hCaptcha tokens are valid for 120 s after issue. */
export const TOKEN_TTL_MS = 120_000;

/** What an hCaptcha secret looks like: "0x" + 40 hex digits. */
const SECRET_FORMAT = /^0x[0-9a-fA-F]{40}$/;

/** The hostname siteverify reports for the dummy test tokens. */
export const DUMMY_HOSTNAME = "dummy-key-pass";

export function failure(...codes: SiteverifyErrorCode[]): SiteverifyResult {
  return { success: false, credit: false, "error-codes": codes };
}

function success(issuedAt: number, hostname: string): SiteverifyResult {
  return {
    success: true,
    challenge_ts: new Date(issuedAt).toISOString(),
    hostname,
    credit: false,
  };
}

/**
 * Judges one siteverify request against the issued-token store. Marks a real token as
 * seen on its first check, whatever the outcome, so every token verifies at most once.
 */
export function verifyResponse(
  fields: SiteverifyFields,
  store: TokenStore,
  now: number,
): SiteverifyResult {
  const { secret, response, remoteip, sitekey } = fields;
  const missing: SiteverifyErrorCode[] = [];
  if (!secret) missing.push("missing-input-secret");
  if (!response) missing.push("missing-input-response");
  if (!secret || !response) return failure(...missing);
  if (remoteip !== undefined && remoteip !== "" && isIP(remoteip) === 0) {
    return failure("invalid-remoteip");
  }

  if (secretsEqual(secret, HCAPTCHA_TEST_SECRET)) {
    const dummy = dummyResponse(response);
    if (dummy === undefined) return failure("not-using-dummy-passcode");
    if (sitekey && sitekey !== dummy.siteKey) return failure("sitekey-secret-mismatch");
    const result = success(now, DUMMY_HOSTNAME);
    if (dummy.score !== undefined) {
      result.score = dummy.score;
      result.score_reason = dummy.scoreReason ?? [];
    }
    return result;
  }

  // Any well-formed secret is accepted: the sandbox has no accounts.
  if (!SECRET_FORMAT.test(secret)) return failure("invalid-input-secret");
  const token = store.get(response);
  if (token === undefined) return failure("invalid-input-response");
  const firstCheck = !token.seen;
  token.seen = true;
  if (now - token.issuedAt >= TOKEN_TTL_MS) return failure("expired-input-response");
  if (!firstCheck) return failure("already-seen-response");
  if (sitekey && sitekey !== token.siteKey) return failure("sitekey-secret-mismatch");
  return success(token.issuedAt, token.hostname);
}
