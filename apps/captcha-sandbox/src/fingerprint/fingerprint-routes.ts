import { Hono } from "hono";
import { cors } from "hono/cors";
import { SCRIPT_HEADERS } from "../browser-responses.js";
import { jsonBodyLimit } from "../json-body.js";
import { KEY_FORMAT } from "../key-format.js";
import { clientIp } from "../node-socket.js";
import type { BotControl } from "./bot-control.js";
import { CONFIDENCE } from "./event-answers.js";
import type { EventStore } from "./event-store.js";
import { readIdentifyRequest } from "./identify-request.js";
import { browserDetails } from "./user-agent.js";
import { newRequestId, type VisitorIds } from "./visitor-id.js";

/** The identify body: a few short fields plus an optional tag of at most 4 KiB. */
export const IDENTIFY_MAX_BYTES = 8 * 1024;

const NO_STORE = { "Cache-Control": "no-store" };

export interface AgentRoutesDeps {
  now: () => number;
  events: EventStore;
  bots: BotControl;
  visitorIds: VisitorIds;
  /** `GET /fingerprint/v3/<publicKey>`: the agent, an ES module. */
  agentJs: string;
}

/** The browser side of Fingerprint: the agent module and the identify call it makes. */
export function agentRoutes(deps: AgentRoutesDeps) {
  const routes = new Hono();
  const anyOrigin = cors({ origin: "*", allowMethods: ["GET", "POST"], maxAge: 600 });

  routes.use("/v3/:publicKey", anyOrigin);
  routes.get("/v3/:publicKey", (c) => {
    // The module reads its public key from its own URL (import.meta.url).
    if (!KEY_FORMAT.test(c.req.param("publicKey"))) {
      return c.json({ error: "invalid-public-key", message: "no agent for this key" }, 404);
    }
    return c.body(deps.agentJs, 200, SCRIPT_HEADERS);
  });

  routes.use("/identify", anyOrigin);
  routes.post("/identify", jsonBodyLimit(IDENTIFY_MAX_BYTES), async (c) => {
    const request = await readIdentifyRequest(c.req.raw);
    const timestamp = deps.now();
    const visitorId = deps.visitorIds.visitorId(request.publicKey, request.browserId);
    const event = deps.events.record({
      requestId: newRequestId(timestamp),
      visitorId,
      publicKey: request.publicKey,
      region: request.region,
      timestamp,
      url: request.url,
      ip: clientIp(c),
      browserDetails: browserDetails(request.userAgent),
      tag: request.tag,
      ...(request.linkedId === undefined ? {} : { linkedId: request.linkedId }),
      bot: deps.bots.resultFor(visitorId),
    });
    return c.json(
      {
        visitorId,
        requestId: event.requestId,
        confidence: CONFIDENCE,
        visitorFound: event.visitorFound,
      },
      200,
      NO_STORE,
    );
  });

  return routes;
}
