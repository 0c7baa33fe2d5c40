import type { Context } from "hono";
import type { AccountHolder } from "../account/account-holder.js";
import type { Json } from "../account/field-checks.js";
import type { ActivityBuckets } from "../observability/activity-buckets/activity-buckets.js";
import type { ActivitySummaryJson } from "../observability/activity-summary.js";
import { readAdminJson } from "./admin-body.js";

/** What every admin sub-app needs. */
export interface AdminDeps {
  store: AccountHolder;
  /** The bearer key (admin.key); undefined refuses every request. */
  adminKey: string | undefined;
  bodyTimeoutMs: number;
  now: () => number;
  /** The live activity summary (`GET /metrics/summary`). */
  summary?: () => ActivitySummaryJson;
  /** The persisted activity buckets and the read-only key of the portal (portal-routes.ts). */
  activity?: ActivityBuckets;
  metricsToken?: string | undefined;
}

/** Admin answers hold per-account data: never cached. */
export const NO_STORE = { "cache-control": "no-store" };

/** A path parameter (always present on the routes that read it). */
export const param = (c: Context, name: string): string => c.req.param(name) ?? "";

/** The request's JSON object body, within the admin body limit and the body deadline. */
export const jsonBody = (c: Context, deps: AdminDeps): Promise<Json> =>
  readAdminJson(c, deps.bodyTimeoutMs);

/** Sets `key` as an own property (a key like "__proto__" stays an ordinary entry). */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}
