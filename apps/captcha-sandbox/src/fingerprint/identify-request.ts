import { InputError } from "../input-error.js";
import { readJsonObject } from "../json-body.js";
import { KEY_FORMAT, KEY_FORMAT_TEXT } from "../key-format.js";
import { type FingerprintRegion, isRegion } from "./regions.js";

/** What the agent posts to `POST /fingerprint/identify`. */
export interface IdentifyRequest {
  publicKey: string;
  region: FingerprintRegion;
  /** The agent's random id, kept in the page origin's localStorage. */
  browserId: string;
  url: string;
  userAgent: string;
  tag: Record<string, unknown>;
  linkedId?: string;
}

const BROWSER_ID_FORMAT = /^[A-Za-z0-9_-]{16,64}$/;
const MAX_URL = 2048;
const MAX_USER_AGENT = 1024;
const MAX_LINKED_ID = 256;
const MAX_TAG_JSON = 4096;

function httpUrl(value: unknown): value is string {
  if (typeof value !== "string" || value.length > MAX_URL) return false;
  try {
    const { protocol } = new URL(value);
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
}

/** Validates the agent's JSON body; every field is bounded. */
export async function readIdentifyRequest(request: Request): Promise<IdentifyRequest> {
  const body = await readJsonObject(request);
  const { publicKey, region, browserId, url, userAgent, tag, linkedId } = body;
  if (typeof publicKey !== "string" || !KEY_FORMAT.test(publicKey)) {
    throw new InputError("invalid-public-key", `publicKey must be ${KEY_FORMAT_TEXT}`);
  }
  if (!isRegion(region))
    throw new InputError("invalid-region", 'region must be "us", "eu" or "ap"');
  if (typeof browserId !== "string" || !BROWSER_ID_FORMAT.test(browserId)) {
    throw new InputError(
      "invalid-browser-id",
      "browserId must be 16-64 characters of letters, digits, '-' or '_'",
    );
  }
  if (!httpUrl(url)) {
    throw new InputError(
      "invalid-url",
      `url must be an absolute http(s) URL of at most ${MAX_URL} characters`,
    );
  }
  if (typeof userAgent !== "string" || userAgent.length > MAX_USER_AGENT) {
    throw new InputError(
      "invalid-user-agent",
      `userAgent must be a string of at most ${MAX_USER_AGENT} characters`,
    );
  }
  if (
    tag !== undefined &&
    (typeof tag !== "object" ||
      tag === null ||
      Array.isArray(tag) ||
      JSON.stringify(tag).length > MAX_TAG_JSON)
  ) {
    throw new InputError(
      "invalid-tag",
      `tag must be a JSON object of at most ${MAX_TAG_JSON} characters`,
    );
  }
  if (linkedId !== undefined && (typeof linkedId !== "string" || linkedId.length > MAX_LINKED_ID)) {
    throw new InputError(
      "invalid-linked-id",
      `linkedId must be a string of at most ${MAX_LINKED_ID} characters`,
    );
  }
  const identify: IdentifyRequest = {
    publicKey,
    region,
    browserId,
    url,
    userAgent,
    tag: (tag as Record<string, unknown> | undefined) ?? {},
  };
  if (typeof linkedId === "string") identify.linkedId = linkedId;
  return identify;
}
