import { isIP } from "node:net";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";

/** Used when there is no socket (e.g. app.request() in a test without env). */
export const UNKNOWN_IP = "0.0.0.0";

function normalise(address: string | undefined): string | undefined {
  if (!address) return undefined;
  // Dual-stack sockets report IPv4 clients as ::ffff:a.b.c.d.
  const plain =
    address.startsWith("::ffff:") && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
  return isIP(plain) ? plain : undefined;
}

/**
 * The client's IP address: the socket's peer, or, only when `trustProxy` (the
 * service runs behind one proxy of ours), the last X-Forwarded-For entry, the one
 * that proxy appended. Earlier entries are client-controlled and ignored.
 */
export function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header("x-forwarded-for");
    const last = normalise(forwarded?.split(",").at(-1)?.trim());
    if (last) return last;
  }
  let socketAddress: string | undefined;
  try {
    socketAddress = getConnInfo(c).remote.address;
  } catch {
    socketAddress = undefined;
  }
  return normalise(socketAddress) ?? UNKNOWN_IP;
}
