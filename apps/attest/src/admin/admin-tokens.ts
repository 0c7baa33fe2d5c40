import { createHash } from "node:crypto";
import { ApproovTokenError, type ApproovTokenErrorCode } from "@shapes/verifier";
import { type Json, onlyKnown } from "../account/field-checks.js";
import type { LiveAccount } from "../account/live-account.js";
import { newArc } from "../tokens/arc.js";
import { formForApi } from "../tokens/token-embed.js";
import { AdminError, validated } from "./admin-error.js";
import { apiDomain } from "./admin-input.js";

/** Why a token is not valid, in the admin API's words (`signature`, `expired`, `malformed`). */
const REASONS: Record<ApproovTokenErrorCode, string> = {
  missing: "malformed",
  malformed: "malformed",
  "bad-signature": "signature",
  // Not decryptable with this account's key: the JWE form of a bad signature.
  "decryption-failed": "signature",
  "unknown-key": "signature",
  "bad-algorithm": "algorithm",
  "jws-not-accepted": "malformed",
  "jwe-not-accepted": "malformed",
  expired: "expired",
  "not-yet-valid": "not yet valid",
  "missing-exp": "claims",
  "bad-claims": "claims",
};

export type TokenCheckAnswer =
  | { valid: true; claims: Record<string, unknown> }
  | { valid: false; reason: string };

/** `POST /tokens/check`: verifies a JWS or JWE token of this account, like a backend. */
export async function checkToken(live: LiveAccount, body: Json): Promise<TokenCheckAnswer> {
  validated(() => onlyKnown(body, "", ["token"]));
  const { token } = body;
  if (typeof token !== "string" || token.trim() === "") {
    throw new AdminError(400, "token must be a non-empty string", "token");
  }
  try {
    const claims = await live.verify(token.trim());
    return { valid: true, claims: { ...claims } };
  } catch (error) {
    if (error instanceof ApproovTokenError) return { valid: false, reason: REASONS[error.code] };
    throw error;
  }
}

/** The IP claim of example tokens: they were not issued to any client. */
export const EXAMPLE_IP = "127.0.0.1";
const MAX_DATA_HASH_CHARS = 4096;

/**
 * `POST /tokens/example`: a valid token for a registered API, to test a backend with: the
 * account's token lifetime, a web-channel `embed` with no result, and `pay` = base64
 * SHA-256 of `dataHash` (UTF-8) when given. A JWE for an API added with `jwe`.
 */
export async function exampleToken(
  live: LiveAccount,
  body: Json,
  nowMs: number,
): Promise<{ token: string }> {
  validated(() => onlyKnown(body, "", ["api", "dataHash"]));
  if (typeof body.api !== "string") throw new AdminError(400, "api must be a string", "api");
  const api = apiDomain(body.api, "api");
  const { dataHash } = body;
  if (
    dataHash !== undefined &&
    (typeof dataHash !== "string" || dataHash.length > MAX_DATA_HASH_CHARS)
  ) {
    throw new AdminError(
      400,
      `dataHash must be a string of at most ${MAX_DATA_HASH_CHARS} characters`,
      "dataHash",
    );
  }
  const { account, issuer } = live;
  if (!Object.hasOwn(account.apis, api)) throw new AdminError(404, `api "${api}" not found`);
  const token = await issuer.issue(
    {
      issuedAt: Math.floor(nowMs / 1000),
      lifetimeSeconds: account.tokenLifetimeSeconds,
      ip: EXAMPLE_IP,
      arc: newArc(),
      embed: {},
      ...(typeof dataHash === "string"
        ? { pay: createHash("sha256").update(dataHash, "utf8").digest("base64") }
        : {}),
    },
    true,
    formForApi(account, api),
  );
  return { token };
}
