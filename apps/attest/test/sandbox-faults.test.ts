import type { ErrorCode } from "@shapes/protocol";
import { LOCAL_FINGERPRINT_PUBLIC_KEY, RECAPTCHA_V2_TEST_KEYS } from "@shapes/protocol";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { expectErrorAnswer } from "./helpers/error-codes.js";
import { integrationApp, type Params, send } from "./helpers/integration-setup.js";
import { PUBLISHER } from "./helpers/sdk-setup.js";
import { type RunningSandbox, startSandbox } from "./helpers/start-sandbox.js";

/**
 * Every upstream broken through the sandbox's fault switches (slow beyond
 * UPSTREAM_TIMEOUT_MS, HTTP 503, a cut-off JSON body, a reset connection), over real
 * sockets: the documented 502 within the timeout, in both flows, never a token.
 */

const TIMEOUT_MS = 300;

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox?.stop());
afterEach(() => sandbox.clearFaults());

interface Upstream {
  target: string;
  code: ErrorCode;
  /** How details name it. */
  name: string;
  params: () => Promise<Params>;
}

const UPSTREAMS: Upstream[] = [
  {
    target: "hcaptcha-siteverify",
    code: "hcap-token-check",
    name: "siteverify",
    params: async () => ({
      "hcaptcha-site-key": PUBLISHER.siteKey,
      "hcaptcha-token": PUBLISHER.response,
    }),
  },
  {
    target: "recaptcha-siteverify",
    code: "recap-token-check",
    name: "siteverify",
    params: async () => ({
      "recaptcha-site-key": RECAPTCHA_V2_TEST_KEYS.siteKey,
      "recaptcha-token": "any",
    }),
  },
  {
    target: "fingerprint-api",
    code: "fp-tok-check",
    name: "Fingerprint API",
    params: async () => {
      const id = await sandbox.identify(LOCAL_FINGERPRINT_PUBLIC_KEY);
      return {
        "fingerprint-public-api-key": LOCAL_FINGERPRINT_PUBLIC_KEY,
        "fingerprint-visitor-id": id.visitorId,
        "fingerprint-request-id": id.requestId,
      };
    },
  },
];

const FAULTS = [
  { fault: { mode: "slow", delayMs: 2000 }, detail: `timed out after ${TIMEOUT_MS} ms` },
  { fault: { mode: "status", status: 503 }, detail: "answered HTTP 503" },
  { fault: { mode: "malformed" }, detail: "answered malformed JSON" },
  { fault: { mode: "reset" }, detail: "unreachable" },
];

describe.each(["attest", "token"] as const)("upstream faults on POST /%s", (flow) => {
  describe.each(UPSTREAMS)("$target", (upstream) => {
    it.each(FAULTS)('$fault.mode: 502 "$detail" within the timeout', async ({ fault, detail }) => {
      const test = await integrationApp(sandbox, { settings: { upstreamTimeoutMs: TIMEOUT_MS } });
      const params = await upstream.params();
      await sandbox.control("faults", { target: upstream.target, ...fault });
      const started = Date.now();
      const res = await send(test, flow, params);
      const elapsed = Date.now() - started;
      const body = await expectErrorAnswer(res, flow, 502, [upstream.code]);
      expect(body.errors).toEqual({ [upstream.code]: `${upstream.name} ${detail}` });
      // Well under the 2000 ms the slow fault would take to answer.
      expect(elapsed).toBeLessThan(TIMEOUT_MS + 1200);
      expect(test.logs.at(-1)).toMatchObject({ outcome: "error", codes: [upstream.code] });
    });
  });
});
