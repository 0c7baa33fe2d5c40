import { randomBytes } from "node:crypto";
import type { CaptchaEmbed } from "@shapes/protocol";
import type { TokenIssuer } from "./issue-token.js";

/** What the Approov tokens of one SDK answer carry. */
export interface SessionTokenContent {
  apis: readonly string[];
  /** Seconds since the epoch. */
  issuedAt: number;
  lifetimeSeconds: number;
  ip: string;
  arc: string;
  embed: Record<string, CaptchaEmbed>;
  pay?: string;
  /** The session key's thumbprint: `cnf.jkt` of every token. */
  jkt: string;
  /** false: decoys signed with the per-process key. */
  passed: boolean;
}

/** `{"<api>": "<Approov token>"}`: one token per requested API. */
export async function issueSessionTokens(
  issuer: TokenIssuer,
  content: SessionTokenContent,
): Promise<Record<string, string>> {
  const { apis, passed, ...claims } = content;
  const entries = await Promise.all(
    apis.map(async (api) => [api, await issuer.issue(claims, passed)] as const),
  );
  // fromEntries makes own properties, whatever the API names are.
  return Object.fromEntries(entries);
}

/** A random session id (96 bits): ties a session's log lines together, nothing more. */
export function newSessionId(): string {
  return randomBytes(12).toString("base64url");
}
