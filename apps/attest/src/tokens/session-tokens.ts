import { randomBytes } from "node:crypto";
import type { Account } from "../account/account.js";
import type { TokenIssuer } from "./issue-token.js";
import { type Embeds, embedFor, formForApi } from "./token-embed.js";

/** What the Approov tokens of one SDK answer carry. */
export interface SessionTokenContent {
  apis: readonly string[];
  /** Seconds since the epoch. */
  issuedAt: number;
  lifetimeSeconds: number;
  ip: string;
  arc: string;
  embeds: Embeds;
  pay?: string;
  /** The session key's thumbprint: `cnf.jkt` of every token. */
  jkt: string;
  /** false: decoys under the per-process keys. */
  passed: boolean;
}

/**
 * `{"<api>": "<Approov token>"}`: one token per requested API, each a JWS or (APIs with
 * `jwe` in the current account) a JWE carrying the full results of `embedResult` sites.
 */
export async function issueSessionTokens(
  issuer: TokenIssuer,
  account: Readonly<Account>,
  content: SessionTokenContent,
): Promise<Record<string, string>> {
  const { apis, passed, embeds, ...claims } = content;
  const entries = await Promise.all(
    apis.map(async (api) => {
      const form = formForApi(account, api);
      const token = await issuer.issue({ ...claims, embed: embedFor(embeds, form) }, passed, form);
      return [api, token] as const;
    }),
  );
  // fromEntries makes own properties, whatever the API names are.
  return Object.fromEntries(entries);
}

/** A random session id (96 bits): ties a session's log lines together, nothing more. */
export function newSessionId(): string {
  return randomBytes(12).toString("base64url");
}
