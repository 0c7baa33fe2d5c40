import { runCli } from "./run-cli.js";

// Exit through exitCode so buffered stdout reaches a pipe before the process ends.
process.exitCode = await runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
