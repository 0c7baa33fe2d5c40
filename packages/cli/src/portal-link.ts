import type { PortalTicketAnswer } from "@shapes/protocol";
import type { AdminClient } from "./admin-client.js";
import { CliError } from "./errors.js";

/** The portal page, and the same link signed in by a one-time ticket in its fragment. */
export interface PortalLink {
  /** The page without any credential: safe to print anywhere. */
  url: string;
  /** `url#ticket=...`: opens one read-only session, once, within `expiresInSeconds`. */
  signedIn: string;
  expiresInSeconds: number;
}

const TICKET = /^[A-Za-z0-9_-]{16,200}$/;
const PATH = /^\/[A-Za-z0-9/_-]{1,200}$/;

/**
 * Asks attest (with the admin key) for a one-time portal ticket. It travels in the URL's
 * fragment, which browsers never send to a server, so it reaches no access log.
 */
export async function portalLink(client: AdminClient): Promise<PortalLink> {
  const answer = (await client.request("POST", "/portal/tickets")) as Partial<PortalTicketAnswer>;
  const { ticket, path, expiresInSeconds } = answer ?? {};
  if (
    typeof ticket !== "string" ||
    !TICKET.test(ticket) ||
    typeof path !== "string" ||
    !PATH.test(path) ||
    typeof expiresInSeconds !== "number"
  ) {
    throw new CliError("bad-answer", "unexpected answer from the attest service: no portal ticket");
  }
  const url = `${client.attestUrl}${path}`;
  return { url, signedIn: `${url}#ticket=${ticket}`, expiresInSeconds };
}
