import { Hono } from "hono";
import { type AdminDeps, NO_STORE } from "../admin-deps.js";
import { AdminError } from "../admin-error.js";

/** `GET /summary`: the live activity summary `approov metrics` prints. */
export function summaryRoutes(deps: AdminDeps): Hono {
  return new Hono().get("/summary", (c) => {
    if (!deps.summary) throw new AdminError(404, "no metrics in this service");
    return c.json(deps.summary(), 200, NO_STORE);
  });
}
