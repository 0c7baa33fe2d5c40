import { resolve, sep } from "node:path";
import { ConfigError } from "@shapes/node-service";
import { INTEGRATION_UNITS } from "../integrations/registry.js";
import type { Account } from "./account.js";
import { sectionOf } from "./account.js";
import { PRIVATE_MODES, replaceFile } from "./atomic-file.js";

/**
 * Least privilege for the account's readers: attest owns `account.json` (every secret) and
 * `admin.key`; the web app needs only public keys and the API only the token secrets. attest
 * publishes each part into its own directory, so a deployment mounts that directory alone
 * (docker-compose: `attest-public` into web, `token-secrets` into shapes-api).
 */
export const PUBLIC_SITE_FILE = "site.json";
export const TOKEN_SECRETS_FILE = "token-secrets.json";

/** Readable by every local user: it holds nothing a browser does not see. */
const PUBLIC_MODES = { file: 0o644, dir: 0o755 };

/** What the web app's pages need: keys that end up in the browser anyway. */
export interface PublicSiteFile {
  version: 1;
  /** The Approov site key the page sends as `approov-site-key`. */
  siteKey: string;
  /** Per integration, its entries' keys (site keys, public API keys), sorted. */
  integrationKeys: Record<string, string[]>;
}

/** What a backend needs to check Approov tokens, nothing more (names as in account.json). */
export interface TokenSecretsFile {
  version: 1;
  /** Base64 HS256 key of the tokens (the API's APPROOV_SECRET). */
  secret: string;
  /** Base64 A256GCMKW key of JWE tokens (the API's APPROOV_ENCRYPTION_SECRET). */
  encryptionSecret: string;
}

export interface PublishDirs {
  publicDir: string;
  tokenSecretsDir: string;
}

/** True when `path` is `dir` or inside it. */
const within = (dir: string, path: string) => path === dir || path.startsWith(`${dir}${sep}`);

/**
 * ATTEST_PUBLIC_DIR and ATTEST_TOKEN_SECRETS_DIR (default `<dataDir>/public` and
 * `<dataDir>/token-secrets`), resolved against `cwd`. Refused when mounting one would
 * expose more than it is for: a directory holding the data dir, or the public one holding
 * the secrets.
 */
export function publishDirsFromEnv(
  env: Record<string, string | undefined>,
  dataDir: string,
  cwd = process.cwd(),
): PublishDirs {
  const publicDir = resolve(cwd, env.ATTEST_PUBLIC_DIR || resolve(dataDir, "public"));
  const tokenSecretsDir = resolve(
    cwd,
    env.ATTEST_TOKEN_SECRETS_DIR || resolve(dataDir, "token-secrets"),
  );
  const data = resolve(cwd, dataDir);
  if (within(publicDir, data) || within(publicDir, tokenSecretsDir)) {
    throw new ConfigError(
      "ATTEST_PUBLIC_DIR must not be (or hold) the data directory or ATTEST_TOKEN_SECRETS_DIR",
    );
  }
  if (within(tokenSecretsDir, data)) {
    throw new ConfigError("ATTEST_TOKEN_SECRETS_DIR must not be (or hold) the data directory");
  }
  return { publicDir, tokenSecretsDir };
}

export function publicSite(account: Readonly<Account>): PublicSiteFile {
  const integrationKeys: Record<string, string[]> = {};
  for (const { descriptor } of INTEGRATION_UNITS) {
    integrationKeys[descriptor.name] = Object.keys(sectionOf(account, descriptor).entries).sort();
  }
  return { version: 1, siteKey: account.siteKey, integrationKeys };
}

export function tokenSecrets(account: Readonly<Account>): TokenSecretsFile {
  return { version: 1, secret: account.secret, encryptionSecret: account.encryptionSecret };
}

const serialize = (value: object) => `${JSON.stringify(value, null, 2)}\n`;

/**
 * Writes both files atomically on every account version (readers see old or new), each
 * only when its content changed: most admin changes touch neither the keys nor the secrets.
 */
export class AccountPublisher {
  readonly #dirs: PublishDirs;
  /** What this process last wrote, per file: the first publish always writes. */
  readonly #written = new Map<string, string>();

  constructor(dirs: PublishDirs) {
    this.#dirs = dirs;
  }

  get dirs(): PublishDirs {
    return this.#dirs;
  }

  async publish(account: Readonly<Account>): Promise<void> {
    const { publicDir, tokenSecretsDir } = this.#dirs;
    await this.#write(publicDir, PUBLIC_SITE_FILE, serialize(publicSite(account)), PUBLIC_MODES);
    await this.#write(
      tokenSecretsDir,
      TOKEN_SECRETS_FILE,
      serialize(tokenSecrets(account)),
      PRIVATE_MODES,
    );
  }

  async #write(dir: string, name: string, content: string, modes: typeof PUBLIC_MODES) {
    const path = resolve(dir, name);
    if (this.#written.get(path) === content) return;
    await replaceFile(dir, name, content, modes);
    this.#written.set(path, content);
  }
}
