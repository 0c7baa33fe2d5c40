/*
 * reCAPTCHA sandbox: the browser API served as /recaptcha/api.js by the offline stand-in for
 * https://www.google.com/recaptcha/api.js. It defines the same `window.grecaptcha` (ready,
 * execute, render, getResponse, reset), reads the same script query parameters (render,
 * onload) and renders `.g-recaptcha` elements the same way, so a page works against the
 * sandbox or Google by changing the script URL only.
 * There are no challenges: a check always passes and yields a token from the sandbox.
 * v3 tokens carry the score set for their site key (POST /__sandbox/recaptcha/score).
 * The sandbox serves widget-plumbing.js in front of this file, in one function with it.
 * Plain ES2020, no imports.
 */
(() => {
  // The API loads once per page.
  if (window.grecaptcha && window.grecaptcha.sandbox === true) return;

  /** Render parameters that may be read from `data-*` attributes. */
  const DATA_PARAMS = [
    "sitekey",
    "callback",
    "expired-callback",
    "error-callback",
    "theme",
    "size",
    "tabindex",
    "action",
    "badge",
  ];

  const {
    query,
    pageHost,
    widgets: clients,
    callSafely,
    invoke,
    renderTarget,
    responseField,
    checkboxFrame,
    mount,
    postToFrame,
    listenToFrames,
    keepResponse,
    resetWidget,
    isCurrent,
    requestToken: requestExecute,
    fetchInto,
    renderMarkup,
    whenDomReady,
    callOnload,
  } = widgetPlumbing({
    name: "reCAPTCHA",
    apiPath: "/recaptcha/api.js",
    checkboxPath: "/recaptcha/checkbox.html",
    messageSource: "recaptcha-sandbox",
    idAttribute: "data-recaptcha-widget-id",
    frameSizes: { normal: [304, 78], compact: [164, 144] },
    /** reCAPTCHA tokens are valid for 2 minutes. */
    tokenTtlMs: 120000,
    hostParam: null,
    // Google calls error-callback without arguments.
    errorCallbackGetsCode: false,
    renderErrors: {
      container: "reCAPTCHA placeholder element must be an element or id",
      sitekey: "Missing required parameters: sitekey",
    },
  });

  const renderMode = query.get("render") || "onload";
  // render=<siteKey> loads v3 for that key: an implicit client with a badge, no markup.
  const v3SiteKey = renderMode === "onload" || renderMode === "explicit" ? null : renderMode;

  // Clients are numbered 0, 1, 2... as Google numbers them.
  let nextId = 0;
  let textareas = 0;
  let badge = null;

  /** As Google does for forms: each client's token is also in a g-recaptcha-response field. */
  function newTextarea() {
    const id = textareas === 0 ? "g-recaptcha-response" : `g-recaptcha-response-${textareas}`;
    textareas += 1;
    return responseField("g-recaptcha-response", id);
  }

  /** The v3 / invisible badge. It never takes clicks, so it cannot cover page controls. */
  function ensureBadge() {
    if (badge) return badge;
    badge = document.createElement("div");
    badge.className = "grecaptcha-badge";
    badge.setAttribute("data-style", "bottomright");
    badge.textContent = "reCAPTCHA sandbox";
    Object.assign(badge.style, {
      position: "fixed",
      right: "8px",
      bottom: "8px",
      zIndex: "2147483647",
      padding: "4px 8px",
      font: "11px/1.2 system-ui, sans-serif",
      color: "#555",
      background: "#f9f9f9",
      border: "1px solid #d3d3d3",
      borderRadius: "3px",
      pointerEvents: "none",
    });
    document.body.appendChild(badge);
    return badge;
  }

  function newClient(siteKey, kind, config, element) {
    const client = {
      id: nextId,
      siteKey,
      /** "v3" (render=<siteKey>), "checkbox" (v2 visible) or "invisible" (v2 invisible). */
      kind,
      /** What the sandbox is asked for: v3 when an action is given, else v2. */
      tokenKind: kind === "v3" ? "v3" : "v2",
      action: "",
      config,
      element,
      response: "",
      key: "",
      expiryTimer: 0,
      /** Bumped by reset so late answers of an earlier run are dropped. */
      generation: 0,
      inflight: false,
      waiters: [],
      iframe: null,
      textarea: newTextarea(),
      onClick: null,
    };
    nextId += 1;
    clients.set(client.id, client);
    return client;
  }

  function findClient(id) {
    if (clients.size === 0) throw new Error("No reCAPTCHA clients exist.");
    if (id === undefined || id === null || id === "") return clients.values().next().value;
    const client = clients.get(Number(id));
    if (!client) throw new Error(`Invalid reCAPTCHA client id: ${id}`);
    return client;
  }

  /** One token from the sandbox; rejects with an Error whose message is a short code. */
  function requestToken(siteKey, kind, action) {
    const body = { sitekey: siteKey, host: pageHost, kind };
    if (kind === "v3" && action) body.action = action;
    return requestExecute("/recaptcha/api2/execute", body, "token").then((result) => result.token);
  }

  /** A token arrived: keep it, tell the page (v3 execute() answers by its promise only). */
  function deliver(client, token, callBack) {
    keepResponse(client, token);
    if (callBack) invoke(client, "callback", token);
    for (const waiter of client.waiters.splice(0)) waiter.resolve(token);
  }

  listenToFrames((client, message) => deliver(client, message.response, true));

  /**
   * v2 execution of a rendered client. Invisible: a fresh token, then callback(token).
   * Checkbox: the current token, or the one the user gets by ticking the box.
   */
  function executeClient(client) {
    const pending = new Promise((resolve, reject) => {
      if (client.kind === "checkbox" && client.response !== "") {
        resolve(client.response);
        return;
      }
      client.waiters.push({ resolve, reject });
      if (client.kind === "checkbox") postToFrame(client, "execute");
      else {
        fetchInto(
          client,
          () => requestToken(client.siteKey, client.tokenKind, client.action),
          (token) => deliver(client, token, true),
        );
      }
    });
    // Pages often ignore the result of a v2 execute(); failures go to error-callback.
    pending.catch(() => {});
    return pending;
  }

  /** v3 execution: `execute(siteKey, {action})` -> Promise<token>. No callback. */
  function executeV3(siteKey, options) {
    let client = null;
    for (const candidate of clients.values()) {
      if (candidate.siteKey === siteKey && candidate.kind !== "checkbox") {
        client = candidate;
        break;
      }
    }
    if (!client) {
      return Promise.reject(new Error(`Invalid site key or not loaded in api.js: ${siteKey}`));
    }
    const action = options && options.action !== undefined ? String(options.action) : "";
    const generation = client.generation;
    const target = client;
    return requestToken(siteKey, "v3", action).then((token) => {
      if (isCurrent(target, generation)) deliver(target, token, false);
      return token;
    });
  }

  /**
   * execute(siteKey, {action}) is v3 and returns Promise<token>. execute(widgetId?) runs a
   * rendered widget (v2) and returns a Promise too; its callback gets the token as well.
   */
  function execute(siteKeyOrId, options) {
    if (typeof siteKeyOrId === "string" && !/^\d+$/.test(siteKeyOrId)) {
      return executeV3(siteKeyOrId, options);
    }
    let client;
    try {
      client = findClient(siteKeyOrId);
    } catch (error) {
      return Promise.reject(error);
    }
    if (client.kind === "v3") return executeV3(client.siteKey, options);
    return executeClient(client);
  }

  function render(container, params) {
    return renderClient(container, params, false);
  }

  function renderClient(container, params, fromMarkup) {
    const { element, config, button, invisible } = renderTarget(container, params);
    if (element.hasAttribute("data-recaptcha-widget-id")) {
      throw new Error("reCAPTCHA has already been rendered in this element");
    }
    const client = newClient(config.sitekey, invisible ? "invisible" : "checkbox", config, element);
    if (invisible && typeof config.action === "string" && config.action !== "") {
      // Google's "bind the challenge to a button" with data-action is a v3 execution.
      client.tokenKind = "v3";
      client.action = config.action;
    }
    if (invisible) ensureBadge();
    else {
      const theme = config.theme === "dark" ? "dark" : "light";
      client.iframe = checkboxFrame(
        client,
        theme,
        config.size === "compact" ? "compact" : "normal",
      );
    }
    mount(client, button, invisible && (button || fromMarkup) ? () => executeClient(client) : null);
    return client.id;
  }

  function getResponse(id) {
    return findClient(id).response;
  }

  function reset(id) {
    resetWidget(findClient(id), "reset");
  }

  /** Callbacks queued by ready() before the page finished loading. */
  let loaded = false;
  const readyQueue = [];

  function ready(callback) {
    if (typeof callback !== "function") return;
    if (loaded) setTimeout(() => callSafely(callback));
    else readyQueue.push(callback);
  }

  // Google's documented snippet queues ready() callbacks here before api.js loads.
  const preloaded = window.___grecaptcha_cfg;
  if (preloaded && Array.isArray(preloaded.fns)) readyQueue.push(...preloaded.fns);

  const v3Client = v3SiteKey ? newClient(v3SiteKey, "v3", {}, null) : null;

  window.grecaptcha = { ready, execute, render, getResponse, reset, sandbox: true };

  whenDomReady(() => {
    if (v3Client) ensureBadge().appendChild(v3Client.textarea);
    // Unless render=explicit, every `.g-recaptcha[data-sitekey]` becomes a client.
    if (renderMode !== "explicit") {
      renderMarkup("g-recaptcha", DATA_PARAMS, (element, config) =>
        renderClient(element, config, true),
      );
    }
    loaded = true;
    for (const callback of readyQueue.splice(0)) callSafely(callback);
    callOnload();
  });
})();
