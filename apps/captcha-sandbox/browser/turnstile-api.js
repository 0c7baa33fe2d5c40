/*
 * Turnstile sandbox: the browser API served as /turnstile/v0/api.js by the offline stand-in
 * for https://challenges.cloudflare.com/turnstile/v0/api.js. It defines the same
 * `window.turnstile` (render, execute, reset, remove, getResponse, isExpired, ready), reads the
 * same script query parameters (render=explicit, onload) and renders `.cf-turnstile`
 * elements from the same data-* attributes, so a page works against the sandbox or
 * Cloudflare by changing the script URL only. Like Turnstile's non-interactive mode there is
 * no puzzle: a widget asks the sandbox for its token as soon as it runs. Cloudflare's testing
 * sitekeys behave as documented (the dummy token, or a failed challenge).
 * The sandbox serves widget-plumbing.js in front of this file, in one function with it.
 * Plain ES2020, no imports.
 */
(() => {
  if (window.turnstile && window.turnstile.sandbox === true) return;

  /** Render parameters that may be read from `data-*` attributes. */
  const DATA_PARAMS = [
    "sitekey",
    "action",
    "cdata",
    "callback",
    "error-callback",
    "expired-callback",
    "timeout-callback",
    "theme",
    "size",
    "tabindex",
    "execution",
    "appearance",
    "response-field",
    "response-field-name",
    "refresh-expired",
  ];

  const {
    sandboxOrigin,
    query,
    pageHost,
    widgets,
    callSafely,
    invoke,
    keepResponse,
    clearResponse,
    fail,
    resetWidget,
    isCurrent,
    renderMarkup,
    whenDomReady,
    callOnload,
  } = widgetPlumbing({
    name: "Turnstile",
    apiPath: "/turnstile/v0/api.js",
    checkboxPath: "/turnstile/v0/api.js",
    messageSource: "turnstile-sandbox",
    idAttribute: "data-turnstile-widget-id",
    frameSizes: { normal: [300, 65], compact: [150, 140] },
    /** Turnstile tokens are valid for 300 s (the expiry itself is this file's: keep()). */
    tokenTtlMs: 300000,
    hostParam: null,
    // Turnstile calls error-callback with its error code.
    errorCallbackGetsCode: true,
    renderErrors: {
      container: "[Cloudflare Turnstile] Unable to find a container",
      sitekey: '[Cloudflare Turnstile] Invalid or missing type for parameter "sitekey"',
    },
  });

  const TOKEN_TTL_MS = 300000;
  let nextId = 0;

  /** An element, an element id, or a CSS selector, as turnstile.render() takes. */
  function findElement(container) {
    if (container instanceof HTMLElement) return container;
    if (typeof container !== "string") return null;
    return document.getElementById(container) || document.querySelector(container);
  }

  /** A widget by id, by its container, or the first one when none is named. */
  function findWidget(idOrContainer) {
    if (idOrContainer === undefined || idOrContainer === null || idOrContainer === "") {
      const first = widgets.values().next().value;
      if (!first) throw new Error("[Cloudflare Turnstile] Nothing to act on: no widget rendered");
      return first;
    }
    if (widgets.has(idOrContainer)) return widgets.get(idOrContainer);
    const element = findElement(idOrContainer);
    for (const widget of widgets.values()) {
      if (widget.element === element) return widget;
    }
    throw new Error(`[Cloudflare Turnstile] Invalid widget id or container: ${idOrContainer}`);
  }

  /** The visible part: a small box saying what the widget is doing. */
  function statusBox(widget) {
    const box = document.createElement("div");
    box.className = "cf-turnstile-sandbox";
    box.setAttribute("role", "status");
    const [width, height] = widget.config.size === "compact" ? [150, 140] : [300, 65];
    Object.assign(box.style, {
      width: widget.config.size === "flexible" ? "100%" : `${width}px`,
      height: `${height}px`,
      boxSizing: "border-box",
      display: "flex",
      alignItems: "center",
      padding: "0 12px",
      font: "14px/1.2 system-ui, sans-serif",
      border: "1px solid #d0d0d0",
      borderRadius: "4px",
      background: widget.config.theme === "dark" ? "#222" : "#fafafa",
      color: widget.config.theme === "dark" ? "#eee" : "#232323",
    });
    return box;
  }

  function show(widget, text) {
    if (widget.box) widget.box.textContent = `Turnstile sandbox: ${text}`;
  }

  /** One token from the sandbox; rejects with an Error whose message is Turnstile's code. */
  function requestToken(widget) {
    const body = {
      sitekey: widget.config.sitekey,
      host: pageHost,
      action: widget.config.action || "",
      cdata: widget.config.cdata || "",
    };
    return fetch(`${sandboxOrigin}/turnstile/v0/execute`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      credentials: "omit",
      cache: "no-store",
    }).then(
      (answer) =>
        answer.json().then(
          (result) => {
            if (answer.ok && result && typeof result.token === "string" && result.token !== "") {
              return result.token;
            }
            // 600010: the challenge failed; 110100: a sitekey Turnstile does not accept.
            throw new Error(answer.status === 400 ? "110100" : String(result.code || "600010"));
          },
          () => {
            throw new Error("600010");
          },
        ),
      () => {
        throw new Error("300010");
      },
    );
  }

  /**
   * A token arrived: into the widget and its field. When it expires (300 s) it is gone: the
   * widget says so, calls expired-callback, and runs again unless refresh-expired says not.
   */
  function keep(widget, token) {
    keepResponse(widget, token);
    clearTimeout(widget.expiryTimer);
    widget.expiryTimer = setTimeout(() => {
      clearResponse(widget);
      widget.expired = true;
      show(widget, "Expired");
      invoke(widget, "expired-callback", token);
      if ((widget.config["refresh-expired"] || "auto") === "auto") run(widget);
    }, TOKEN_TTL_MS);
  }

  /** Runs the widget's challenge: a token into the field and the callback, or an error. */
  function run(widget) {
    if (widget.inflight) return;
    widget.inflight = true;
    widget.expired = false;
    const generation = widget.generation;
    show(widget, "Verifying...");
    requestToken(widget).then(
      (token) => {
        widget.inflight = false;
        if (!isCurrent(widget, generation)) return;
        keep(widget, token);
        show(widget, "Success!");
        invoke(widget, "callback", token);
      },
      (error) => {
        widget.inflight = false;
        if (!isCurrent(widget, generation)) return;
        show(widget, "Error");
        fail(widget, error.message);
      },
    );
  }

  function render(container, params) {
    const element = findElement(container);
    if (!element) throw new Error("[Cloudflare Turnstile] Unable to find a container");
    const config = Object.assign({}, params || {});
    if (typeof config.sitekey !== "string" || config.sitekey === "") {
      throw new Error('[Cloudflare Turnstile] Invalid or missing type for parameter "sitekey"');
    }
    if (element.hasAttribute("data-turnstile-widget-id")) {
      throw new Error("[Cloudflare Turnstile] Widget already rendered in this container");
    }
    nextId += 1;
    const id = `cf-chl-widget-${nextId}`;
    const widget = {
      id,
      element,
      config,
      response: "",
      key: "",
      expired: false,
      expiryTimer: 0,
      generation: 0,
      inflight: false,
      waiters: [],
      iframe: null,
      box: null,
      textarea: null,
    };
    widget.box = statusBox(widget);
    element.appendChild(widget.box);
    // The hidden form field, unless response-field is false.
    const field = document.createElement("input");
    field.type = "hidden";
    field.name = config["response-field-name"] || "cf-turnstile-response";
    field.id = `${id}_response`;
    widget.textarea = field;
    if (String(config["response-field"]) !== "false") element.appendChild(field);
    element.setAttribute("data-turnstile-widget-id", id);
    widgets.set(id, widget);
    show(widget, "Ready");
    // execution "render" (the default) runs at once; "execute" waits for execute().
    if (config.execution !== "execute") run(widget);
    return id;
  }

  /** turnstile.execute(container|widgetId, params?): runs the challenge (renders if needed). */
  function execute(idOrContainer, params) {
    let widget;
    try {
      widget = findWidget(idOrContainer);
    } catch (error) {
      const element = findElement(idOrContainer);
      if (!element || !params) throw error;
      widget = widgets.get(render(element, Object.assign({}, params, { execution: "execute" })));
    }
    run(widget);
  }

  function reset(idOrContainer) {
    const widget = findWidget(idOrContainer);
    resetWidget(widget, "reset");
    widget.expired = false;
    show(widget, "Ready");
    if (widget.config.execution !== "execute") run(widget);
  }

  function remove(idOrContainer) {
    const widget = findWidget(idOrContainer);
    resetWidget(widget, "removed");
    widgets.delete(widget.id);
    widget.box.remove();
    widget.textarea.remove();
    widget.element.removeAttribute("data-turnstile-widget-id");
  }

  function getResponse(idOrContainer) {
    const widget = findWidget(idOrContainer);
    return widget.response === "" ? undefined : widget.response;
  }

  function isExpired(idOrContainer) {
    return findWidget(idOrContainer).expired === true;
  }

  /** ready() callbacks wait for the page's DOM, as Turnstile's do. */
  let loaded = false;
  const readyQueue = [];
  function ready(callback) {
    if (typeof callback !== "function")
      throw new Error("[Cloudflare Turnstile] ready needs a function");
    if (loaded) setTimeout(() => callSafely(callback));
    else readyQueue.push(callback);
  }

  window.turnstile = {
    render,
    execute,
    reset,
    remove,
    getResponse,
    isExpired,
    ready,
    sandbox: true,
  };

  whenDomReady(() => {
    // Unless render=explicit, every `.cf-turnstile[data-sitekey]` becomes a widget.
    if (query.get("render") !== "explicit") {
      renderMarkup("cf-turnstile", DATA_PARAMS, (element, config) => render(element, config));
    }
    loaded = true;
    for (const callback of readyQueue.splice(0)) callSafely(callback);
    callOnload();
  });
})();
