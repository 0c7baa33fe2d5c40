/*
 * hCaptcha sandbox: the browser API served as /1/api.js by the offline stand-in for
 * https://js.hcaptcha.com/1/api.js. It defines the same `window.hcaptcha` (render, execute,
 * getResponse, getRespKey, reset, remove, close, setData), reads the same script query
 * parameters (render, onload, host) and renders `.h-captcha` elements the same way, so a page
 * works against the sandbox or the real service by changing the script URL only.
 * There are no challenges: a check always passes and yields a token from the sandbox.
 * The sandbox serves widget-plumbing.js in front of this file, in one function with it.
 * Plain ES2020, no imports.
 */
(() => {
  // The API loads once per page, as hCaptcha's does.
  if (window.hcaptcha && typeof window.hcaptcha.render === "function") return;

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

  const {
    query,
    pageHost,
    widgets,
    invoke,
    renderTarget,
    responseField,
    checkboxFrame,
    mount,
    postToFrame,
    listenToFrames,
    keepResponse,
    resetWidget,
    requestToken,
    fetchInto,
    renderMarkup,
    whenDomReady,
    callOnload,
  } = widgetPlumbing({
    name: "hCaptcha",
    apiPath: "/1/api.js",
    checkboxPath: "/1/checkbox.html",
    messageSource: "hcaptcha-sandbox",
    idAttribute: "data-hcaptcha-widget-id",
    frameSizes: { normal: [303, 78], compact: [164, 144] },
    /** hCaptcha response tokens are valid for 120 s. */
    tokenTtlMs: 120000,
    // Enterprise `host` overrides the hostname reported for the page.
    hostParam: "host",
    errorCallbackGetsCode: true,
    renderErrors: {
      container: "[hCaptcha] render: container must be an element or the id of one",
      sitekey: "[hCaptcha] render: missing sitekey",
    },
  });

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

  function render(container, params) {
    return renderWidget(container, params, false);
  }

  function renderWidget(container, params, fromMarkup) {
    const { element, config, button, invisible } = renderTarget(container, params);
    for (const other of widgets.values()) {
      if (other.element === element) {
        throw new Error("[hCaptcha] Only one captcha is permitted per parent container.");
      }
    }
    const id = newWidgetId();
    const widget = {
      id,
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
      waiters: [],
      iframe: null,
      // As hCaptcha does for forms: the response is also posted as h-captcha-response.
      textarea: responseField("h-captcha-response", `h-captcha-response-${id}`),
      onClick: null,
    };
    if (!invisible) {
      const theme = typeof config.theme === "string" ? config.theme : "light";
      widget.iframe = checkboxFrame(
        widget,
        theme,
        widget.size,
        config.hl ? { hl: String(config.hl) } : null,
      );
    }
    mount(widget, button, invisible && (button || fromMarkup) ? () => execute(widget.id) : null);
    widgets.set(widget.id, widget);
    return widget.id;
  }

  listenToFrames((widget, message) => {
    deliver(widget, message.response, typeof message.key === "string" ? message.key : "");
  });

  /** A token arrived: keep it, tell the page. */
  function deliver(widget, response, key) {
    keepResponse(widget, response, key);
    invoke(widget, "callback", response);
    for (const waiter of widget.waiters.splice(0)) waiter.resolve({ response, key });
  }

  function fetchToken(widget) {
    fetchInto(
      widget,
      () =>
        requestToken("/1/execute", { sitekey: widget.config.sitekey, host: pageHost }, "response"),
      (body) => deliver(widget, body.response, typeof body.key === "string" ? body.key : ""),
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
    resetWidget(findWidget(id), "challenge-closed");
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

  whenDomReady(() => {
    // render=onload (the default): every `.h-captcha[data-sitekey]` becomes a widget.
    if (query.get("render") !== "explicit") {
      renderMarkup("h-captcha", DATA_PARAMS, (element, config) =>
        renderWidget(element, config, true),
      );
    }
    callOnload();
  });
})();
