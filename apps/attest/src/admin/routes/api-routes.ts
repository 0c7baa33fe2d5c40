import { MAX_APIS } from "@shapes/protocol";
import { Hono } from "hono";
import { bool, onlyKnown } from "../../account/field-checks.js";
import { type AdminDeps, jsonBody, NO_STORE, param, setOwn } from "../admin-deps.js";
import { AdminError, validated } from "../admin-error.js";
import { apiDomain } from "../admin-input.js";

/** `PUT /apis/:domain` (`approov api -add`) and `DELETE /apis/:domain`. */
export function apiRoutes(deps: AdminDeps): Hono {
  const { store } = deps;
  return new Hono()
    .put("/:domain", async (c) => {
      const domain = apiDomain(param(c, "domain"));
      const json = await jsonBody(c, deps);
      const api = validated(() => {
        onlyKnown(json, "", ["allowWeb", "jwe"]);
        return {
          allowWeb: bool(json.allowWeb, "allowWeb", false),
          jwe: bool(json.jwe, "jwe", false),
        };
      });
      await store.update((draft) => {
        const exists = Object.hasOwn(draft.apis, domain);
        if (!exists && Object.keys(draft.apis).length >= MAX_APIS) {
          throw new AdminError(409, `the account already has the most APIs allowed (${MAX_APIS})`);
        }
        // Adding again overwrites the whole entry (the seed: "completely overwrites").
        setOwn(draft.apis, domain, api);
      });
      return c.json(
        { domain, ...api, alg: "HS256", ...(api.jwe ? { enc: "A256GCMKW" } : {}) },
        200,
        NO_STORE,
      );
    })
    .delete("/:domain", async (c) => {
      const domain = apiDomain(param(c, "domain"));
      await store.update((draft) => {
        if (!Object.hasOwn(draft.apis, domain)) {
          throw new AdminError(404, `api "${domain}" not found`);
        }
        delete draft.apis[domain];
      });
      return c.json({ domain }, 200, NO_STORE);
    });
}
