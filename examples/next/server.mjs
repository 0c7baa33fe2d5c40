// Serves the route handlers on a real socket as Next.js would route them (no Next build
// here: the handlers are the part a Next.js app writes; Next only maps paths to them).
import { serve } from "@hono/node-server";
import { corsHeaders, listening } from "../shapes-config.mjs";
import { approovedShapes, dpopShapes, hello, port, shapes, webOrigins } from "./route-handlers.mjs";

const routes = {
  "/v1/hello": hello,
  "/v1/shapes": shapes,
  "/v2/shapes": approovedShapes,
  "/v2/dpop/shapes": dpopShapes,
};

serve({
  port,
  hostname: "127.0.0.1",
  fetch: async (request) => {
    const cors = corsHeaders(request.headers.get("origin") ?? undefined, webOrigins);
    if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: cors });
    const route = request.method === "GET" ? routes[new URL(request.url).pathname] : undefined;
    const response = route
      ? await route(request)
      : Response.json({ status: "not found" }, { status: 404 });
    const answer = new Response(response.body, response);
    for (const [name, value] of Object.entries(cors)) answer.headers.set(name, value);
    return answer;
  },
});
listening("shapes-next", port);
