import type { CaptchaEmbed } from "@shapes/protocol";
import type { Account } from "../account/account.js";
import type { TokenForm } from "./issue-token.js";

/** The `embed` claim: `{"<prefix><key>": {...}}`, one entry per checked result. */
export type EmbedClaim = Record<string, Record<string, unknown>>;

/**
 * What a human check gives the tokens: the default minimal properties of every result
 * ({challenge_ts, hostname}), and the full result of sites with `embedResult`. The seed:
 * full results go only into encrypted tokens, so a JWS never carries them.
 */
export interface Embeds {
  minimal: Record<string, CaptchaEmbed>;
  /** Only the results of sites with embedResult, by the same embed keys. */
  full: EmbedClaim;
}

/** The embed claim of a token of `form`. */
export function embedFor(embeds: Embeds, form: TokenForm): EmbedClaim {
  return form === "jwe" ? { ...embeds.minimal, ...embeds.full } : { ...embeds.minimal };
}

/** An API's tokens are JWEs when it was added with `jwe` (read from the current account). */
export function formForApi(account: Account, api: string): TokenForm {
  return Object.hasOwn(account.apis, api) && account.apis[api]?.jwe ? "jwe" : "jws";
}

/**
 * `/attest` answers one token for all its `api` targets: a JWE when any of them is a JWE
 * API (its backend expects encryption, and a full result must never go out signed only).
 */
export function formForApis(account: Account, apis: readonly string[]): TokenForm {
  return apis.some((api) => formForApi(account, api) === "jwe") ? "jwe" : "jws";
}

/**
 * A full result is embedded (and carried in the refresh token) only up to this size; a
 * bigger answer falls back to the minimal properties so tokens stay well under backends'
 * token length limit (16 KiB in @shapes/verifier) and refresh tokens under the body limit.
 */
export const MAX_FULL_RESULT_CHARS = 2048;
/** Nothing whose name suggests a secret is ever embedded, whatever the upstream answers. */
const SECRET_NAME = /secret/i;

/** The upstream answer as embedded: every field minus secret-looking ones; undefined if too big. */
export function fullResult(answer: Record<string, unknown>): Record<string, unknown> | undefined {
  const kept = Object.fromEntries(
    Object.entries(answer).filter(([name]) => !SECRET_NAME.test(name)),
  );
  return JSON.stringify(kept).length <= MAX_FULL_RESULT_CHARS ? kept : undefined;
}
