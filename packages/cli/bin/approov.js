#!/usr/bin/env node
// The `approov` command. A committed launcher (npm links bins at install time, before
// the TypeScript is built) that runs the built CLI, or says how to build it.
import { existsSync } from "node:fs";

const main = new URL("../dist/main.js", import.meta.url);
if (!existsSync(main)) {
  console.error("approov: the CLI is not built yet: run `npm run build` at the repository root");
  process.exit(1);
}
await import(main.href);
