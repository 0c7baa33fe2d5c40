/*
 * hCaptcha sandbox: the browser API served as /1/api.js by the offline stand-in for
 * https://js.hcaptcha.com/1/api.js. It defines the same `window.hcaptcha` (render, execute,
 * getResponse, getRespKey, reset, remove, close, setData), reads the same script query
 * parameters (render, onload, host) and renders `.h-captcha` elements the same way, so a page
 * works against the sandbox or the real service by changing the script URL only.
 * There are no challenges: a check always passes and yields a token from the sandbox.
 * Plain ES2020, no imports.
 */
(() => {
  // The API loads once per page, as hCaptcha's does.
  if (window.hcaptcha && typeof window.hcaptcha.render === "function") return;

  /** hCaptcha response tokens are valid for 120 s. */
  const TOKEN_TTL_MS = 120000;
  /** Marks the messages exchanged with the checkbox iframe. */
  const MESSAGE_SOURCE = "hcaptcha-sandbox";
  const FRAME_SIZES = { normal: [303, 78], compact: [164, 144] };
  /** Render parameters that may be read from `data-*` attributes. */
  const DATA_PARAMS = [
    "sitekey",
    "size",
    "theme",
    "callback",
    "expired-callback",
    "chalexpired-callback",
    "error-callback",
    "open-callback",
    "close-callback",
    "tabindex",
    "hl",
  ];

  const script = document.currentScript || lastApiScript();
  const scriptUrl = new URL(script ? script.src : "/1/api.js", location.href);
  // Every request of the sandbox goes to the origin the script came from.
  const sandboxOrigin = scriptUrl.origin;
  const query = scriptUrl.searchParams;
  // Enterprise `host` overrides the hostname reported for the page.
  const pageHost = query.get("host") || location.hostname;

  /** Widgets by id, in render order (the first is the default for id-less calls). */
  const widgets = new Map();

  function lastApiScript() {
    const scripts = document.querySelectorAll('script[src*="/1/api.js"]');
    return scripts.length > 0 ? scripts[scripts.length - 1] : null;
  }

  function newWidgetId() {
    const bytes = new Uint8Array(8);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(36).padStart(2, "0")).join("");
  }

  /** An error whose message is hCaptcha's error code (what callers compare against). */
  function codeError(code) {
    return new Error(code);
  }

  function findWidget(id) {
    if (widgets.size === 0) throw codeError("missing-captcha");
    if (id === undefined || id === null || id === "") return widgets.values().next().value;
    const widget = widgets.get(String(id));
    if (!widget) throw codeError("invalid-captcha-id");
    return widget;
  }

  /** Calls a render callback given as a function or as a global function's name. */
  function invoke(widget, name, ...args) {
    let callback = widget.config[name];
    if (typeof callback === "string") callback = window[callback];
    if (typeof callback !== "function") return false;
    try {
      callback(...args);
    } catch (error) {
      // A throwing page callback must not break the widget; still surface it.
      setTimeout(() => {
        throw error;
      });
    }
    return true;
  }

  function isButton(element) {
    const tag = element.tagName;
    return tag === "BUTTON" || (tag === "INPUT" && /^(submit|button)$/i.test(element.type));
  }

  function render(container, params) {
    return renderWidget(container, params, false);
  }

  function renderWidget(container, params, fromMarkup) {
    const element = typeof container === "string" ? document.getElementById(container) : container;
    if (!(element instanceof HTMLElement)) {
      throw new Error("[hCaptcha] render: container must be an element or the id of one");
    }
    const config = Object.assign({}, params || {});
    if (typeof config.sitekey !== "string" || config.sitekey === "") {
      throw new Error("[hCaptcha] render: missing sitekey");
    }
    for (const other of widgets.values()) {
      if (other.element === element) {
        throw new Error("[hCaptcha] Only one captcha is permitted per parent container.");
      }
    }
    // A button cannot hold a checkbox: it becomes an invisible widget run by its click.
    const button = isButton(element);
    const invisible = button || config.size === "invisible";
    const widget = {
      id: newWidgetId(),
      element,
      config,
      size: invisible ? "invisible" : config.size === "compact" ? "compact" : "normal",
      response: "",
      key: "",
      rqdata: undefined,
      expiryTimer: 0,
      /** Bumped by reset/remove so late answers of an earlier run are dropped. */
      generation: 0,
      inflight: false,
      /** Pending execute() promises: [{resolve, reject}]. */
      waiters: [],
      iframe: null,
      textarea: document.createElement("textarea"),
      onClick: null,
    };

    // As hCaptcha does for forms: the response is also posted as h-captcha-response.
    widget.textarea.name = "h-captcha-response";
    widget.textarea.id = `h-captcha-response-${widget.id}`;
    widget.textarea.setAttribute("aria-hidden", "true");
    widget.textarea.tabIndex = -1;
    widget.textarea.style.display = "none";

    if (widget.size === "invisible") {
      if (button) element.insertAdjacentElement("afterend", widget.textarea);
      else element.appendChild(widget.textarea);
      if (button || fromMarkup) {
        widget.onClick = (event) => {
          event.preventDefault();
          execute(widget.id);
        };
        element.addEventListener("click", widget.onClick);
      }
    } else {
      widget.iframe = createCheckboxFrame(widget);
      element.appendChild(widget.iframe);
      element.appendChild(widget.textarea);
    }
    element.setAttribute("data-hcaptcha-widget-id", widget.id);
    widgets.set(widget.id, widget);
    return widget.id;
  }

  function createCheckboxFrame(widget) {
    const { config } = widget;
    const search = new URLSearchParams({
      sitekey: config.sitekey,
      id: widget.id,
      theme: typeof config.theme === "string" ? config.theme : "light",
      size: widget.size,
      host: pageHost,
      // Where the iframe may post its token: this page's origin and no other.
      origin: location.origin,
    });
    if (config.hl) search.set("hl", String(config.hl));
    const iframe = document.createElement("iframe");
    const [width, height] = FRAME_SIZES[widget.size];
    iframe.src = `${sandboxOrigin}/1/checkbox.html?${search}`;
    iframe.title = "hCaptcha sandbox checkbox";
    iframe.width = String(width);
    iframe.height = String(height);
    iframe.style.border = "0";
    iframe.style.overflow = "hidden";
    iframe.setAttribute("data-hcaptcha-widget-id", widget.id);
    if (config.tabindex !== undefined && config.tabindex !== null) {
      iframe.setAttribute("tabindex", String(config.tabindex));
    }
    return iframe;
  }

  function postToFrame(widget, type) {
    if (widget.iframe?.contentWindow) {
      widget.iframe.contentWindow.postMessage({ source: MESSAGE_SOURCE, type }, sandboxOrigin);
    }
  }

  window.addEventListener("message", (event) => {
    if (event.origin !== sandboxOrigin) return;
    const data = event.data;
    if (!data || data.source !== MESSAGE_SOURCE) return;
    for (const widget of widgets.values()) {
      if (widget.iframe && event.source === widget.iframe.contentWindow) {
        if (data.type === "token" && typeof data.response === "string" && data.response !== "") {
          deliver(widget, data.response, typeof data.key === "string" ? data.key : "");
        } else if (data.type === "error" && typeof data.code === "string") {
          fail(widget, data.code);
        }
        return;
      }
    }
  });

  /** A token arrived: store it, fill the textarea, start its expiry, tell the page. */
  function deliver(widget, response, key) {
    widget.response = response;
    widget.key = key;
    widget.textarea.value = response;
    clearTimeout(widget.expiryTimer);
    widget.expiryTimer = setTimeout(() => expire(widget), TOKEN_TTL_MS);
    invoke(widget, "callback", response);
    for (const waiter of widget.waiters.splice(0)) waiter.resolve({ response, key });
  }

  function fail(widget, code) {
    const waiters = widget.waiters.splice(0);
    for (const waiter of waiters) waiter.reject(codeError(code));
    if (!invoke(widget, "error-callback", code) && waiters.length === 0) {
      console.error(`[hCaptcha sandbox] ${code}`);
    }
  }

  function clearResponse(widget) {
    clearTimeout(widget.expiryTimer);
    widget.response = "";
    widget.key = "";
    widget.textarea.value = "";
  }

  function expire(widget) {
    clearResponse(widget);
    postToFrame(widget, "expired");
    invoke(widget, "expired-callback");
  }

  /** Invisible widgets get a token straight from the sandbox; there is no challenge. */
  function fetchToken(widget) {
    if (widget.inflight) return;
    widget.inflight = true;
    const generation = widget.generation;
    fetch(`${sandboxOrigin}/1/execute`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sitekey: widget.config.sitekey, host: pageHost }),
      credentials: "omit",
      cache: "no-store",
    })
      .then(
        (answer) => {
          if (answer.status === 400) throw codeError("invalid-data");
          if (answer.status === 429) throw codeError("rate-limited");
          if (!answer.ok) throw codeError("internal-error");
          return answer.json().then((body) => {
            if (!body || typeof body.response !== "string" || body.response === "") {
              throw codeError("internal-error");
            }
            return body;
          });
        },
        () => {
          throw codeError("network-error");
        },
      )
      .then(
        (body) => {
          widget.inflight = false;
          if (widget.generation === generation && widgets.get(widget.id) === widget) {
            deliver(widget, body.response, typeof body.key === "string" ? body.key : "");
          }
        },
        (error) => {
          widget.inflight = false;
          if (widget.generation === generation && widgets.get(widget.id) === widget) {
            fail(widget, error instanceof Error ? error.message : "internal-error");
          }
        },
      );
  }

  /**
   * execute(id?, {async?}): runs the check. Invisible widgets fetch a fresh token each time;
   * a visible widget already checked answers its current token, otherwise the check completes
   * when the user ticks the checkbox. The callback is called in both modes; with
   * {async: true} a Promise<{response, key}> is returned as well.
   */
  function execute(idOrOptions, maybeOptions) {
    let id = idOrOptions;
    let options = maybeOptions;
    if (idOrOptions !== null && typeof idOrOptions === "object") {
      id = undefined;
      options = idOrOptions;
    }
    const isAsync = Boolean(options?.async);
    let widget;
    try {
      widget = findWidget(id);
    } catch (error) {
      if (isAsync) return Promise.reject(error);
      throw error;
    }
    if (options && typeof options.rqdata === "string") widget.rqdata = options.rqdata;

    const pending = new Promise((resolve, reject) => {
      if (widget.size !== "invisible" && widget.response !== "") {
        resolve({ response: widget.response, key: widget.key });
        return;
      }
      widget.waiters.push({ resolve, reject });
      if (widget.size === "invisible") fetchToken(widget);
      else postToFrame(widget, "execute");
    });
    if (isAsync) return pending;
    // Sync mode reports failures through error-callback only.
    pending.catch(() => {});
    return undefined;
  }

  function getResponse(id) {
    return findWidget(id).response;
  }

  function getRespKey(id) {
    return findWidget(id).key;
  }

  function reset(id) {
    const widget = findWidget(id);
    widget.generation += 1;
    widget.inflight = false;
    clearResponse(widget);
    for (const waiter of widget.waiters.splice(0)) waiter.reject(codeError("challenge-closed"));
    postToFrame(widget, "reset");
  }

  function remove(id) {
    const widget = findWidget(id);
    reset(widget.id);
    widgets.delete(widget.id);
    if (widget.onClick) widget.element.removeEventListener("click", widget.onClick);
    if (widget.iframe) widget.iframe.remove();
    widget.textarea.remove();
    widget.element.removeAttribute("data-hcaptcha-widget-id");
  }

  /** No challenge ever opens; closing settles a pending visible check as hCaptcha would. */
  function close(id) {
    const widget = findWidget(id);
    const waiters = widget.waiters.splice(0);
    if (waiters.length === 0) return;
    for (const waiter of waiters) waiter.reject(codeError("challenge-closed"));
    invoke(widget, "close-callback");
  }

  function setData(idOrData, maybeData) {
    const data = idOrData !== null && typeof idOrData === "object" ? idOrData : maybeData;
    const widget = findWidget(idOrData === data ? undefined : idOrData);
    if (data && typeof data.rqdata === "string") widget.rqdata = data.rqdata;
  }

  function configFromMarkup(element) {
    const config = {};
    for (const name of DATA_PARAMS) {
      const value = element.getAttribute(`data-${name}`);
      if (value !== null) config[name] = value;
    }
    return config;
  }

  /** render=onload (the default): every `.h-captcha[data-sitekey]` becomes a widget. */
  function renderMarkup() {
    for (const element of document.querySelectorAll(".h-captcha[data-sitekey]")) {
      if (element.hasAttribute("data-hcaptcha-widget-id")) continue;
      try {
        renderWidget(element, configFromMarkup(element), true);
      } catch (error) {
        console.error(error);
      }
    }
  }

  window.hcaptcha = {
    render,
    execute,
    getResponse,
    getRespKey,
    reset,
    remove,
    close,
    setData,
  };

  function whenDomReady(run) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", run, { once: true });
    } else {
      run();
    }
  }

  whenDomReady(() => {
    if (query.get("render") !== "explicit") renderMarkup();
    const onload = query.get("onload");
    if (onload) {
      if (typeof window[onload] === "function") window[onload]();
      else console.error(`[hCaptcha sandbox] onload function ${onload} is not defined`);
    }
  });
})();
