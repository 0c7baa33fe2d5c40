// The Shapes API on Express: /v2 routes need a valid Approov token (and a DPoP proof).
import { approovGuard } from "@shapes/verifier/express";
import express from "express";
import { corsHeaders, HELLO, listening, pickShape, settings } from "../shapes-config.mjs";

const { port, webOrigins, ...secrets } = settings();
const app = express();
app.use((req, res, next) => {
  res.set(corsHeaders(req.get("origin"), webOrigins));
  if (req.method === "OPTIONS") return res.status(204).end();
  next();
});

const approoved = (_req, res) => {
  const shape = pickShape();
  res.json({ shape, status: `${shape} (approoved)` });
};
app.get("/v1/hello", (_req, res) => res.json({ text: HELLO, status: HELLO }));
app.get("/v1/shapes", (_req, res) => {
  const shape = pickShape();
  res.json({ shape, status: shape });
});
app.get("/v2/shapes", approovGuard(secrets), approoved);
app.get("/v2/dpop/shapes", approovGuard({ ...secrets, dpop: {} }), approoved);

app.listen(port, "127.0.0.1", () => listening("shapes-express", port));
