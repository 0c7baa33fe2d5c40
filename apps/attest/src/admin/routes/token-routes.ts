import { Hono } from "hono";
import { type AdminDeps, jsonBody, NO_STORE } from "../admin-deps.js";
import { checkToken, exampleToken } from "../admin-tokens.js";

/** `approov token`: `POST /check` a token, `POST /example` one for testing. */
export function tokenRoutes(deps: AdminDeps): Hono {
  const { store } = deps;
  return new Hono()
    .post("/check", async (c) =>
      c.json(await checkToken(store.get(), await jsonBody(c, deps)), 200, NO_STORE),
    )
    .post("/example", async (c) =>
      c.json(await exampleToken(store.get(), await jsonBody(c, deps), deps.now()), 200, NO_STORE),
    );
}
