// The portal's access: a read-only metrics session in this tab's sessionStorage, opened
// from a one-time ticket (the URL's fragment, put there by `approov metrics`: fragments
// never reach a server or a log) or a key typed in the form (sent once, never kept), and
// sent as a Bearer header on same-origin fetches only.

export const SESSION_KEY = "approov-portal-session";

/** A read-only access problem the page states in words. */
export class AccessError extends Error {}

export function storedSession() {
  try {
    const value = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? "null");
    if (value && typeof value.session === "string" && Date.parse(value.expiresAt) > Date.now())
      return value;
  } catch {
    // A damaged entry is as good as none.
  }
  sessionStorage.removeItem(SESSION_KEY);
  return undefined;
}

/** Exchanges a ticket or a key for a session (POST portal/sessions); keeps only the session. */
export async function openSession(credential) {
  const response = await fetch("portal/sessions", {
    method: "POST",
    headers: { authorization: `Bearer ${credential}` },
    cache: "no-store",
    credentials: "omit",
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new AccessError(body.error ?? `attest answered ${response.status}`);
  sessionStorage.setItem(
    SESSION_KEY,
    JSON.stringify({ session: body.session, expiresAt: body.expiresAt }),
  );
  return body;
}

/**
 * The ticket in the fragment, if any, removed from the address bar and history at once
 * (the fragment keeps only the tab, when `isTab` knows it).
 */
export function ticketFromFragment(isTab) {
  const params = new URLSearchParams(location.hash.slice(1));
  const ticket = params.get("ticket");
  if (!ticket) return undefined;
  const tab = params.get("tab");
  history.replaceState(
    null,
    "",
    `${location.pathname}${location.search}#${tab && isTab(tab) ? tab : "live"}`,
  );
  return ticket;
}

export async function fetchBuckets(period) {
  const session = storedSession();
  if (!session) throw new AccessError("No metrics session: this page has no access yet.");
  const response = await fetch(`metrics/buckets?period=${encodeURIComponent(period)}`, {
    headers: { authorization: `Bearer ${session.session}` },
    cache: "no-store",
    credentials: "omit",
  });
  const body = await response.json().catch(() => ({}));
  if (response.status === 401) {
    sessionStorage.removeItem(SESSION_KEY);
    throw new AccessError(`The metrics session is no longer accepted (${body.error ?? "401"}).`);
  }
  if (!response.ok) throw new Error(body.error ?? `attest answered ${response.status}`);
  return /** @type {BucketsAnswer} */ (body);
}
