import { describe, expect, it } from "vitest";
import { AccountFileError } from "../src/account/account-validate.js";
import { FieldError } from "../src/account/field-checks.js";
import { AdminError } from "../src/admin/admin-error.js";
import { AttestError } from "../src/http/attest-error.js";
import { BodyReadError, readBody } from "../src/http/read-body.js";
import { ServiceError } from "../src/http/service-error.js";
import { UpstreamCheckError } from "../src/integrations/upstream-check-error.js";
import { adminCall, TEST_ADMIN_KEY, testApp } from "./helpers/test-app.js";

describe("one error base with stable codes", () => {
  it("every error attest raises on purpose is a ServiceError with a code", () => {
    const errors: ServiceError[] = [
      AttestError.single(400, "aprv-no-site-key"),
      new AdminError(404, "nope"),
      new FieldError("minScore", "must be a number"),
      new AccountFileError("account-corrupt", "account.json: not JSON"),
      new UpstreamCheckError("hcap-token-check", "siteverify unreachable"),
      new BodyReadError("body-too-large", "limit is 1 bytes"),
    ];
    for (const error of errors) {
      expect(error).toBeInstanceOf(ServiceError);
      expect(error.code).toMatch(/^[a-z]+(-[a-z]+)*$/);
    }
    expect(errors.map((e) => e.code)).toEqual([
      "aprv-no-site-key",
      "admin-not-found",
      "field-invalid",
      "account-corrupt",
      "hcap-token-check",
      "body-too-large",
    ]);
  });

  it("the body reader throws its own neutral error, which each app answers in its terms", async () => {
    const request = new Request("http://attest.test/x", { method: "POST", body: "x".repeat(10) });
    const error = await readBody(request, { maxBytes: 4, timeoutMs: 1000 }).catch((e) => e);
    expect(error).toBeInstanceOf(BodyReadError);
    expect(error).not.toBeInstanceOf(AttestError);
    expect(AttestError.fromBody(error).toBody().errors).toHaveProperty("rqst-body-too-large");

    const { app, adminLogs } = testApp();
    const big = await adminCall(app, "PUT", "/apis/x.example", { pad: "y".repeat(20_000) });
    expect(big.status).toBe(413);
    expect(adminLogs.at(-1)?.code).toBe("admin-body-too-large");
  });

  it("admin refusals carry their code into the admin log line, never the key", async () => {
    const { app, adminLogs } = testApp();
    const res = await app.request("/admin/v1/account", {
      headers: { authorization: "Bearer wrong-key-wrong-key-wrong" },
    });
    expect(res.status).toBe(401);
    expect(adminLogs.at(-1)).toMatchObject({ status: 401, code: "admin-unauthorized" });
    const ok = await app.request("/admin/v1/account", {
      headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` },
    });
    expect(ok.status).toBe(200);
    expect(adminLogs.at(-1)?.code).toBeUndefined();
  });
});
