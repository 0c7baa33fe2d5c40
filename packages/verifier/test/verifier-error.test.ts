import { describe, expect, it } from "vitest";
import {
  ApproovConfigError,
  ApproovTokenError,
  DpopProofError,
  HtuError,
  RequestBodyTooLargeError,
  TokenBindingError,
  TokenChannelError,
  VerifierError,
} from "../src/index.js";

describe("one error base, as jose's JOSEError", () => {
  it("every coded error is a VerifierError with its unchanged code", () => {
    const errors: [VerifierError, string][] = [
      [new ApproovTokenError("expired"), "expired"],
      [new ApproovConfigError("bad-option", "x"), "bad-option"],
      [new DpopProofError("replayed"), "replayed"],
      [new HtuError(), "invalid-url"],
      [new RequestBodyTooLargeError(10), "body-too-large"],
      [new TokenBindingError("pay-mismatch"), "pay-mismatch"],
      [new TokenChannelError("web"), "wrong-channel"],
    ];
    for (const [error, code] of errors) {
      expect(error).toBeInstanceOf(VerifierError);
      expect(error).toBeInstanceOf(Error);
      expect(error.code).toBe(code);
      expect(error.name).not.toBe("VerifierError");
    }
  });
});
