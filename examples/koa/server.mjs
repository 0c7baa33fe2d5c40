// The Shapes API on Koa (as the public Shapes backend is): /v2 needs a valid Approov token.
import { approovGuard } from "@shapes/verifier/koa";
import Koa from "koa";
import { corsHeaders, HELLO, listening, pickShape, settings } from "../shapes-config.mjs";

const { port, webOrigins, ...secrets } = settings();
const token = approovGuard(secrets);
const dpop = approovGuard({ ...secrets, dpop: {} });
const approoved = (ctx) => {
  const shape = pickShape();
  ctx.body = { shape, status: `${shape} (approoved)` };
};
const routes = {
  "/v1/hello": (ctx) => {
    ctx.body = { text: HELLO, status: HELLO };
  },
  "/v1/shapes": (ctx) => {
    const shape = pickShape();
    ctx.body = { shape, status: shape };
  },
  "/v2/shapes": (ctx) => token(ctx, () => approoved(ctx)),
  "/v2/dpop/shapes": (ctx) => dpop(ctx, () => approoved(ctx)),
};

const app = new Koa();
app.use(async (ctx) => {
  ctx.set(corsHeaders(ctx.get("origin"), webOrigins));
  if (ctx.method === "OPTIONS") {
    ctx.status = 204;
    return;
  }
  const route = ctx.method === "GET" ? routes[ctx.path] : undefined;
  if (!route) {
    ctx.status = 404;
    ctx.body = { status: "not found" };
    return;
  }
  await route(ctx);
});
app.listen(port, "127.0.0.1", () => listening("shapes-koa", port));
