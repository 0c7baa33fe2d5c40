import { defineConfig } from "vite";

/**
 * approov.js as one minified ES module with no runtime dependencies. The type
 * declarations come from `tsc -p tsconfig.build.json` (into dist/types); this
 * build adds the `dist/approov.d.ts` entry that points at them.
 */
export default defineConfig({
  build: {
    target: "es2022",
    minify: "oxc",
    sourcemap: false,
    emptyOutDir: true,
    lib: {
      entry: "src/index.ts",
      formats: ["es"],
      fileName: () => "approov.js",
    },
    // Vite keeps whitespace in ES library builds (for bundlers downstream); this file
    // is served to browsers as is, so minify it fully.
    rolldownOptions: { output: { minify: true } },
  },
  plugins: [
    {
      name: "approov-dts-entry",
      generateBundle() {
        this.emitFile({
          type: "asset",
          fileName: "approov.d.ts",
          source: 'export * from "./types/index.js";\n',
        });
      },
    },
  ],
});
