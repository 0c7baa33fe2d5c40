import { secretsEqual } from "@shapes/node-service";
import { ATTEST_PARAMS as P } from "@shapes/protocol";
import type { Account } from "../account/account.js";
import type { ErrorCollector } from "../http/attest-error.js";
import type { GroupedParams } from "../http/group-params.js";
import { listForDetail } from "../http/list-for-detail.js";

/** What every endpoint validates: the account, the API targets, token binding. */
export interface Targets {
  /** The account, once the site key matched it (account checks need it). */
  matched: Account | undefined;
  /** The API domains the tokens are for. */
  apis: string[];
  /** Token binding: STANDARD base64 of the 32 decoded payload bytes. */
  pay?: string;
}

const PAYLOAD_BYTES = 32;

function checkApis(values: readonly string[], account: Account | undefined, e: ErrorCollector) {
  if (values.length === 0) {
    e.add("aprv-api-no-targets");
    return;
  }
  if (values.includes("")) e.add("aprv-api-empty-target");
  const named = values.filter((v) => v !== "");
  // One pass with Sets: the targets are client input, so no work quadratic in their number.
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const v of named) {
    if (seen.has(v)) repeated.add(v);
    else seen.add(v);
  }
  const duplicates = [...repeated];
  if (duplicates.length > 0) e.add("aprv-api-duplicate-target", listForDetail(duplicates));
  if (!account) return;
  const defined = Object.keys(account.apis).length;
  if (values.length > defined) {
    e.add("aprv-api-too-many-targets", `${values.length} given, the account has ${defined}`);
  }
  const unique = [...seen];
  const notFound = unique.filter((v) => !Object.hasOwn(account.apis, v));
  if (notFound.length > 0) e.add("aprv-api-not-found", listForDetail(notFound));
  const notWeb = unique.filter((v) => Object.hasOwn(account.apis, v) && !account.apis[v]?.allowWeb);
  if (notWeb.length > 0) e.add("aprv-api-not-web-enabled", listForDetail(notWeb));
}

/** The payload is a base64url (unpadded) SHA-256 hash; returns standard base64. */
function checkPayload(value: string | undefined, e: ErrorCollector): string | undefined {
  if (value === undefined) return undefined;
  const bytes = Buffer.from(value, "base64url");
  // The round trip refuses padding, foreign characters and non-canonical trailing bits.
  if (!/^[A-Za-z0-9_-]*$/.test(value) || bytes.toString("base64url") !== value) {
    e.add("aprv-payload-not-b64url");
    return undefined;
  }
  if (bytes.length !== PAYLOAD_BYTES) {
    e.add("aprv-payload-param-invalid-size", `${bytes.length} bytes, expected ${PAYLOAD_BYTES}`);
    return undefined;
  }
  return bytes.toString("base64");
}

/**
 * The account (site key, compared in constant time), API targets and payload. Account
 * dependent checks run only once the site key matched the account the service holds.
 */
export function validateTargets(p: GroupedParams, account: Account, e: ErrorCollector): Targets {
  const siteKey = p.first(P.approovSiteKey);
  let matched: Account | undefined;
  if (!siteKey) e.add("aprv-no-site-key");
  else if (secretsEqual(siteKey, account.siteKey)) matched = account;
  else e.add("aprv-no-matching-account");

  const apis = p.all(P.api);
  checkApis(apis, matched, e);
  const pay = checkPayload(p.first(P.payload), e);
  return pay === undefined ? { matched, apis } : { matched, apis, pay };
}
