// What the SDK pages show: the same four states as the quickstart's app.js
// (start, hello, shape, confused), shared by every page that uses approov.js.

const element = (id) => document.getElementById(id);

/** Hides every state and shows the spinner while a request runs. */
export function showBusy() {
  for (const id of ["start-app", "confused", "hello"]) element(id).classList.add("hidden");
  element("shape").className = "hidden";
  element("status").textContent = "";
  element("spinner").classList.remove("hidden");
}

export function showHello() {
  element("spinner").classList.add("hidden");
  element("hello").classList.remove("hidden");
}

export function showShape(shape) {
  element("spinner").classList.add("hidden");
  const node = element("shape");
  node.className = `shape-${String(shape).toLowerCase()}`;
}

/** The confused face with the reason, e.g. "401: invalid approov token". */
export function showConfused(message) {
  element("spinner").classList.add("hidden");
  element("status").textContent = message;
  element("confused").classList.remove("hidden");
}

/** The body of a successful API answer; a failure throws "<status>: <message>". */
export async function readApiResponse(response) {
  const body = await response.json().catch(() => ({}));
  if (response.ok) return body;
  const reason = typeof body?.status === "string" ? body.status : response.statusText;
  throw new Error(`${response.status}: ${reason}`);
}

/** A line under the card about the Approov session, e.g. when it ends. */
export function showSession(text) {
  element("session").textContent = text;
}
