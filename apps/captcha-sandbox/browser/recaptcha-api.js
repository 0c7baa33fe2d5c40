/*
 * reCAPTCHA sandbox: the browser API served as /recaptcha/api.js by the offline stand-in for
 * https://www.google.com/recaptcha/api.js. It defines the same `window.grecaptcha` (ready,
 * execute, render, getResponse, reset), reads the same script query parameters (render,
 * onload) and renders `.g-recaptcha` elements the same way, so a page works against the
 * sandbox or Google by changing the script URL only.
 * There are no challenges: a check always passes and yields a token from the sandbox.
 * v3 tokens carry the score set for their site key (POST /__sandbox/recaptcha/score).
 * Plain ES2020, no imports.
 */
(() => {
  // The API loads once per page.
  if (window.grecaptcha && window.grecaptcha.sandbox === true) return;

  /** reCAPTCHA tokens are valid for 2 minutes. */
  const TOKEN_TTL_MS = 120000;
  /** Marks the messages exchanged with the checkbox iframe. */
  const MESSAGE_SOURCE = "recaptcha-sandbox";
  const FRAME_SIZES = { normal: [304, 78], compact: [164, 144] };
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

  const script = document.currentScript || lastApiScript();
  const scriptUrl = new URL(script ? script.src : "/recaptcha/api.js", location.href);
  // Every request of the sandbox goes to the origin the script came from.
  const sandboxOrigin = scriptUrl.origin;
  const query = scriptUrl.searchParams;
  const renderMode = query.get("render") || "onload";
  // render=<siteKey> loads v3 for that key: an implicit client with a badge, no markup.
  const v3SiteKey = renderMode === "onload" || renderMode === "explicit" ? null : renderMode;
  const pageHost = location.hostname;

  /** Clients by id (0, 1, 2... as Google numbers them), in creation order. */
  const clients = new Map();
  let nextId = 0;
  let textareas = 0;
  let badge = null;

  function lastApiScript() {
    const scripts = document.querySelectorAll('script[src*="/recaptcha/api.js"]');
    return scripts.length > 0 ? scripts[scripts.length - 1] : null;
  }

  function whenDomReady(run) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", run, { once: true });
    } else {
      run();
    }
  }

  /** As Google does for forms: each client's token is also in a g-recaptcha-response field. */
  function newTextarea() {
    const textarea = document.createElement("textarea");
    textarea.name = "g-recaptcha-response";
    textarea.id = textareas === 0 ? "g-recaptcha-response" : `g-recaptcha-response-${textareas}`;
    textareas += 1;
    textarea.setAttribute("aria-hidden", "true");
    textarea.tabIndex = -1;
    textarea.style.display = "none";
    return textarea;
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
      expiryTimer: 0,
      /** Bumped by reset so late answers of an earlier run are dropped. */
      generation: 0,
      inflight: false,
      /** Pending execute() promises: [{resolve, reject}]. */
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

  /** Calls a render callback given as a function or as a global function's name. */
  function invoke(client, name, ...args) {
    let callback = client.config[name];
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

  /** One token from the sandbox; rejects with an Error whose message is a short code. */
  function requestToken(siteKey, kind, action) {
    const body = { sitekey: siteKey, host: pageHost, kind };
    if (kind === "v3" && action) body.action = action;
    return fetch(`${sandboxOrigin}/recaptcha/api2/execute`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      credentials: "omit",
      cache: "no-store",
    }).then(
      (answer) => {
        if (answer.status === 400) throw new Error("invalid-data");
        if (!answer.ok) throw new Error("internal-error");
        return answer.json().then((result) => {
          if (!result || typeof result.token !== "string" || result.token === "") {
            throw new Error("internal-error");
          }
          return result.token;
        });
      },
      () => {
        throw new Error("network-error");
      },
    );
  }

  function clearResponse(client) {
    clearTimeout(client.expiryTimer);
    client.response = "";
    client.textarea.value = "";
  }

  function expire(client) {
    clearResponse(client);
    postToFrame(client, "expired");
    invoke(client, "expired-callback");
  }

  /** A token arrived: store it, fill the textarea, start its expiry, tell the page. */
  function deliver(client, token, callBack) {
    client.response = token;
    client.textarea.value = token;
    clearTimeout(client.expiryTimer);
    client.expiryTimer = setTimeout(() => expire(client), TOKEN_TTL_MS);
    if (callBack) invoke(client, "callback", token);
    for (const waiter of client.waiters.splice(0)) waiter.resolve(token);
  }

  function fail(client, error) {
    const waiters = client.waiters.splice(0);
    for (const waiter of waiters) waiter.reject(error);
    // Google calls error-callback without arguments.
    if (!invoke(client, "error-callback") && waiters.length === 0) {
      console.error(`[reCAPTCHA sandbox] ${error.message}`);
    }
  }

  function isCurrent(client, generation) {
    return client.generation === generation && clients.get(client.id) === client;
  }

  /** Invisible clients get a fresh token straight from the sandbox; there is no challenge. */
  function fetchFor(client) {
    if (client.inflight) return;
    client.inflight = true;
    const generation = client.generation;
    requestToken(client.siteKey, client.tokenKind, client.action).then(
      (token) => {
        client.inflight = false;
        if (isCurrent(client, generation)) deliver(client, token, true);
      },
      (error) => {
        client.inflight = false;
        if (isCurrent(client, generation)) fail(client, error);
      },
    );
  }

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
      else fetchFor(client);
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
    const element = typeof container === "string" ? document.getElementById(container) : container;
    if (!(element instanceof HTMLElement)) {
      throw new Error("reCAPTCHA placeholder element must be an element or id");
    }
    const config = Object.assign({}, params || {});
    if (typeof config.sitekey !== "string" || config.sitekey === "") {
      throw new Error("Missing required parameters: sitekey");
    }
    if (element.hasAttribute("data-recaptcha-widget-id")) {
      throw new Error("reCAPTCHA has already been rendered in this element");
    }
    // A button cannot hold a checkbox: it becomes an invisible client run by its click.
    const button = isButton(element);
    const invisible = button || config.size === "invisible";
    const client = newClient(config.sitekey, invisible ? "invisible" : "checkbox", config, element);
    if (invisible && typeof config.action === "string" && config.action !== "") {
      // Google's "bind the challenge to a button" with data-action is a v3 execution.
      client.tokenKind = "v3";
      client.action = config.action;
    }

    if (invisible) {
      ensureBadge();
      if (button) element.insertAdjacentElement("afterend", client.textarea);
      else element.appendChild(client.textarea);
      if (button || fromMarkup) {
        client.onClick = (event) => {
          event.preventDefault();
          executeClient(client);
        };
        element.addEventListener("click", client.onClick);
      }
    } else {
      client.iframe = createCheckboxFrame(client);
      element.appendChild(client.iframe);
      element.appendChild(client.textarea);
    }
    element.setAttribute("data-recaptcha-widget-id", String(client.id));
    return client.id;
  }

  function createCheckboxFrame(client) {
    const { config } = client;
    const size = config.size === "compact" ? "compact" : "normal";
    const search = new URLSearchParams({
      sitekey: client.siteKey,
      id: String(client.id),
      theme: config.theme === "dark" ? "dark" : "light",
      size,
      host: pageHost,
      // Where the iframe may post its token: this page's origin and no other.
      origin: location.origin,
    });
    const iframe = document.createElement("iframe");
    const [width, height] = FRAME_SIZES[size];
    iframe.src = `${sandboxOrigin}/recaptcha/checkbox.html?${search}`;
    iframe.title = "reCAPTCHA sandbox checkbox";
    iframe.width = String(width);
    iframe.height = String(height);
    iframe.style.border = "0";
    iframe.style.overflow = "hidden";
    iframe.setAttribute("data-recaptcha-widget-id", String(client.id));
    if (config.tabindex !== undefined && config.tabindex !== null) {
      iframe.setAttribute("tabindex", String(config.tabindex));
    }
    return iframe;
  }

  function postToFrame(client, type) {
    if (client.iframe?.contentWindow) {
      client.iframe.contentWindow.postMessage({ source: MESSAGE_SOURCE, type }, sandboxOrigin);
    }
  }

  window.addEventListener("message", (event) => {
    if (event.origin !== sandboxOrigin) return;
    const data = event.data;
    if (!data || data.source !== MESSAGE_SOURCE) return;
    for (const client of clients.values()) {
      if (client.iframe && event.source === client.iframe.contentWindow) {
        if (data.type === "token" && typeof data.response === "string" && data.response !== "") {
          deliver(client, data.response, true);
        } else if (data.type === "error" && typeof data.code === "string") {
          fail(client, new Error(data.code));
        }
        return;
      }
    }
  });

  function getResponse(id) {
    return findClient(id).response;
  }

  function reset(id) {
    const client = findClient(id);
    client.generation += 1;
    client.inflight = false;
    clearResponse(client);
    for (const waiter of client.waiters.splice(0)) waiter.reject(new Error("reset"));
    postToFrame(client, "reset");
  }

  /** Callbacks queued by ready() before the page finished loading. */
  let loaded = false;
  const readyQueue = [];

  function runCallback(callback) {
    try {
      callback();
    } catch (error) {
      setTimeout(() => {
        throw error;
      });
    }
  }

  function ready(callback) {
    if (typeof callback !== "function") return;
    if (loaded) setTimeout(() => runCallback(callback));
    else readyQueue.push(callback);
  }

  function configFromMarkup(element) {
    const config = {};
    for (const name of DATA_PARAMS) {
      const value = element.getAttribute(`data-${name}`);
      if (value !== null) config[name] = value;
    }
    return config;
  }

  /** Unless render=explicit, every `.g-recaptcha[data-sitekey]` becomes a client. */
  function renderMarkup() {
    for (const element of document.querySelectorAll(".g-recaptcha[data-sitekey]")) {
      if (element.hasAttribute("data-recaptcha-widget-id")) continue;
      try {
        renderClient(element, configFromMarkup(element), true);
      } catch (error) {
        console.error(error);
      }
    }
  }

  // Google's documented snippet queues ready() callbacks here before api.js loads.
  const preloaded = window.___grecaptcha_cfg;
  if (preloaded && Array.isArray(preloaded.fns)) readyQueue.push(...preloaded.fns);

  const v3Client = v3SiteKey ? newClient(v3SiteKey, "v3", {}, null) : null;

  window.grecaptcha = { ready, execute, render, getResponse, reset, sandbox: true };

  whenDomReady(() => {
    if (v3Client) ensureBadge().appendChild(v3Client.textarea);
    if (renderMode !== "explicit") renderMarkup();
    loaded = true;
    for (const callback of readyQueue.splice(0)) runCallback(callback);
    const onload = query.get("onload");
    if (onload) {
      if (typeof window[onload] === "function") runCallback(window[onload]);
      else console.error(`[reCAPTCHA sandbox] onload function ${onload} is not defined`);
    }
  });
})();
