import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { FieldError } from "../account/field-checks.js";

export type AdminErrorStatus = 400 | 401 | 404 | 409 | 413 | 500 | 503;

/** The admin API's error body (admin-api.md): a message naming the field and the rule. */
export interface AdminErrorBody {
  error: string;
  field?: string;
}

/** An admin request refused: answered `{error, field?}` with `status`. Never holds a secret. */
export class AdminError extends Error {
  override name = "AdminError";
  constructor(
    readonly status: AdminErrorStatus,
    message: string,
    readonly field?: string,
  ) {
    super(message);
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
