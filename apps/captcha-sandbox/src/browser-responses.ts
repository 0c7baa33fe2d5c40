/** Headers of the files served to browsers: scripts and the checkbox iframe's page. */

/** The iframe runs only its own script and talks only to its own origin. */
const CHECKBOX_CSP =
  "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

export const SCRIPT_HEADERS = Object.freeze({
  "Cache-Control": "no-store",
  "Content-Type": "application/javascript; charset=utf-8",
  "X-Content-Type-Options": "nosniff",
});

export const CHECKBOX_PAGE_HEADERS = Object.freeze({
  "Cache-Control": "no-store",
  "Content-Type": "text/html; charset=utf-8",
  "Content-Security-Policy": CHECKBOX_CSP,
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
});
