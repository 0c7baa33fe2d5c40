import { isIP } from "node:net";
import { secretsEqual } from "@shapes/node-service";
import type { SiteverifyFields } from "../siteverify-form.js";
import type { TokenStore } from "../token-store.js";
import type { RecaptchaKind } from "./execute-request.js";
import {
  RECAPTCHA_SECRET_FORMAT,
  RECAPTCHA_TEST_KEYS,
  RECAPTCHA_TOKEN_TTL_MS,
  TEST_KEY_HOSTNAME,
} from "./recaptcha-keys.js";

/** reCAPTCHA's siteverify error codes (all of them). */
export type RecaptchaErrorCode =
  | "missing-input-secret"
  | "invalid-input-secret"
  | "missing-input-response"
  | "invalid-input-response"
  | "bad-request"
  | "timeout-or-duplicate";

/** A token issued by `POST /recaptcha/api2/execute`. */
export interface RecaptchaToken {
  siteKey: string;
  /** The page's full hostname. */
  hostname: string;
  issuedAt: number;
  kind: RecaptchaKind;
  /** v3 only. */
  action: string;
  /** v3 only: fixed at issue from the score control. */
  score: number;
  /** Set by the first siteverify call: tokens verify once. */
  seen: boolean;
}

/** The JSON answer of `POST /recaptcha/api/siteverify`, field for field as Google's. */
export interface RecaptchaResult {
  success: boolean;
  challenge_ts?: string;
  hostname?: string;
  score?: number;
  action?: string;
  "error-codes"?: RecaptchaErrorCode[];
}

export function recaptchaFailure(...codes: RecaptchaErrorCode[]): RecaptchaResult {
  return { success: false, "error-codes": codes };
}

/** Google's timestamp format: ISO 8601 to the second ("2021-05-10T13:26:30Z"). */
function challengeTs(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * Judges one siteverify request. A real token is used up by its first check with a
 * valid secret, whatever the outcome, so it verifies at most once.
 */
export function verifyRecaptcha(
  fields: SiteverifyFields,
  store: TokenStore<RecaptchaToken>,
  now: number,
): RecaptchaResult {
  const { secret, response, remoteip } = fields;
  const missing: RecaptchaErrorCode[] = [];
  if (!secret) missing.push("missing-input-secret");
  if (!response) missing.push("missing-input-response");
  if (!secret || !response) return recaptchaFailure(...missing);
  if (remoteip !== undefined && remoteip !== "" && isIP(remoteip) === 0) {
    return recaptchaFailure("bad-request");
  }

  // Google's v2 test secret passes any response, reusably.
  if (secretsEqual(secret, RECAPTCHA_TEST_KEYS.secret)) {
    return { success: true, challenge_ts: challengeTs(now), hostname: TEST_KEY_HOSTNAME };
  }
  // Any well-formed secret is accepted for any site key: the sandbox has no accounts.
  if (!RECAPTCHA_SECRET_FORMAT.test(secret)) return recaptchaFailure("invalid-input-secret");
  const token = store.get(response);
  if (token === undefined) return recaptchaFailure("invalid-input-response");
  const firstCheck = !token.seen;
  token.seen = true;
  if (!firstCheck || now - token.issuedAt >= RECAPTCHA_TOKEN_TTL_MS) {
    return recaptchaFailure("timeout-or-duplicate");
  }
  const result: RecaptchaResult = {
    success: true,
    challenge_ts: challengeTs(token.issuedAt),
    hostname: token.hostname,
  };
  if (token.kind === "v3") {
    result.score = token.score;
    result.action = token.action;
  }
  return result;
}
