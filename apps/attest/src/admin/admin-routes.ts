import { type Context, Hono } from "hono";
import type { Account } from "../account/account.js";
import {
  type AccountHolder,
  AccountSaveError,
  AccountUnavailableError,
} from "../account/account-holder.js";
import { MAX_TOKEN_LIFETIME } from "../account/account-validate.js";
import { bool, int, type Json, onlyKnown } from "../account/field-checks.js";
import { requestIdOf } from "../http/request-id.js";
import { MAX_REFRESH_LIFETIME } from "../integrations/entry-fields.js";
import type { AnyIntegrationUnit } from "../integrations/integration.js";
import type { ActivitySummaryJson } from "../observability/activity-summary.js";
import { type LogWriter, logLine, stdoutLogWriter } from "../observability/log-line.js";
import { SharedAccountInvalidError } from "../shared-state/shared-store.js";
import { adminAuth } from "./admin-auth.js";
import { readAdminJson } from "./admin-body.js";
import { AdminError, adminErrorResponse, validated } from "./admin-error.js";
import { apiDomain, entryKey, entryNoun, integrationUnit, RESERVED_KEY } from "./admin-input.js";
import { checkToken, exampleToken } from "./admin-tokens.js";
import { accountView, entryView } from "./admin-view.js";

/** Bounds the account file (and what every request reads): 409 beyond these. */
export const MAX_APIS = 100;
export const MAX_ENTRIES_PER_INTEGRATION = 100;

/** One line per admin request: what was asked and the answer's status, never a body. */
export interface AdminLogEntry {
  time: string;
  msg: "admin";
  /** The request's id (X-Request-Id), shared with its access log line. */
  requestId?: string;
  method: string;
  path: string;
  status: number;
}
export type AdminLog = (entry: AdminLogEntry) => void;

/** An admin log writing each entry as one structured line (`level` "info"). */
export function adminLogTo(write: LogWriter): AdminLog {
  return ({ time, ...rest }) => write({ time, level: "info", ...rest });
}

export interface AdminDeps {
  store: AccountHolder;
  /** The bearer key (admin.key); undefined refuses every request. */
  adminKey: string | undefined;
  bodyTimeoutMs: number;
  now: () => number;
  log: AdminLog;
  /** Where failures are logged (structured lines; stdout by default). */
  write?: LogWriter;
  /** The live activity summary (`GET /metrics/summary`). */
  summary?: () => ActivitySummaryJson;
}

const NO_STORE = { "cache-control": "no-store" };

type Handler = (c: Context) => Promise<Response>;

/** A path parameter (always present on the routes that read it). */
const param = (c: Context, name: string): string => c.req.param(name) ?? "";

/** An integration section of a draft account, to change in place. */
function draftSection(draft: Account, unit: AnyIntegrationUnit) {
  const { name, entriesKey } = unit.descriptor;
  const section = (draft as unknown as Record<string, Record<string, unknown>>)[name] as {
    optional: boolean;
  } & Record<string, Record<string, unknown>>;
  return { section, entries: section[entriesKey] as Record<string, unknown> };
}

/**
 * The admin API (admin-api.md) as a Hono app, mounted at `/admin/v1`: bearer key first,
 * JSON bodies within 16 KiB, `{error, field?}` answers, every change saved before the answer.
 */
export function adminRoutes(deps: AdminDeps): Hono {
  const admin = new Hono();
  const { store } = deps;
  const write = deps.write ?? stdoutLogWriter;
  const logError = (c: Context, msg: string, fields: Record<string, unknown>) =>
    write(logLine(deps.now(), "error", msg, requestIdOf(c), fields));

  /** Error answers for every route: typed refusals as they are, anything else a bare 500. */
  const handle =
    (fn: Handler): Handler =>
    async (c) => {
      try {
        return await fn(c);
      } catch (error) {
        if (error instanceof AdminError) return adminErrorResponse(c, error);
        if (error instanceof AccountSaveError) {
          logError(c, "admin change not saved", { error: error.message });
          return adminErrorResponse(
            c,
            new AdminError(500, "the change could not be saved; nothing changed"),
          );
        }
        if (
          error instanceof AccountUnavailableError ||
          error instanceof SharedAccountInvalidError
        ) {
          logError(c, "admin change not applied", { error: error.name, detail: error.message });
          return adminErrorResponse(
            c,
            new AdminError(
              503,
              "the shared account store is unavailable; nothing changed, try again",
            ),
            { "retry-after": "1" },
          );
        }
        // The name only: messages could echo request data; no stack ever reaches the client.
        logError(c, "admin unexpected error", { error: (error as Error)?.name ?? "error" });
        return adminErrorResponse(c, new AdminError(500, "internal error"));
      }
    };
  const body = (c: Context) => readAdminJson(c, deps.bodyTimeoutMs);

  admin.use("*", async (c, next) => {
    await next();
    const requestId = requestIdOf(c);
    deps.log({
      time: new Date(deps.now()).toISOString(),
      msg: "admin",
      ...(requestId !== undefined ? { requestId } : {}),
      method: c.req.method,
      // Paths hold public names only (domains, site keys); clipped, as they are client text.
      path: c.req.path.slice(0, 300),
      status: c.res.status,
    });
  });
  admin.use("*", adminAuth(deps.adminKey));

  admin.get(
    "/account",
    handle(async (c) => c.json(accountView(store.get().account), 200, NO_STORE)),
  );

  admin.put(
    "/apis/:domain",
    handle(async (c) => {
      const domain = apiDomain(param(c, "domain"));
      const json = await body(c);
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
        Object.defineProperty(draft.apis, domain, {
          value: api,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      });
      return c.json(
        { domain, ...api, alg: "HS256", ...(api.jwe ? { enc: "A256GCMKW" } : {}) },
        200,
        NO_STORE,
      );
    }),
  );

  admin.delete(
    "/apis/:domain",
    handle(async (c) => {
      const domain = apiDomain(param(c, "domain"));
      await store.update((draft) => {
        if (!Object.hasOwn(draft.apis, domain)) {
          throw new AdminError(404, `api "${domain}" not found`);
        }
        delete draft.apis[domain];
      });
      return c.json({ domain }, 200, NO_STORE);
    }),
  );

  admin.put(
    "/web/lifetimes",
    handle(async (c) => {
      const json = await body(c);
      const lifetimes = validated(() => {
        onlyKnown(json, "", ["tokenLifetimeSeconds", "refreshTokenLifetimeSeconds"]);
        const token = json.tokenLifetimeSeconds;
        const refresh = json.refreshTokenLifetimeSeconds;
        return {
          token:
            token === undefined
              ? undefined
              : int(token, "tokenLifetimeSeconds", 1, MAX_TOKEN_LIFETIME),
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
    }),
  );

  const setOptional = async (c: Context, unit: AnyIntegrationUnit) => {
    const json = await body(c);
    const optional = validated(() => {
      onlyKnown(json, "", ["optional"]);
      return bool(json.optional, "optional");
    });
    await store.update((draft) => {
      draftSection(draft, unit).section.optional = optional;
    });
    return c.json({ integration: unit.descriptor.name, optional }, 200, NO_STORE);
  };

  admin.put(
    "/web/:integration/:key",
    handle(async (c) => {
      const unit = integrationUnit(param(c, "integration"));
      if (param(c, "key") === RESERVED_KEY) return setOptional(c, unit);
      const key = entryKey(param(c, "key"));
      const json: Json = await body(c);
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
        Object.defineProperty(entries, key, {
          value: entry,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      });
      return c.json(entryView(entry), 200, NO_STORE);
    }),
  );

  admin.delete(
    "/web/:integration/:key",
    handle(async (c) => {
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
    }),
  );

  admin.post(
    "/tokens/check",
    handle(async (c) => c.json(await checkToken(store.get(), await body(c)), 200, NO_STORE)),
  );

  admin.post(
    "/tokens/example",
    handle(async (c) =>
      c.json(await exampleToken(store.get(), await body(c), deps.now()), 200, NO_STORE),
    ),
  );

  admin.get(
    "/metrics/summary",
    handle(async (c) => {
      if (!deps.summary) throw new AdminError(404, "no metrics in this service");
      return c.json(deps.summary(), 200, NO_STORE);
    }),
  );

  admin.all("*", (c) =>
    adminErrorResponse(
      c,
      new AdminError(404, `no admin endpoint ${c.req.method} ${c.req.path}`.slice(0, 300)),
    ),
  );
  return admin;
}
