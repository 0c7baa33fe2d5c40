import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import express from "express";
import Fastify from "fastify";
import { Hono } from "hono";
import Koa from "koa";
import { approovGuard as expressGuard, keepRawBody } from "../src/express.js";
import { approovPlugin } from "../src/fastify.js";
import { withApproov } from "../src/fetch.js";
import type { ApproovGuardOptions } from "../src/guard/approov-guard.js";
import { approovToken, approovTokenBinding, dpopProof } from "../src/hono.js";
import { approovGuard as koaGuard } from "../src/koa.js";

/** The three routes every framework server has: the token, token binding, DPoP (+ msgs). */
export interface RouteOptions {
  token: ApproovGuardOptions;
  bound: ApproovGuardOptions;
  dpop: ApproovGuardOptions;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

const SHAPE = { shape: "Circle", status: "Circle (approoved)" };

function listening(server: Server): Promise<RunningServer> {
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

/** Hono with today's middleware (the reference the others must match). */
function hono(o: RouteOptions): Promise<RunningServer> {
  const app = new Hono();
  app.get("/v2/shapes", approovToken(o.token), (c) => c.json(SHAPE));
  app.get("/v2/bound", approovToken(o.bound), approovTokenBinding(o.bound.binding), (c) =>
    c.json(SHAPE),
  );
  app.on(["GET", "POST"], "/v2/dpop", approovToken(o.dpop), dpopProof(o.dpop.dpop), async (c) =>
    c.json(c.req.method === "POST" ? { received: await c.req.json() } : SHAPE),
  );
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

function expressApp(o: RouteOptions): Promise<RunningServer> {
  const app = express();
  app.use(express.json({ verify: keepRawBody }));
  app.get("/v2/shapes", expressGuard(o.token), (_req, res) => {
    res.json(SHAPE);
  });
  app.get("/v2/bound", expressGuard(o.bound), (_req, res) => {
    res.json(SHAPE);
  });
  const dpop = expressGuard(o.dpop);
  app.get("/v2/dpop", dpop, (_req, res) => {
    res.json(SHAPE);
  });
  app.post("/v2/dpop", dpop, (req, res) => {
    res.json({ received: req.body });
  });
  return listening(createServer(app));
}

function koaApp(o: RouteOptions): Promise<RunningServer> {
  const app = new Koa();
  const guards = {
    "/v2/shapes": koaGuard(o.token),
    "/v2/bound": koaGuard(o.bound),
    "/v2/dpop": koaGuard(o.dpop),
  };
  app.use(async (ctx) => {
    const guard = guards[ctx.path as keyof typeof guards];
    if (!guard) {
      ctx.status = 404;
      return;
    }
    await guard(ctx, async () => {
      const raw = (ctx.request as typeof ctx.request & { rawBody?: Buffer }).rawBody;
      ctx.body =
        ctx.method === "POST" ? { received: JSON.parse(raw?.toString("utf8") ?? "null") } : SHAPE;
    });
  });
  return listening(createServer(app.callback()));
}

async function fastifyApp(o: RouteOptions): Promise<RunningServer> {
  const app = Fastify();
  app.register(async (scope) => {
    await scope.register(approovPlugin, o.token);
    scope.get("/v2/shapes", async () => SHAPE);
  });
  app.register(async (scope) => {
    await scope.register(approovPlugin, o.bound);
    scope.get("/v2/bound", async () => SHAPE);
  });
  app.register(async (scope) => {
    await scope.register(approovPlugin, o.dpop);
    scope.get("/v2/dpop", async () => SHAPE);
    scope.post("/v2/dpop", async (request) => ({ received: request.body }));
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

/** Web `Request` handlers, as Next.js route handlers are, behind a real Node socket. */
function fetchApp(o: RouteOptions): Promise<RunningServer> {
  const shapes = withApproov(o.token, () => Response.json(SHAPE));
  const bound = withApproov(o.bound, () => Response.json(SHAPE));
  const dpop = withApproov(o.dpop, async (request) =>
    Response.json(request.method === "POST" ? { received: await request.json() } : SHAPE),
  );
  const routes: Record<string, (request: Request) => Promise<Response>> = {
    "/v2/shapes": shapes,
    "/v2/bound": bound,
    "/v2/dpop": dpop,
  };
  return new Promise((resolve) => {
    const server = serve(
      {
        fetch: (request) =>
          routes[new URL(request.url).pathname]?.(request) ??
          new Response("not found", { status: 404 }),
        port: 0,
        hostname: "127.0.0.1",
      },
      (info) => {
        resolve({
          url: `http://127.0.0.1:${info.port}`,
          close: () => new Promise((done) => server.close(() => done())),
        });
      },
    );
  });
}

/** Every framework the verifier has an adapter for, each a real server on a real socket. */
export const FRAMEWORKS: Record<string, (o: RouteOptions) => Promise<RunningServer>> = {
  hono,
  express: expressApp,
  fastify: fastifyApp,
  koa: koaApp,
  "fetch (Next.js)": fetchApp,
};
