// Next.js route handlers (app/api/.../route.js) work on the Web Request: withApproov wraps
// them. This file is what app/v2/shapes/route.js would export; server.mjs serves it.
import { withApproov } from "@shapes/verifier/next";
import { HELLO, pickShape, settings } from "../shapes-config.mjs";

const { port, webOrigins, ...secrets } = settings();

export { port, webOrigins };

const approoved = () => {
  const shape = pickShape();
  return Response.json({ shape, status: `${shape} (approoved)` });
};

// app/v1/hello/route.js, app/v1/shapes/route.js
export const hello = () => Response.json({ text: HELLO, status: HELLO });
export const shapes = () => {
  const shape = pickShape();
  return Response.json({ shape, status: shape });
};
// app/v2/shapes/route.js: export const GET = withApproov(secrets, approoved)
export const approovedShapes = withApproov(secrets, approoved);
export const dpopShapes = withApproov({ ...secrets, dpop: {} }, approoved);
