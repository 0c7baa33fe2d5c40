import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Plugin } from "vite";

const PARTIAL = /<!-- partial: ([\w-]+\.html) -->/g;

/**
 * Replaces `<!-- partial: name.html -->` in a page with `site/partials/name.html`, so the
 * SDK pages share one navbar and one card. The quickstart variants do not use partials:
 * their full markup keeps their diff exactly the quickstart's.
 */
export function htmlPartials(root: string): Plugin {
  return {
    name: "shapes:html-partials",
    transformIndexHtml: {
      order: "pre",
      handler: (html) =>
        html.replace(PARTIAL, (_match, name: string) =>
          readFileSync(join(root, "partials", name), "utf8").trimEnd(),
        ),
    },
  };
}
