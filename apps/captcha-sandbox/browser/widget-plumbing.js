/*
 * Captcha sandbox: the widget plumbing shared by the hCaptcha and reCAPTCHA browser APIs
 * (script location, checkbox iframes and their messages, token expiry, auto-render of
 * elements, onload callbacks). The sandbox serves each api.js as ONE script: this file, then
 * the service's own file, both inside one function, so nothing here becomes a global.
 * Plain ES2020, no imports.
 */

/**
 * The plumbing of one service, whose `service` description holds its wording and paths:
 * - name: "hCaptcha" (console messages say "[hCaptcha sandbox] ...");
 * - apiPath, checkboxPath: where the sandbox serves api.js and the checkbox iframe;
 * - messageSource: marks the messages exchanged with the iframe;
 * - idAttribute: marks a rendered container (and its iframe) with the widget id;
 * - frameSizes: {normal: [width, height], compact: [width, height]};
 * - tokenTtlMs: how long a token stays valid after it arrives;
 * - hostParam: a script query parameter that overrides the page's hostname, or null;
 * - errorCallbackGetsCode: whether error-callback is called with the error code;
 * - renderErrors: {container, sitekey}: what render() throws for a bad container or sitekey.
 *
 * A widget is the service's object with at least: id, element, config (the render
 * parameters), response, key, textarea, iframe, onClick, expiryTimer, generation, inflight
 * and waiters (pending execute() promises: [{resolve, reject}]).
 */
// biome-ignore lint/correctness/noUnusedVariables: called by the api.js served after it.
function widgetPlumbing(service) {
  const script = document.currentScript || lastApiScript();
  const scriptUrl = new URL(script ? script.src : service.apiPath, location.href);
  // Every request of the sandbox goes to the origin the script came from.
  const sandboxOrigin = scriptUrl.origin;
  const query = scriptUrl.searchParams;
  const pageHost = (service.hostParam && query.get(service.hostParam)) || location.hostname;
  const logPrefix = `[${service.name} sandbox]`;
  /** Widgets by id, in render order (the first is the default for id-less calls). */
  const widgets = new Map();

  function lastApiScript() {
    const scripts = document.querySelectorAll(`script[src*="${service.apiPath}"]`);
    return scripts.length > 0 ? scripts[scripts.length - 1] : null;
  }

  /** Calls a page callback; one that throws must not break the widget, but still surfaces. */
  function callSafely(callback, ...args) {
    try {
      callback(...args);
    } catch (error) {
      setTimeout(() => {
        throw error;
      });
    }
  }

  /** Calls a render callback given as a function or as a global function's name. */
  function invoke(widget, name, ...args) {
    let callback = widget.config[name];
    if (typeof callback === "string") callback = window[callback];
    if (typeof callback !== "function") return false;
    callSafely(callback, ...args);
    return true;
  }

  function isButton(element) {
    const tag = element.tagName;
    return tag === "BUTTON" || (tag === "INPUT" && /^(submit|button)$/i.test(element.type));
  }

  /**
   * Checks render()'s container (an element or an element id) and sitekey. A button cannot
   * hold a checkbox: it becomes an invisible widget run by its click.
   */
  function renderTarget(container, params) {
    const element = typeof container === "string" ? document.getElementById(container) : container;
    if (!(element instanceof HTMLElement)) throw new Error(service.renderErrors.container);
    const config = Object.assign({}, params || {});
    if (typeof config.sitekey !== "string" || config.sitekey === "") {
      throw new Error(service.renderErrors.sitekey);
    }
    const button = isButton(element);
    return { element, config, button, invisible: button || config.size === "invisible" };
  }

  /** The hidden form field that carries the token, as the real services add one. */
  function responseField(name, id) {
    const textarea = document.createElement("textarea");
    textarea.name = name;
    textarea.id = id;
    textarea.setAttribute("aria-hidden", "true");
    textarea.tabIndex = -1;
    textarea.style.display = "none";
    return textarea;
  }

  /** The checkbox iframe; `extra` adds query parameters the service's iframe reads. */
  function checkboxFrame(widget, theme, size, extra) {
    const search = new URLSearchParams({
      sitekey: widget.config.sitekey,
      id: String(widget.id),
      theme,
      size,
      host: pageHost,
      // Where the iframe may post its token: this page's origin and no other.
      origin: location.origin,
    });
    for (const [name, value] of Object.entries(extra || {})) search.set(name, value);
    const iframe = document.createElement("iframe");
    const [width, height] = service.frameSizes[size];
    iframe.src = `${sandboxOrigin}${service.checkboxPath}?${search}`;
    iframe.title = `${service.name} sandbox checkbox`;
    iframe.width = String(width);
    iframe.height = String(height);
    iframe.style.border = "0";
    iframe.style.overflow = "hidden";
    iframe.setAttribute(service.idAttribute, String(widget.id));
    const { tabindex } = widget.config;
    if (tabindex !== undefined && tabindex !== null)
      iframe.setAttribute("tabindex", String(tabindex));
    return iframe;
  }

  /**
   * Puts a rendered widget in the page: its iframe (if visible) and response field, and
   * `runOnClick` (if given) as the click handler of its element.
   */
  function mount(widget, button, runOnClick) {
    const { element } = widget;
    if (widget.iframe) {
      element.appendChild(widget.iframe);
      element.appendChild(widget.textarea);
    } else {
      if (button) element.insertAdjacentElement("afterend", widget.textarea);
      else element.appendChild(widget.textarea);
      if (runOnClick) {
        widget.onClick = (event) => {
          event.preventDefault();
          runOnClick();
        };
        element.addEventListener("click", widget.onClick);
      }
    }
    element.setAttribute(service.idAttribute, String(widget.id));
  }

  function postToFrame(widget, type) {
    if (widget.iframe?.contentWindow) {
      widget.iframe.contentWindow.postMessage(
        { source: service.messageSource, type },
        sandboxOrigin,
      );
    }
  }

  /** Tokens and errors posted by the widgets' iframes; `onToken(widget, message)`. */
  function listenToFrames(onToken) {
    window.addEventListener("message", (event) => {
      if (event.origin !== sandboxOrigin) return;
      const data = event.data;
      if (!data || data.source !== service.messageSource) return;
      for (const widget of widgets.values()) {
        if (widget.iframe && event.source === widget.iframe.contentWindow) {
          if (data.type === "token" && typeof data.response === "string" && data.response !== "") {
            onToken(widget, data);
          } else if (data.type === "error" && typeof data.code === "string") {
            fail(widget, data.code);
          }
          return;
        }
      }
    });
  }

  /** A token arrived: store it, fill the form field, start its expiry. */
  function keepResponse(widget, response, key) {
    widget.response = response;
    widget.key = key || "";
    widget.textarea.value = response;
    clearTimeout(widget.expiryTimer);
    widget.expiryTimer = setTimeout(() => expire(widget), service.tokenTtlMs);
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

  /** Rejects the pending executes with `code` and reports it (to the console if unheard). */
  function fail(widget, code) {
    const waiters = widget.waiters.splice(0);
    for (const waiter of waiters) waiter.reject(new Error(code));
    const args = service.errorCallbackGetsCode ? [code] : [];
    if (!invoke(widget, "error-callback", ...args) && waiters.length === 0) {
      console.error(`${logPrefix} ${code}`);
    }
  }

  /** Drops the token and the pending executes (rejected with `code`); unticks the box. */
  function resetWidget(widget, code) {
    widget.generation += 1;
    widget.inflight = false;
    clearResponse(widget);
    for (const waiter of widget.waiters.splice(0)) waiter.reject(new Error(code));
    postToFrame(widget, "reset");
  }

  /** True while no reset or remove has happened since `generation` was read. */
  function isCurrent(widget, generation) {
    return widget.generation === generation && widgets.get(widget.id) === widget;
  }

  /**
   * One token from the sandbox's execute endpoint: resolves with the answer, whose
   * `tokenField` is checked; rejects with an Error whose message is a short code.
   */
  function requestToken(path, body, tokenField) {
    return fetch(`${sandboxOrigin}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      credentials: "omit",
      cache: "no-store",
    }).then(
      (answer) => {
        if (answer.status === 400) throw new Error("invalid-data");
        if (answer.status === 429) throw new Error("rate-limited");
        if (!answer.ok) throw new Error("internal-error");
        return answer.json().then((result) => {
          if (!result || typeof result[tokenField] !== "string" || result[tokenField] === "") {
            throw new Error("internal-error");
          }
          return result;
        });
      },
      () => {
        throw new Error("network-error");
      },
    );
  }

  /**
   * Invisible widgets get a fresh token straight from the sandbox; there is no challenge.
   * `request()` gets it, `deliver(answer)` hands it over unless the widget was reset since.
   */
  function fetchInto(widget, request, deliver) {
    if (widget.inflight) return;
    widget.inflight = true;
    const generation = widget.generation;
    request().then(
      (answer) => {
        widget.inflight = false;
        if (isCurrent(widget, generation)) deliver(answer);
      },
      (error) => {
        widget.inflight = false;
        if (isCurrent(widget, generation)) {
          fail(widget, error instanceof Error ? error.message : "internal-error");
        }
      },
    );
  }

  /** Every `.<className>[data-sitekey]` not yet rendered becomes a widget. */
  function renderMarkup(className, dataParams, renderElement) {
    for (const element of document.querySelectorAll(`.${className}[data-sitekey]`)) {
      if (element.hasAttribute(service.idAttribute)) continue;
      const config = {};
      for (const name of dataParams) {
        const value = element.getAttribute(`data-${name}`);
        if (value !== null) config[name] = value;
      }
      try {
        renderElement(element, config);
      } catch (error) {
        console.error(error);
      }
    }
  }

  function whenDomReady(run) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", run, { once: true });
    } else {
      run();
    }
  }

  /** The script's `onload=<global function name>`, called once the API is ready. */
  function callOnload() {
    const onload = query.get("onload");
    if (!onload) return;
    if (typeof window[onload] === "function") callSafely(window[onload]);
    else console.error(`${logPrefix} onload function ${onload} is not defined`);
  }

  return {
    sandboxOrigin,
    query,
    pageHost,
    widgets,
    callSafely,
    invoke,
    renderTarget,
    responseField,
    checkboxFrame,
    mount,
    postToFrame,
    listenToFrames,
    keepResponse,
    clearResponse,
    fail,
    resetWidget,
    isCurrent,
    requestToken,
    fetchInto,
    renderMarkup,
    whenDomReady,
    callOnload,
  };
}
