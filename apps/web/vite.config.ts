import { fileURLToPath } from "node:url";
import { createLogger, defineConfig } from "vite";
import { approovSdkFile } from "./build/approov-sdk-file.js";
import { copyVariantAssets, findPages } from "./build/copy-variant-assets.js";
import { htmlPartials } from "./build/html-partials.js";

const root = fileURLToPath(new URL("./site", import.meta.url));

// The classic scripts (/config.js, each variant's assets/js/app.js) are meant to stay as they
// are: Vite's "can't be bundled without type=module" notice about them is expected, not a problem.
const logger = createLogger();
const warn = logger.warn.bind(logger);
logger.warn = (message, options) => {
  if (!message.includes('can\'t be bundled without type="module"')) warn(message, options);
};

export default defineConfig({
  root,
  customLogger: logger,
  // The pages are served as plain files: no base rewriting, no public dir.
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL("./dist", import.meta.url)),
    emptyOutDir: true,
    // Keep the SVGs as files: the CSP allows data: images, but files are easier to inspect.
    assetsInlineLimit: 0,
    // The home page's one small module needs no preload polyfill (which would be extra code).
    modulePreload: { polyfill: false },
    rolldownOptions: { input: findPages(root) },
  },
  plugins: [htmlPartials(root), copyVariantAssets(root), approovSdkFile()],
});
