import type { WebConfig } from "./config.js";

/** What the pages read from `window.SHAPES_CONFIG` (the quickstart's hard-coded values). */
export interface ShapesPageConfig {
  apiDomain: string;
  apiBaseUrl: string;
  attestUrl: string;
  /** The attest origin the SDK pages give to Approov.initializeSession as approovHost. */
  approovHost: string;
}

/** The body of `/config.js`: one assignment the pages run before their app.js. */
export function configScript(config: WebConfig): string {
  const pageConfig: ShapesPageConfig = {
    apiDomain: config.apiDomain,
    apiBaseUrl: config.apiBaseUrl,
    attestUrl: config.attestUrl,
    approovHost: new URL(config.attestUrl).origin,
  };
  // "<" escaped so the JSON could never close a script element if inlined somewhere.
  const json = JSON.stringify(pageConfig, null, 2).replace(/</g, "\\u003c");
  return `window.SHAPES_CONFIG = ${json};\n`;
}
