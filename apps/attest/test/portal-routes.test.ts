import type {
  ActivityBucketsAnswer,
  PortalSessionAnswer,
  PortalTicketAnswer,
} from "@shapes/protocol";
import { describe, expect, it } from "vitest";
import { PortalSessions } from "../src/portal/portal-sessions.js";
import { adminCall, connEnv, postAttest, TEST_ADMIN_KEY, testApp } from "./helpers/test-app.js";

/**
 * The portal's routes in process: the page needs no key and holds nothing; the data needs
 * the admin key, METRICS_TOKEN or a session; a ticket opens one session, once.
 */

const METRICS_TOKEN = "read-only-metrics-token-0123456789";

function portal() {
  let now = Date.UTC(2025, 0, 1);
  const t = testApp({ settings: { metricsToken: METRICS_TOKEN }, now: () => now });
  const call = (method: string, path: string, key: string | null) =>
    adminCall(t.app, method, path, undefined, key);
  return { ...t, call, advance: (ms: number) => (now += ms) };
}

describe("the metrics portal", () => {
  it("serves the page and its files without a key, with a strict CSP and no CORS", async () => {
    const { app, call } = portal();
    const page = await call("GET", "/portal", null);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe");
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    expect(page.headers.get("cache-control")).toBe("no-store");
    const html = await page.text();
    for (const tab of [
      "Live: Web App Activity",
      "Billing Usage",
      "Summary: Hourly Activity",
      "Summary: Daily Activity",
      "Summary: Monthly Activity",
    ]) {
      expect(html).toContain(tab);
    }
    // No inline script or style: the CSP would block them.
    expect(html).not.toMatch(/<script>|<style|style="/);
    for (const name of [
      "portal.js",
      "access.js",
      "dashboards.js",
      "dashboard-view.js",
      "portal.css",
      "chart.umd.min.js",
    ]) {
      const asset = await call("GET", `/portal/assets/${name}`, null);
      expect(asset.status).toBe(200);
      expect((await asset.text()).length).toBeGreaterThan(500);
    }
    expect((await call("GET", "/portal/assets/index.html", null)).status).toBe(404);
    expect((await call("GET", "/portal/assets/..%2Fpackage.json", null)).status).toBe(404);
    const cors = await app.request(
      "/admin/v1/portal",
      { headers: { origin: "https://evil.example" } },
      connEnv(),
    );
    expect(cors.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("answers the data only with a key or a session, saying what is missing", async () => {
    const { call } = portal();
    const none = await call("GET", "/metrics/buckets?period=hour", null);
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: string }).error).toMatch(
      /^metrics access required: open the portal with `approov metrics`/,
    );
    const wrong = await call("GET", "/metrics/buckets?period=hour", "not-a-key-not-a-key");
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: string }).error).toMatch(
      /^metrics access not accepted/,
    );
    expect((await call("GET", "/metrics/buckets?period=hour", TEST_ADMIN_KEY)).status).toBe(200);
    expect((await call("GET", "/metrics/buckets?period=day", METRICS_TOKEN)).status).toBe(200);
    const bad = await call("GET", "/metrics/buckets?period=week", TEST_ADMIN_KEY);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      error: "period must be one of minute, hour, day, month",
      field: "period",
    });
    // The read-only key opens nothing else of the admin API.
    expect((await call("GET", "/account", METRICS_TOKEN)).status).toBe(401);
    expect((await call("POST", "/portal/tickets", METRICS_TOKEN)).status).toBe(401);
  });

  it("exchanges a one-time ticket for a read-only session that expires", async () => {
    const { app, call, advance } = portal();
    const issued = await call("POST", "/portal/tickets", TEST_ADMIN_KEY);
    expect(issued.status).toBe(201);
    const ticket = (await issued.json()) as PortalTicketAnswer;
    expect(ticket).toMatchObject({ expiresInSeconds: 60, path: "/admin/v1/portal" });
    // A ticket is no key to the data, and works once.
    expect((await call("GET", "/metrics/buckets?period=hour", ticket.ticket)).status).toBe(401);
    const opened = await call("POST", "/portal/sessions", ticket.ticket);
    expect(opened.status).toBe(201);
    const session = (await opened.json()) as PortalSessionAnswer;
    expect(session.access).toBe("metrics:read");
    expect(Date.parse(session.expiresAt)).toBe(Date.UTC(2025, 0, 1) + 2 * 3600_000);
    expect((await call("POST", "/portal/sessions", ticket.ticket)).status).toBe(401);

    await postAttest(app, [["api", "localhost"]]);
    const read = await call("GET", "/metrics/buckets?period=minute", session.session);
    expect(read.status).toBe(200);
    const answer = (await read.json()) as ActivityBucketsAnswer;
    expect(answer.store).toBe("memory");
    expect(answer.buckets).toHaveLength(120);
    expect(answer.total).toMatchObject({ requests: 1, error: 1 });
    // Read-only: a session changes nothing and reads nothing else.
    expect((await call("GET", "/account", session.session)).status).toBe(401);
    expect((await call("GET", "/metrics/summary", session.session)).status).toBe(401);
    expect((await call("POST", "/portal/tickets", session.session)).status).toBe(401);

    advance(2 * 3600_000);
    expect((await call("GET", "/metrics/buckets?period=hour", session.session)).status).toBe(401);
    const stale = (await (
      await call("POST", "/portal/tickets", TEST_ADMIN_KEY)
    ).json()) as PortalTicketAnswer;
    advance(61_000);
    expect((await call("POST", "/portal/sessions", stale.ticket)).status).toBe(401);
  });

  it("closes a session on sign-out; the admin key and METRICS_TOKEN open sessions too", async () => {
    const { call } = portal();
    for (const key of [TEST_ADMIN_KEY, METRICS_TOKEN]) {
      const { session } = (await (
        await call("POST", "/portal/sessions", key)
      ).json()) as PortalSessionAnswer;
      expect((await call("GET", "/metrics/buckets?period=day", session)).status).toBe(200);
      expect((await call("DELETE", "/portal/sessions", session)).status).toBe(204);
      expect((await call("GET", "/metrics/buckets?period=day", session)).status).toBe(401);
    }
  });
});

describe("portal sessions", () => {
  it("keep at most their bound, the oldest giving way", () => {
    const sessions = new PortalSessions({ now: () => 0, maxSessions: 3, maxTickets: 2 });
    const opened = [1, 2, 3, 4].map(() => sessions.openSession().session);
    expect(opened.map((s) => sessions.isSession(s))).toEqual([false, true, true, true]);
    const tickets = [1, 2, 3].map(() => sessions.issueTicket());
    expect(tickets.map((t) => sessions.redeemTicket(t))).toEqual([false, true, true]);
    // A session is no ticket and a ticket no session.
    expect(sessions.redeemTicket(opened[3] as string)).toBe(false);
    expect(sessions.isSession(sessions.issueTicket())).toBe(false);
  });
});
