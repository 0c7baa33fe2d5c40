import { isIP } from "node:net";
import { secretsEqual } from "@shapes/node-service";
import type { TokenStore } from "../token-store.js";
import {
  DUMMY_HOSTNAME,
  DUMMY_TOKEN,
  SECRET_FORMAT,
  TEST_SECRETS,
  TOKEN_MAX_CHARS,
  TOKEN_TTL_MS,
} from "./turnstile-keys.js";

/** Turnstile's siteverify error codes. */
export type TurnstileErrorCode =
  | "missing-input-secret"
  | "invalid-input-secret"
  | "missing-input-response"
  | "invalid-input-response"
  | "invalid-widget-id"
  | "invalid-parsed-secret"
  | "bad-request"
  | "timeout-or-duplicate"
  | "internal-error";

/** A token issued by `POST /turnstile/v0/execute` for a widget. */
export interface TurnstileToken {
  siteKey: string;
  /** The page's full hostname. */
  hostname: string;
  issuedAt: number;
  action: string;
  cdata: string;
  /** Set by the first siteverify call: tokens verify once. */
  seen: boolean;
}

/** The JSON answer of `POST /turnstile/v0/siteverify`, field for field as Cloudflare's. */
export interface TurnstileResult {
  success: boolean;
  "error-codes": TurnstileErrorCode[];
  challenge_ts?: string;
  hostname?: string;
  action?: string;
  cdata?: string;
  metadata?: { interactive: boolean };
  messages?: string[];
}

/** What siteverify reads: form or JSON alike. */
export interface TurnstileVerifyFields {
  secret?: string;
  response?: string;
  remoteip?: string;
  idempotency_key?: string;
}

export function turnstileFailure(...codes: TurnstileErrorCode[]): TurnstileResult {
  return { success: false, "error-codes": codes, messages: [] };
}

function success(token: Omit<TurnstileToken, "seen" | "siteKey">): TurnstileResult {
  return {
    success: true,
    "error-codes": [],
    challenge_ts: new Date(token.issuedAt).toISOString(),
    hostname: token.hostname,
    action: token.action,
    cdata: token.cdata,
    metadata: { interactive: false },
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Judges one siteverify request. The test secrets answer the same whatever the token; a
 * widget's token is used up by its first check with a valid secret, whatever the outcome.
 * `remembered` holds answers by idempotency key: a retry with the same key and token gets
 * the first answer again instead of timeout-or-duplicate, as Cloudflare documents.
 */
export function verifyTurnstile(
  fields: TurnstileVerifyFields,
  store: TokenStore<TurnstileToken>,
  remembered: Map<string, TurnstileResult>,
  now: number,
): TurnstileResult {
  const { secret, response, remoteip, idempotency_key: idempotencyKey } = fields;
  const missing: TurnstileErrorCode[] = [];
  if (!secret) missing.push("missing-input-secret");
  if (!response) missing.push("missing-input-response");
  if (!secret || !response) return turnstileFailure(...missing);
  if (remoteip !== undefined && remoteip !== "" && isIP(remoteip) === 0) {
    return turnstileFailure("bad-request");
  }
  if (idempotencyKey !== undefined && !UUID.test(idempotencyKey)) {
    return turnstileFailure("bad-request");
  }
  if (secretsEqual(secret, TEST_SECRETS.alwaysPasses)) {
    return success({ hostname: DUMMY_HOSTNAME, issuedAt: now, action: "", cdata: "" });
  }
  if (secretsEqual(secret, TEST_SECRETS.alwaysFails)) {
    return turnstileFailure("invalid-input-response");
  }
  if (secretsEqual(secret, TEST_SECRETS.alreadySpent)) {
    return turnstileFailure("timeout-or-duplicate");
  }
  if (!SECRET_FORMAT.test(secret)) return turnstileFailure("invalid-input-secret");
  const cacheKey = idempotencyKey === undefined ? undefined : `${idempotencyKey}\n${response}`;
  const earlier = cacheKey === undefined ? undefined : remembered.get(cacheKey);
  if (earlier) return earlier;
  if (response.length > TOKEN_MAX_CHARS || response === DUMMY_TOKEN) {
    return turnstileFailure("invalid-input-response");
  }
  const token = store.get(response);
  if (token === undefined) return turnstileFailure("invalid-input-response");
  const firstCheck = !token.seen;
  token.seen = true;
  const result =
    !firstCheck || now - token.issuedAt >= TOKEN_TTL_MS
      ? turnstileFailure("timeout-or-duplicate")
      : success(token);
  if (cacheKey !== undefined && firstCheck) {
    // Bounded like the token store: the oldest answer goes first.
    if (remembered.size >= MAX_REMEMBERED)
      remembered.delete(remembered.keys().next().value as string);
    remembered.set(cacheKey, result);
  }
  return result;
}

/** Most idempotent answers remembered at once. */
export const MAX_REMEMBERED = 10_000;
