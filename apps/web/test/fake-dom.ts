import { createContext, runInContext } from "node:vm";

/** Just enough of an element for the Shapes app.js: classes, text, click listeners. */
export class FakeElement {
  private classes: Set<string>;
  textContent = "";
  private readonly clickListeners: Array<(event: unknown) => void> = [];

  constructor(
    readonly id: string,
    className: string,
  ) {
    this.classes = FakeElement.parse(className);
  }

  private static parse(className: string): Set<string> {
    return new Set(className.split(/\s+/).filter(Boolean));
  }

  get className(): string {
    return [...this.classes].join(" ");
  }

  set className(value: string) {
    this.classes = FakeElement.parse(value);
  }

  readonly classList = {
    add: (name: string) => void this.classes.add(name),
    remove: (name: string) => void this.classes.delete(name),
    contains: (name: string) => this.classes.has(name),
    toggle: (name: string) => {
      if (this.classes.delete(name)) return false;
      this.classes.add(name);
      return true;
    },
  };

  get hidden(): boolean {
    return this.classes.has("hidden");
  }

  addEventListener(type: string, listener: (event: unknown) => void): void {
    if (type === "click") this.clickListeners.push(listener);
  }

  get clickListenerCount(): number {
    return this.clickListeners.length;
  }

  click(): void {
    for (const listener of this.clickListeners) listener({ type: "click" });
  }
}

/** Every element of the real page that has an id, with its initial classes. */
export class FakeDocument {
  private readonly elements = new Map<string, FakeElement>();

  constructor(html: string) {
    for (const match of html.matchAll(/<\w+\s+id="([^"]+)"(?:\s+class="([^"]*)")?/g)) {
      const id = match[1] as string;
      this.elements.set(id, new FakeElement(id, match[2] ?? ""));
    }
  }

  getElementById(id: string): FakeElement | null {
    return this.elements.get(id) ?? null;
  }

  byId(id: string): FakeElement {
    const element = this.elements.get(id);
    if (!element) throw new Error(`the page has no #${id}`);
    return element;
  }
}

export type FetchStub = (url: string, init?: RequestInit) => Promise<Response>;

export interface LoadedPage {
  document: FakeDocument;
  /** The script's globals (its function declarations), as hCaptcha's data-callback sees them. */
  globals: Record<string, unknown>;
}

/** Runs a page's classic app.js the way a browser does: a shared global scope, then `load`. */
export function loadPage(
  html: string,
  script: string,
  fetch: FetchStub,
  shapesConfig?: Record<string, string>,
): LoadedPage {
  const document = new FakeDocument(html);
  const loadListeners: Array<(event: unknown) => void> = [];
  const window = {
    SHAPES_CONFIG: shapesConfig,
    addEventListener(type: string, listener: (event: unknown) => void) {
      if (type === "load") loadListeners.push(listener);
    },
  };
  const globals = createContext({
    window,
    document,
    fetch,
    Headers,
    URLSearchParams,
    console: { debug() {}, log() {}, error() {} },
  });
  runInContext(script, globals);
  for (const listener of loadListeners) listener({ type: "load" });
  return { document, globals };
}
