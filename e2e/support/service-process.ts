// One built service of the repository as a child process on a free port (the shared
// test-stack helper, run from the repository root).
import { join } from "node:path";
import { type ServiceProcess, startServiceProcess as startService } from "@shapes/test-stack";
import { repoRoot } from "./stack.js";

export type { ServiceProcess };

/** Runs `node <script>` (relative to the repository root) with `env` until it listens. */
export function startServiceProcess(
  script: string,
  env: Record<string, string>,
): Promise<ServiceProcess> {
  return startService({ args: [join(repoRoot, script)], env, cwd: repoRoot });
}
