import { INTEGRATIONS } from "@shapes/protocol";
import { textToBase64url } from "./base64url.js";
import { ApproovError } from "./errors.js";
import { listText } from "./list-text.js";
import { TokenCache } from "./token-cache.js";

/** Each integration's `initializeSession` setting: its site key (or public API key). */
type KeySetting = (typeof INTEGRATIONS)[number]["sdk"]["keySetting"];
type IntegrationKeys = { [Setting in KeySetting]?: string };

/** What `initializeSession` takes (the seed's names). */
export type ApproovConfig = {
  /** A bare host (`web-1.approovr.io`, meaning https) or an origin (`http://localhost:8001`). */
  approovHost?: string;
  approovSiteKey?: string;
} & IntegrationKeys;

/** A validated configuration: the service origin instead of the host. */
export type SessionConfig = {
  origin: string;
  approovSiteKey: string;
} & IntegrationKeys;

/** The public half of the session key, as it goes in every proof's `jwk` header. */
export interface PublicJwk {
  kty: "EC";
  crv: "P-256";
  x: string;
  y: string;
}

/**
 * The session key pair. The private key is captured by `sign` and stored nowhere
 * else, so nothing reachable from the SDK's exports holds it.
 */
export interface SessionKey {
  readonly jwk: PublicJwk;
  /** Base64url of the proofs' protected header, computed once per key. */
  readonly encodedHeader: string;
  sign(data: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer>;
}

const KEY_SETTINGS: readonly KeySetting[] = INTEGRATIONS.map((d) => d.sdk.keySetting);
const CONFIG_FIELDS: readonly string[] = ["approovHost", "approovSiteKey", ...KEY_SETTINGS];

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Validates `initializeSession`'s argument. `{}` (or nothing) reuses the previous
 * configuration; anything else must be complete.
 */
export function resolveConfig(input: unknown, previous: SessionConfig | undefined): SessionConfig {
  if (input === undefined || input === null) input = {};
  if (typeof input !== "object" || Array.isArray(input)) {
    throw new ApproovError("initializeSession expects an object");
  }
  const given = input as Record<string, unknown>;
  for (const name of Object.keys(given)) {
    if (!CONFIG_FIELDS.includes(name)) {
      throw new ApproovError(`initializeSession: unknown option "${name.slice(0, 64)}"`);
    }
  }
  const set = CONFIG_FIELDS.filter((name) => given[name] !== undefined);
  if (set.length === 0) {
    if (previous) return previous;
    throw new ApproovError("initializeSession: no previous configuration to reuse");
  }
  for (const name of set) {
    if (typeof given[name] !== "string" || given[name] === "") {
      throw new ApproovError(`initializeSession: ${name} must be a non-empty string`);
    }
  }
  const config = given as ApproovConfig;
  if (!config.approovHost) throw new ApproovError("initializeSession: approovHost is required");
  if (!config.approovSiteKey) {
    throw new ApproovError("initializeSession: approovSiteKey is required");
  }
  if (!KEY_SETTINGS.some((setting) => config[setting])) {
    throw new ApproovError(`initializeSession: one of ${listText(KEY_SETTINGS)} is required`);
  }
  const keys: IntegrationKeys = {};
  for (const setting of KEY_SETTINGS) keys[setting] = config[setting];
  return {
    origin: serviceOrigin(config.approovHost),
    approovSiteKey: config.approovSiteKey,
    ...keys,
  };
}

/** `web-1.approovr.io` -> `https://web-1.approovr.io`; a value with a scheme is an origin. */
export function serviceOrigin(approovHost: string): string {
  let url: URL;
  try {
    url = new URL(SCHEME.test(approovHost) ? approovHost : `https://${approovHost}`);
  } catch {
    throw new ApproovError("initializeSession: approovHost is not a host name or an origin");
  }
  const bare = url.pathname === "/" && !url.search && !url.hash && !url.username && !url.password;
  if ((url.protocol !== "https:" && url.protocol !== "http:") || !bare) {
    throw new ApproovError(
      "initializeSession: approovHost must be a host name or an http(s) origin without a path",
    );
  }
  return url.origin;
}

/** A new ECDSA P-256 key pair whose private key WebCrypto will never export. */
export async function createSessionKey(): Promise<SessionKey> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) {
    throw new ApproovError("WebCrypto is not available: the page must be a secure context");
  }
  const algorithm = { name: "ECDSA", namedCurve: "P-256" };
  const pair = (await subtle.generateKey(algorithm, false, ["sign", "verify"])) as CryptoKeyPair;
  // Public keys are always exportable, whatever the extractable flag says.
  const exported = await subtle.exportKey("jwk", pair.publicKey);
  if (typeof exported.x !== "string" || typeof exported.y !== "string") {
    throw new ApproovError("WebCrypto returned an unexpected public key");
  }
  const jwk: PublicJwk = { kty: "EC", crv: "P-256", x: exported.x, y: exported.y };
  const privateKey = pair.privateKey;
  const header = JSON.stringify({ typ: "dpop+jwt", alg: "ES256", jwk });
  return {
    jwk,
    encodedHeader: textToBase64url(header),
    // WebCrypto's ECDSA signature is raw r || s: exactly JWS ES256's format.
    sign: (data) => subtle.sign({ name: "ECDSA", hash: "SHA-256" }, privateKey, data),
  };
}

/** Everything one Approov session knows; lives in memory only, one per page. */
export class Session {
  /** The latest `DPoP-Nonce` the service sent. */
  nonce: string | undefined;
  /** The nonce asked for at initialisation; settles (never rejects) once answered or failed. */
  firstNonce: Promise<void> = Promise.resolve();
  refreshToken: string | undefined;
  /** From the last `/token` or `/refresh` answer: `{session: ms, "hcap:<key>": ms, ...}`. */
  expiries: Record<string, number> = {};
  /** Set once the session cannot issue tokens any more (expired or refused refresh token). */
  ended = false;
  /** The web protection parameters last sent to `/token`, per integration (serialised). */
  lastResults = new Map<string, string>();
  /** The `/token` request under way, if any, and the results it carries. */
  tokenCall: { results: Map<string, string>; promise: Promise<string> } | undefined;
  readonly cache = new TokenCache();

  constructor(
    readonly config: SessionConfig,
    readonly key: SessionKey,
  ) {}

  /** Whether the session has passed its end (`expiries.session`, service clock). */
  isOver(now: number): boolean {
    const end = this.expiries.session;
    if (!this.ended && end !== undefined && now >= end) this.ended = true;
    return this.ended;
  }
}
