import type { Socket } from "node:net";
import type { Context } from "hono";

/** What @hono/node-server passes as `c.env`; absent under `app.request()`. */
interface NodeBindings {
  incoming?: { socket?: Socket };
}

/** The request's TCP socket when served by Node, else undefined (in-process requests). */
export function requestSocket(c: Context): Socket | undefined {
  return (c.env as NodeBindings | undefined)?.incoming?.socket;
}

/**
 * The client's IP address from the socket (never from headers, which a client can
 * forge). IPv4-mapped IPv6 addresses are shown as IPv4. In-process requests, which have
 * no socket, come from this machine: 127.0.0.1.
 */
export function clientIp(c: Context): string {
  const address = requestSocket(c)?.remoteAddress;
  if (!address) return "127.0.0.1";
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}
