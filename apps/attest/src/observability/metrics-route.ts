import { secretsEqual } from "@shapes/node-service";
import { Hono } from "hono";
import { bearerToken } from "../http/bearer-token.js";
import type { AttestMetrics } from "./metrics.js";

const unauthorized = (message: string) =>
  new Response(`${JSON.stringify({ error: message })}\n`, {
    status: 401,
    headers: {
      "content-type": "application/json",
      "cache-control": "no-store",
      "www-authenticate": 'Bearer realm="metrics"',
    },
  });

/**
 * `GET /metrics`: the Prometheus text exposition of this instance. With a token configured,
 * `Authorization: Bearer <token>` is required (compared in constant time). No CORS.
 */
export function metricsRoutes(metrics: AttestMetrics, token: string | undefined): Hono {
  const routes = new Hono();
  routes.get("/", async (c) => {
    if (token !== undefined) {
      const given = bearerToken(c.req.header("authorization"));
      if (given === undefined) return unauthorized("metrics token required");
      if (!secretsEqual(given, token)) return unauthorized("metrics token not accepted");
    }
    return c.body(await metrics.text(), 200, {
      "content-type": metrics.contentType,
      "cache-control": "no-store",
    });
  });
  routes.all("/", (c) => c.json({ error: "method not allowed" }, 405, { allow: "GET" }));
  return routes;
}
