import { STATUS_CODES } from "node:http";
import type { ApproovErrorBody, ErrorCode } from "@shapes/protocol";
import type { BodyReadError } from "./read-body.js";
import { ServiceError } from "./service-error.js";

/** 503: a shared store (Redis) could not answer a check that must not be skipped. */
export type ErrorStatus = 400 | 413 | 429 | 502 | 503;

/**
 * A request the service answers with an error body instead of a token. Carries
 * every problem found (`errors`: code -> detail) and the HTTP status to use.
 */
export class AttestError extends ServiceError {
  override name = "AttestError";
  constructor(
    readonly status: ErrorStatus,
    readonly errors: Partial<Record<ErrorCode, string>>,
    /** 429 and 503: when the client may try again (the Retry-After header). */
    readonly retryAfterSeconds?: number,
  ) {
    // The first of the seed's codes is the error's code; the body lists them all.
    const codes = Object.keys(errors);
    super(codes[0] ?? "request-refused", codes.join(", "));
  }

  /** A body that could not be read, as the seed's table names it. */
  static fromBody(error: BodyReadError): AttestError {
    return error.code === "body-too-large"
      ? AttestError.single(413, "rqst-body-too-large", error.message)
      : AttestError.single(400, "rqst-body-read-fail", error.message);
  }

  static single(status: ErrorStatus, code: ErrorCode, detail = ""): AttestError {
    return new AttestError(status, { [code]: detail });
  }

  get codes(): ErrorCode[] {
    return Object.keys(this.errors) as ErrorCode[];
  }

  toBody(): ApproovErrorBody {
    return { message: STATUS_CODES[this.status] ?? "Error", errors: this.errors };
  }
}

/** Collects validation problems so one answer reports them all. */
export class ErrorCollector {
  readonly errors: Partial<Record<ErrorCode, string>> = {};

  add(code: ErrorCode, detail = ""): void {
    // The first detail for a code is kept; later ones add nothing the client needs.
    if (!(code in this.errors)) this.errors[code] = detail;
  }

  /** Adds `detail` to the code's list (e.g. several illegal entries under one code). */
  append(code: ErrorCode, detail: string): void {
    const before = this.errors[code];
    this.errors[code] = before ? `${before}, ${detail}` : detail;
  }

  get empty(): boolean {
    return Object.keys(this.errors).length === 0;
  }

  has(code: ErrorCode): boolean {
    return code in this.errors;
  }

  /** Throws a 400 with everything collected, if anything was. */
  throwIfAny(): void {
    if (!this.empty) throw new AttestError(400, { ...this.errors });
  }
}
