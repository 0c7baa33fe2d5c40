import { MAX_ENTRIES_PER_INTEGRATION, MAX_TOKEN_LIFETIME_SECONDS } from "@shapes/protocol";
import { type Context, Hono } from "hono";
import type { Account } from "../../account/account.js";
import { bool, int, onlyKnown } from "../../account/field-checks.js";
import { MAX_REFRESH_LIFETIME } from "../../integrations/entry-fields.js";
import type { AnyIntegrationUnit } from "../../integrations/integration.js";
import { type AdminDeps, jsonBody, NO_STORE, param, setOwn } from "../admin-deps.js";
import { AdminError, validated } from "../admin-error.js";
import { entryKey, entryNoun, integrationUnit, RESERVED_KEY } from "../admin-input.js";
import { entryView } from "../admin-view.js";

/** An integration section of a draft account, to change in place. */
function draftSection(draft: Account, unit: AnyIntegrationUnit) {
  const { name, entriesKey } = unit.descriptor;
  const section = (draft as unknown as Record<string, Record<string, unknown>>)[name] as {
    optional: boolean;
  } & Record<string, Record<string, unknown>>;
  return { section, entries: section[entriesKey] as Record<string, unknown> };
}

/**
 * `approov web`: the token lifetimes (`PUT /lifetimes`), an integration's required flag
 * (`PUT /:integration/optional`), and its entries (`PUT` / `DELETE /:integration/:key`).
 */
export function webRoutes(deps: AdminDeps): Hono {
  const { store } = deps;

  const setOptional = async (c: Context, unit: AnyIntegrationUnit) => {
    const json = await jsonBody(c, deps);
    const optional = validated(() => {
      onlyKnown(json, "", ["optional"]);
      return bool(json.optional, "optional");
    });
    await store.update((draft) => {
      draftSection(draft, unit).section.optional = optional;
    });
    return c.json({ integration: unit.descriptor.name, optional }, 200, NO_STORE);
  };

  return new Hono()
    .put("/lifetimes", async (c) => {
      const json = await jsonBody(c, deps);
      const lifetimes = validated(() => {
        onlyKnown(json, "", ["tokenLifetimeSeconds", "refreshTokenLifetimeSeconds"]);
        const token = json.tokenLifetimeSeconds;
        const refresh = json.refreshTokenLifetimeSeconds;
        return {
          token:
            token === undefined
              ? undefined
              : int(token, "tokenLifetimeSeconds", 1, MAX_TOKEN_LIFETIME_SECONDS),
          refresh:
            refresh === undefined
              ? undefined
              : int(refresh, "refreshTokenLifetimeSeconds", 1, MAX_REFRESH_LIFETIME),
        };
      });
      const answer = await store.update((draft) => {
        if (lifetimes.token !== undefined) draft.tokenLifetimeSeconds = lifetimes.token;
        if (lifetimes.refresh !== undefined) draft.refreshTokenLifetimeSeconds = lifetimes.refresh;
        return {
          tokenLifetimeSeconds: draft.tokenLifetimeSeconds,
          refreshTokenLifetimeSeconds: draft.refreshTokenLifetimeSeconds,
        };
      });
      return c.json(answer, 200, NO_STORE);
    })
    .put("/:integration/:key", async (c) => {
      const unit = integrationUnit(param(c, "integration"));
      if (param(c, "key") === RESERVED_KEY) return setOptional(c, unit);
      const key = entryKey(param(c, "key"));
      const json = await jsonBody(c, deps);
      // The whole entry, secret included: omitted properties take their defaults.
      const entry = validated(() => unit.parseEntry(json, ""));
      await store.update((draft) => {
        const { entries } = draftSection(draft, unit);
        const exists = Object.hasOwn(entries, key);
        if (!exists && Object.keys(entries).length >= MAX_ENTRIES_PER_INTEGRATION) {
          throw new AdminError(
            409,
            `${unit.descriptor.name} already has the most ${entryNoun(unit)}s allowed (${MAX_ENTRIES_PER_INTEGRATION})`,
          );
        }
        setOwn(entries, key, entry);
      });
      return c.json(entryView(entry), 200, NO_STORE);
    })
    .delete("/:integration/:key", async (c) => {
      const unit = integrationUnit(param(c, "integration"));
      const integration = unit.descriptor.name;
      const key = entryKey(param(c, "key"));
      await store.update((draft) => {
        const { entries } = draftSection(draft, unit);
        if (!Object.hasOwn(entries, key)) {
          throw new AdminError(404, `${integration} ${entryNoun(unit)} "${key}" not found`);
        }
        delete entries[key];
      });
      return c.json({ integration, key }, 200, NO_STORE);
    });
}
