import { Hono } from "hono";
import { type AdminDeps, NO_STORE } from "../admin-deps.js";
import { accountView } from "../admin-view.js";

/** `GET /account`: the whole configuration without secrets. */
export function accountRoutes(deps: AdminDeps): Hono {
  return new Hono().get("/", (c) => c.json(accountView(deps.store.get().account), 200, NO_STORE));
}
