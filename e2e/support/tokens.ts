// Tokens the way a backend team would make them to probe its own check.
import { randomBytes } from "node:crypto";
import { decodeJwt, jwtVerify, SignJWT } from "jose";
import { readAccount } from "./stack.js";

export function accountSecret(): Uint8Array {
  return new Uint8Array(Buffer.from(readAccount().secret, "base64"));
}

export async function signToken(
  claims: Record<string, unknown>,
  key: Uint8Array = accountSecret(),
): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "JWT" }).sign(key);
}

export function randomKey(): Uint8Array {
  return new Uint8Array(randomBytes(32));
}

/** Whether the token verifies with the account secret (what the API decides). */
export async function verifiesWithAccountSecret(token: string): Promise<boolean> {
  try {
    await jwtVerify(token, accountSecret(), { algorithms: ["HS256"] });
    return true;
  } catch {
    return false;
  }
}

export { decodeJwt };
