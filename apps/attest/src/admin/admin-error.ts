import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { FieldError } from "../account/field-checks.js";
import { ServiceError } from "../http/service-error.js";

export type AdminErrorStatus = 400 | 401 | 404 | 409 | 413 | 500 | 503;

/** The admin API's error body: a message naming the field and the rule. */
export interface AdminErrorBody {
  error: string;
  field?: string;
}

/** The stable code of each kind of refusal (the status says which). */
const ADMIN_CODES = {
  400: "admin-bad-request",
  401: "admin-unauthorized",
  404: "admin-not-found",
  409: "admin-limit-reached",
  413: "admin-body-too-large",
  500: "admin-internal",
  503: "admin-store-unavailable",
} as const satisfies Record<AdminErrorStatus, string>;

export type AdminErrorCode = (typeof ADMIN_CODES)[AdminErrorStatus];

/**
 * An admin request refused: answered `{error, field?}` with `status`; its stable `code`
 * goes to the admin log line. Never holds a secret.
 */
export class AdminError extends ServiceError {
  override name = "AdminError";
  override readonly code: AdminErrorCode;
  constructor(
    readonly status: AdminErrorStatus,
    message: string,
    readonly field?: string,
  ) {
    super(ADMIN_CODES[status], message);
    this.code = ADMIN_CODES[status];
  }

  /** A bad body field, as the validators report it. */
  static fromField(error: FieldError): AdminError {
    return new AdminError(400, error.message, error.field);
  }

  toBody(): AdminErrorBody {
    return this.field === undefined
      ? { error: this.message }
      : { error: this.message, field: this.field };
  }
}

/** Runs a body validator, turning its FieldError into a 400 AdminError. */
export function validated<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof FieldError) throw AdminError.fromField(error);
    throw error;
  }
}

export function adminErrorResponse(
  c: Context,
  error: AdminError,
  headers: Record<string, string> = {},
): Response {
  return c.json(error.toBody(), error.status as ContentfulStatusCode, {
    "cache-control": "no-store",
    ...headers,
  });
}
