import { bytesToBase64url } from "./base64url.js";
import { binaryBytes, isBinary } from "./binary-input.js";
import { accessTokenHash, createDpopProof, htuOf } from "./dpop-proof.js";
import { ApproovError, ApproovSessionError } from "./errors.js";
import { fetchToken } from "./fetch-token.js";
import { prefetchNonce } from "./service-client.js";
import { type ApproovConfig, createSessionKey, resolveConfig, Session } from "./session.js";
import type { FetchTokenOptions } from "./web-protection-params.js";

// The page's one session. Module-private: neither it nor its key is reachable from
// the exports, so page scripts cannot get at the private key even to try exporting it.
let current: Session | undefined;

function requireSession(): Session {
  if (current === undefined) {
    throw new ApproovSessionError("the Approov session has not been initialized");
  }
  return current;
}

/** The Approov web SDK: a static object, as the seed shows. */
export class Approov {
  private constructor() {}

  /**
   * Starts a new session (new key pair, no tokens) with this configuration, or with
   * the previous one when called with `{}` or nothing. Nothing is persisted.
   */
  static async initializeSession(config?: ApproovConfig): Promise<void> {
    const resolved = resolveConfig(config, current?.config);
    const key = await createSessionKey();
    current = new Session(resolved, key);
    // Ask for the first server nonce now, while the page runs its human check.
    current.firstNonce = prefetchNonce(current);
  }

  /**
   * An Approov token for `api`: from the cache, from a refresh, or (with a new web
   * protection result, and always on a session's first fetch) from a fresh check.
   */
  static async fetchToken(api: string, options: FetchTokenOptions = {}): Promise<string> {
    return fetchToken(requireSession(), api, options);
  }

  /**
   * A DPoP proof of the session key for a request to your API: `htm` = method,
   * `htu` = uri without query and fragment, plus `nonce`, `ath` (hash of `token`) and
   * `msgs` (`messageSignature`; binary data is base64url-encoded) when truthy.
   */
  static async getDPoPToken(
    method: string,
    uri: string,
    nonce?: unknown,
    token?: string,
    messageSignature?: string | ArrayBuffer | ArrayBufferView,
  ): Promise<string> {
    const session = requireSession();
    if (typeof method !== "string" || method === "") {
      throw new ApproovError("getDPoPToken: method must be a non-empty string");
    }
    if (typeof uri !== "string" || uri === "") {
      throw new ApproovError("getDPoPToken: uri must be a non-empty string");
    }
    if (token && typeof token !== "string") {
      throw new ApproovError("getDPoPToken: token must be a string");
    }
    let msgs: string | undefined;
    if (messageSignature) {
      if (typeof messageSignature === "string") msgs = messageSignature;
      else if (isBinary(messageSignature)) {
        msgs = bytesToBase64url(binaryBytes(messageSignature, "getDPoPToken: messageSignature"));
      } else {
        throw new ApproovError("getDPoPToken: messageSignature must be a string or binary data");
      }
    }
    try {
      JSON.stringify(nonce);
    } catch {
      throw new ApproovError("getDPoPToken: nonce must be a JSON value");
    }
    return createDpopProof(session.key, {
      htm: method,
      htu: htuOf(uri),
      nonce: nonce || undefined,
      ath: token ? await accessTokenHash(token) : undefined,
      msgs,
    });
  }

  /**
   * ECDSA P-256 / SHA-256 signature (raw r || s, 64 bytes) of the message with the
   * session key: verifiable with the `jwk` of the session's DPoP proofs.
   */
  static async messageSignature(message: ArrayBuffer | ArrayBufferView): Promise<ArrayBuffer> {
    const session = requireSession();
    const bytes = binaryBytes(
      message,
      "messageSignature: message must be a Uint8Array, an ArrayBuffer or an ArrayBufferView",
    );
    return session.key.sign(bytes);
  }

  /**
   * Expiry times (ms since the epoch, the service's clock) from the last token answer:
   * `{session, "hcap:<site key>", ...}`; `{}` before the session's first token.
   */
  static async getExpiries(): Promise<Record<string, number>> {
    return { ...requireSession().expiries };
  }
}

// A page script must not be able to swap the SDK's functions for its own.
Object.freeze(Approov);
