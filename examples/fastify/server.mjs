// The Shapes API on Fastify: the plugin guards the routes of the scope it is registered in.
import { approovPlugin } from "@shapes/verifier/fastify";
import Fastify from "fastify";
import { corsHeaders, HELLO, listening, pickShape, settings } from "../shapes-config.mjs";

const { port, webOrigins, ...secrets } = settings();
const app = Fastify();
app.addHook("onRequest", async (request, reply) => {
  reply.headers(corsHeaders(request.headers.origin, webOrigins));
  if (request.method === "OPTIONS") return reply.code(204).send();
});
app.options("*", async () => undefined);

const approoved = async () => {
  const shape = pickShape();
  return { shape, status: `${shape} (approoved)` };
};
app.get("/v1/hello", async () => ({ text: HELLO, status: HELLO }));
app.get("/v1/shapes", async () => {
  const shape = pickShape();
  return { shape, status: shape };
});
app.register(async (scope) => {
  await scope.register(approovPlugin, secrets);
  scope.get("/v2/shapes", approoved);
});
app.register(async (scope) => {
  await scope.register(approovPlugin, { ...secrets, dpop: {} });
  scope.get("/v2/dpop/shapes", approoved);
});

await app.listen({ port, host: "127.0.0.1" });
listening("shapes-fastify", port);
