import {
  ACTIVITY_PERIODS,
  type ActivityPeriod,
  type PortalSessionAnswer,
  type PortalTicketAnswer,
} from "@shapes/protocol";
import { Hono } from "hono";
import { bearerToken } from "../../http/bearer-token.js";
import { BucketStoreError } from "../../observability/activity-buckets/bucket-store.js";
import { type PortalKeys, requireAccess } from "../../portal/portal-access.js";
import { isPortalAsset, PAGE_HEADERS, portalAsset } from "../../portal/portal-assets.js";
import { PortalSessions } from "../../portal/portal-sessions.js";
import { type AdminDeps, NO_STORE } from "../admin-deps.js";
import { AdminError } from "../admin-error.js";

/** Where the page is, under the admin API's mount (/admin/v1). */
export const PORTAL_PATH = "/portal";

const isPeriod = (value: string | undefined): value is ActivityPeriod =>
  (ACTIVITY_PERIODS as readonly string[]).includes(value ?? "");

/**
 * The metrics portal, mounted before the admin key check: the page and its files need no
 * key (they hold no data); the data needs the admin key, METRICS_TOKEN, or a read-only
 * session the page opens with a one-time ticket from `approov metrics`.
 *
 * - `GET  /portal`                       the page (strict CSP, never framed)
 * - `GET  /portal/assets/:name`          its script, styles and Chart.js
 * - `POST /portal/tickets`               admin key: a one-time ticket (60 s)
 * - `POST /portal/sessions`              ticket, admin key or METRICS_TOKEN: a session (2 h)
 * - `DELETE /portal/sessions`            the session: closes it
 * - `GET  /metrics/buckets?period=`      any of them: the kept buckets of minute|hour|day|month
 */
export function portalRoutes(deps: AdminDeps): Hono {
  const sessions = new PortalSessions({ now: deps.now });
  const keys: PortalKeys = { adminKey: deps.adminKey, metricsToken: deps.metricsToken, sessions };
  const routes = new Hono();

  routes.get(PORTAL_PATH, async (c) => {
    const page = await portalAsset("index.html");
    return c.body(page.body, 200, { "content-type": page.contentType, ...PAGE_HEADERS });
  });
  routes.get(`${PORTAL_PATH}/assets/:name`, async (c) => {
    const name = c.req.param("name");
    if (!isPortalAsset(name) || name === "index.html") {
      throw new AdminError(404, "no such portal file");
    }
    const asset = await portalAsset(name);
    return c.body(asset.body, 200, {
      "content-type": asset.contentType,
      "x-content-type-options": "nosniff",
      "cache-control": "no-cache",
    });
  });

  routes.post(`${PORTAL_PATH}/tickets`, (c) => {
    requireAccess(c, keys, ["admin"]);
    const answer: PortalTicketAnswer = {
      ticket: sessions.issueTicket(),
      expiresInSeconds: sessions.ticketTtlMs / 1000,
      path: `/admin/v1${PORTAL_PATH}`,
    };
    return c.json(answer, 201, NO_STORE);
  });
  routes.post(`${PORTAL_PATH}/sessions`, (c) => {
    requireAccess(c, keys, ["admin", "metrics-key", "ticket"]);
    const { session, expiresAt } = sessions.openSession();
    const answer: PortalSessionAnswer = {
      session,
      expiresAt: new Date(expiresAt).toISOString(),
      access: "metrics:read",
    };
    return c.json(answer, 201, NO_STORE);
  });
  routes.delete(`${PORTAL_PATH}/sessions`, (c) => {
    requireAccess(c, keys, ["session"]);
    sessions.closeSession(bearerToken(c.req.header("authorization")) ?? "");
    return c.body(null, 204, NO_STORE);
  });

  routes.get("/metrics/buckets", async (c) => {
    requireAccess(c, keys, ["admin", "metrics-key", "session"]);
    const period = c.req.query("period");
    if (!isPeriod(period)) {
      throw new AdminError(400, `period must be one of ${ACTIVITY_PERIODS.join(", ")}`, "period");
    }
    if (!deps.activity) throw new AdminError(404, "no activity buckets in this service");
    try {
      return c.json(await deps.activity.read(period), 200, NO_STORE);
    } catch (error) {
      if (error instanceof BucketStoreError) {
        throw new AdminError(503, "the activity store is unavailable; try again");
      }
      throw error;
    }
  });
  return routes;
}
