// What every example shares: the Shapes API's answers, its settings, its CORS policy.
import { decodeApproovEncryptionSecret, decodeApproovSecret } from "@shapes/verifier";

export const HELLO = "Hello, World!";
const SHAPES = ["Circle", "Rectangle", "Square", "Triangle"];
export const pickShape = () => SHAPES[Math.floor(Math.random() * SHAPES.length)];

/** The account secrets (base64, as the public quickstarts take them) and the server's port. */
export function settings(env = process.env) {
  if (!env.APPROOV_SECRET) throw new Error("APPROOV_SECRET (base64) is required");
  return {
    port: Number(env.PORT || 8002),
    secret: decodeApproovSecret(env.APPROOV_SECRET),
    ...(env.APPROOV_ENCRYPTION_SECRET
      ? { encryptionSecret: decodeApproovEncryptionSecret(env.APPROOV_ENCRYPTION_SECRET) }
      : {}),
    webOrigins: (env.WEB_ORIGIN || "http://localhost:8000").split(","),
  };
}

/** CORS for the web app's origins: the headers the pages send, the ones the SDK reads. */
export function corsHeaders(origin, webOrigins) {
  if (!origin || !webOrigins.includes(origin)) return {};
  return {
    "Access-Control-Allow-Origin": origin,
    "Access-Control-Allow-Methods": "GET, OPTIONS",
    "Access-Control-Allow-Headers": "Approov-Token, DPoP, Authorization, Content-Type",
    "Access-Control-Expose-Headers": "WWW-Authenticate, DPoP-Nonce",
    "Access-Control-Max-Age": "600",
    Vary: "Origin",
  };
}

/** The line the test harness waits for, as every service of the repo prints it. */
export const listening = (name, port) =>
  console.log(`${name} listening on http://127.0.0.1:${port}`);
