/*
 * Captcha sandbox: the visible checkbox widget of every captcha service, loaded in an iframe
 * from the sandbox origin by that service's api.js. Ticking the box obtains a token from this
 * origin and posts it to the embedding page, whose origin is given in the `origin` query
 * parameter (postMessage is addressed to that origin only, so no other page can receive it).
 * Plain ES2020, no imports.
 */
(() => {
  // Filled in by the sandbox for the service it serves this file for: each quoted
  // placeholder becomes that service's value, as JSON.
  const MESSAGE_SOURCE = "{{messageSource}}";
  const EXECUTE_PATH = "{{executePath}}";
  /** Fields the token request sends besides sitekey and host. */
  const EXECUTE_FIELDS = "{{executeFields}}";
  /** The token's field in the answer (an hCaptcha answer also has a response `key`). */
  const TOKEN_FIELD = "{{tokenField}}";
  const params = new URLSearchParams(location.search);
  const widgetId = params.get("id") || "";
  const sitekey = params.get("sitekey") || "";
  const host = params.get("host") || "";
  const parentOrigin = httpOrigin(params.get("origin"));
  const checkbox = document.getElementById("checkbox");
  const status = document.getElementById("status");
  let busy = false;

  document.body.className = params.get("theme") === "dark" ? "dark" : "light";
  if (params.get("size") === "compact") document.body.classList.add("compact");

  function httpOrigin(value) {
    try {
      const url = new URL(value);
      const web = url.protocol === "http:" || url.protocol === "https:";
      return web && url.origin === value ? value : null;
    } catch {
      return null;
    }
  }

  function post(message) {
    if (parentOrigin === null || window.parent === window) return;
    window.parent.postMessage(
      Object.assign({ source: MESSAGE_SOURCE, id: widgetId }, message),
      parentOrigin,
    );
  }

  function setIdle(text) {
    busy = false;
    checkbox.checked = false;
    checkbox.disabled = false;
    status.textContent = text;
  }

  if (parentOrigin === null || sitekey === "" || host === "") {
    checkbox.disabled = true;
    status.textContent = "Widget misconfigured";
    return;
  }

  checkbox.addEventListener("change", () => {
    if (busy || !checkbox.checked) return;
    busy = true;
    checkbox.disabled = true;
    document.body.classList.remove("attention");
    status.textContent = "Verifying...";
    fetch(EXECUTE_PATH, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(Object.assign({ sitekey, host }, EXECUTE_FIELDS)),
      cache: "no-store",
    })
      .then(
        (answer) => {
          if (answer.status === 400) throw new Error("invalid-data");
          if (answer.status === 429) throw new Error("rate-limited");
          if (!answer.ok) throw new Error("internal-error");
          return answer.json();
        },
        () => {
          throw new Error("network-error");
        },
      )
      .then((body) => {
        const response = body ? body[TOKEN_FIELD] : undefined;
        if (typeof response !== "string" || response === "") throw new Error("internal-error");
        status.textContent = "Verified";
        post({ type: "token", response, key: String(body.key || "") });
      })
      .catch((error) => {
        setIdle("Error, please try again");
        post({ type: "error", code: error instanceof Error ? error.message : "internal-error" });
      });
  });

  window.addEventListener("message", (event) => {
    if (event.source !== window.parent || event.origin !== parentOrigin) return;
    const data = event.data;
    if (!data || data.source !== MESSAGE_SOURCE) return;
    if (data.type === "reset") setIdle("");
    else if (data.type === "expired") setIdle("Expired, check again");
    else if (data.type === "execute" && !busy) {
      document.body.classList.add("attention");
      checkbox.focus();
    }
  });
})();
