import { FINGERPRINT, LOCAL_FINGERPRINT_PUBLIC_KEY } from "@shapes/protocol";
import type { ErrorCollector } from "../../http/attest-error.js";
import type { GroupedParams } from "../../http/group-params.js";
import { defineIntegration, listMissing } from "../integration.js";
import { runFingerprintCheck } from "./check.js";
import { newFingerprintSandboxSecret } from "./demo-secret.js";
import { FINGERPRINT_SETTINGS } from "./settings.js";
import {
  type FingerprintSubscriptionConfig,
  parseFingerprintSubscription,
  SUBSCRIPTION_DEFAULTS,
} from "./subscription.js";

/** Fingerprint ids are about 20 characters; they go into an upstream URL, so bounded. */
const MAX_FINGERPRINT_ID_CHARS = 256;
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;

/** The visitor and request ids: bounded visible ASCII (compared, or put into a URL path). */
function readIds(p: GroupedParams, e: ErrorCollector): Record<string, never> {
  for (const name of FINGERPRINT.resultParams) {
    const value = p.first(name);
    if (!value || (value.length <= MAX_FINGERPRINT_ID_CHARS && VISIBLE_ASCII.test(value))) {
      continue;
    }
    e.append(
      "rqst-illegal-params",
      `${name}: must be 1 to ${MAX_FINGERPRINT_ID_CHARS} visible ASCII characters`,
    );
  }
  return {};
}

/** Fingerprint: the browser's get() result looked up with the Server API of its region. */
export const fingerprint = defineIntegration<FingerprintSubscriptionConfig, Record<string, never>>({
  descriptor: FINGERPRINT,
  parseEntry: parseFingerprintSubscription,
  readParams: readIds,
  mismatchDetail: listMissing,
  check: runFingerprintCheck,
  demoEntries: () => ({
    [LOCAL_FINGERPRINT_PUBLIC_KEY]: {
      ...SUBSCRIPTION_DEFAULTS,
      secret: newFingerprintSandboxSecret(),
    },
  }),
  settings: FINGERPRINT_SETTINGS,
});
