import { Redis, type RedisOptions } from "ioredis";
import type { Account } from "../account/account.js";
import type { LogWriter } from "../observability/log-line.js";
import { logLine } from "../observability/log-line.js";
import { type RedisSettings, redisEndpoint } from "./redis-settings.js";
import {
  type RateLimitEntry,
  type SharedAccountDocument,
  SharedAccountInvalidError,
  type SharedAccountRevision,
  type SharedStore,
  type SharedStoreHealth,
  SharedStoreUnavailableError,
} from "./shared-store.js";

/** Fault settings: fail fast, never queue a request while Redis is away, reconnect forever. */
export interface RedisFaultSettings {
  /** How long a connection attempt may take. */
  connectTimeoutMs: number;
  /** How long one command may take before the request that needs it fails closed. */
  commandTimeoutMs: number;
  /** Longest pause between reconnection attempts. */
  maxReconnectDelayMs: number;
}

export const DEFAULT_REDIS_FAULTS: RedisFaultSettings = {
  connectTimeoutMs: 1000,
  commandTimeoutMs: 500,
  maxReconnectDelayMs: 1000,
};

export interface RedisStoreOptions extends RedisSettings {
  /**
   * How long a proof stays acceptable after its `iat` (DPOP_MAX_AGE_SECONDS, in ms): a
   * key's window starts `replayWindowMs` before its expiry.
   */
  replayWindowMs: number;
  now?: () => number;
  /** Where connection changes are logged (one line per transition, never the URL). */
  logWriter: LogWriter;
  faults?: Partial<RedisFaultSettings>;
}

/** Enough of the document's start to hold `{"revision":<safe integer>,`. */
const REVISION_HEAD_BYTES = 32;
/** Largest account document read back: bounds memory as the account file's limit does. */
const MAX_ACCOUNT_DOCUMENT_CHARS = 1024 * 1024;
/** A full bucket after this long idle (refill is `limit` per minute): its key may expire. */
const BUCKET_TTL_MS = 60_000;

/**
 * SET NX PX, refusing what the store cannot vouch for: the epoch key holds since when this
 * Redis remembers (by Redis's own clock); a Redis that restarted empty lost the keys of
 * earlier proofs, so a key whose window started before the epoch answers "seen" (the
 * ReplayStore contract: "or the store cannot tell"). The epoch is set on first use:
 * - to the second after Redis started, when it started less than a replay window ago (a
 *   restart, or a new Redis): no proof made after that can have been used before it. Set
 *   to the first use instead, it refused honest proofs made a moment before that use
 *   (every session's first request after a restart, one run in ~15 of the scale-out test);
 * - to the first use otherwise: the keys went without a restart (a FLUSHALL, an eviction,
 *   a Redis used for the first time), at an unknown moment before now.
 * KEYS[1]: the key; KEYS[2]: the epoch. ARGV[1]: ttl ms; ARGV[2]: window start ms;
 * ARGV[3]: the replay window ms.
 */
const REPLAY_LUA = `
local epoch = redis.call('GET', KEYS[2])
if not epoch then
  local now = tonumber(redis.call('TIME')[1])
  local uptime = tonumber(string.match(redis.call('INFO', 'server'), 'uptime_in_seconds:(%d+)') or '0')
  local since = now
  if uptime * 1000 < tonumber(ARGV[3]) then since = math.min(now, now + 1 - uptime) end
  epoch = string.format('%d', since * 1000)
  redis.call('SET', KEYS[2], epoch)
end
if tonumber(ARGV[2]) < tonumber(epoch) then return 0 end
if redis.call('SET', KEYS[1], '1', 'PX', ARGV[1], 'NX') then return 1 end
return 0
`;

/**
 * Token buckets, all or nothing, the memory limiter's semantics (rate-limit.ts) in one
 * atomic step. KEYS: bucket hashes. ARGV[1]: now (ms); ARGV[1 + i]: limit of KEYS[i].
 * Returns per key 0 (may pass) or whole seconds to wait; counts only when all may pass.
 */
const TAKE_ALL_LUA = `
local now = tonumber(ARGV[1])
local tokens = {}
local waits = {}
local refused = false
for i = 1, #KEYS do
  local limit = tonumber(ARGV[i + 1])
  local state = redis.call('HMGET', KEYS[i], 'limit', 'tokens', 'updated')
  local t = limit
  if state[1] and tonumber(state[1]) == limit and state[2] and state[3] then
    local elapsed = math.max(0, now - tonumber(state[3]))
    t = math.min(limit, tonumber(state[2]) + elapsed * limit / 60000)
  end
  tokens[i] = t
  waits[i] = 0
  if t < 1 then
    refused = true
    waits[i] = math.max(1, math.ceil((1 - t) / (limit / 60000) / 1000))
  end
end
for i = 1, #KEYS do
  local t = tokens[i]
  if not refused then t = t - 1 end
  redis.call('HSET', KEYS[i], 'limit', ARGV[i + 1], 'tokens', string.format('%.17g', t), 'updated', ARGV[1])
  redis.call('PEXPIRE', KEYS[i], ${BUCKET_TTL_MS})
end
return waits
`;

/**
 * Compare-and-set of the account document. KEYS[1]: the document; ARGV[1]: the expected
 * revision (0: none stored); ARGV[2]: the new document. 1 when written, 0 on conflict (a
 * document this script cannot read never matches: nothing overwrites it blindly).
 */
const ACCOUNT_CAS_LUA = `
local current = redis.call('GET', KEYS[1])
local revision = 0
if current then
  local ok, doc = pcall(cjson.decode, current)
  revision = -1
  if ok and type(doc) == 'table' and type(doc.revision) == 'number' then revision = doc.revision end
end
if revision ~= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
return 1
`;

/**
 * The document if its revision is not ARGV[1], else 0, in one step: the revision is read
 * from the document's first bytes (compareAndSet writes `{"revision":n,` first), so an
 * unchanged poll moves and parses a few bytes, not the whole account. A document that does
 * not start that way is returned whole (the caller validates it). KEYS[1]: the document.
 */
const ACCOUNT_READ_IF_CHANGED_LUA = `
local head = redis.call('GETRANGE', KEYS[1], 0, ${REVISION_HEAD_BYTES - 1})
local revision = string.match(head, '^{"revision":(%d+),')
if revision and revision == ARGV[1] then return 0 end
return redis.call('GET', KEYS[1])
`;

interface AttestScripts {
  attestReplay(
    key: string,
    epochKey: string,
    ttlMs: number,
    windowStartMs: number,
    replayWindowMs: number,
  ): Promise<number>;
  attestTakeAll(numKeys: number, ...args: (string | number)[]): Promise<number[]>;
  attestAccountCas(key: string, expected: number, document: string): Promise<number>;
  attestAccountReadIfChanged(key: string, known: string): Promise<string | number | null>;
}
type ScriptedRedis = Redis & AttestScripts;

const errorCode = (error: unknown) =>
  (error as NodeJS.ErrnoException)?.code ?? (error as Error)?.name ?? "error";

/**
 * The shared store on Redis (ioredis), for several attest instances behind one proxy:
 * - replay: `SET <prefix>replay:<hash> 1 PX <ttl> NX` (first writer wins, across instances),
 *   guarded by `<prefix>replay-epoch` against a Redis that restarted empty (REPLAY_LUA);
 * - rate limits: one hash per site key, `<prefix>rate:<integration:key>` (TAKE_ALL_LUA);
 * - the account: `<prefix>account`, JSON `{"revision": n, "account": {...}}`, changed by
 *   compare-and-set, announced on `<prefix>account:changed` (the revision, no content).
 *
 * Faults: commands are never queued while Redis is away (enableOfflineQueue false) and
 * time out after 500 ms; every failure surfaces as SharedStoreUnavailableError so callers
 * fail closed; the client reconnects forever in the background (backoff up to 1 s), so
 * Redis coming back needs no restart of attest.
 */
export class RedisSharedStore implements SharedStore, SharedAccountDocument {
  readonly kind = "redis" as const;
  readonly account: SharedAccountDocument = this;
  readonly #client: ScriptedRedis;
  /** A subscriber connection (a connection in subscribe mode can do nothing else). */
  readonly #subscriber: Redis;
  readonly #prefix: string;
  readonly #accountKey: string;
  readonly #channel: string;
  readonly #now: () => number;
  readonly #replayWindowMs: number;
  readonly #listeners: (() => void)[] = [];
  #reported: SharedStoreHealth | undefined;
  #closed = false;

  constructor(options: RedisStoreOptions) {
    const faults = { ...DEFAULT_REDIS_FAULTS, ...options.faults };
    this.#prefix = options.keyPrefix;
    this.#accountKey = `${this.#prefix}account`;
    this.#channel = `${this.#prefix}account:changed`;
    this.#now = options.now ?? Date.now;
    this.#replayWindowMs = options.replayWindowMs;
    const write = options.logWriter;
    const endpoint = redisEndpoint(options);
    const base: RedisOptions = {
      connectTimeout: faults.connectTimeoutMs,
      commandTimeout: faults.commandTimeoutMs,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      // A command that timed out was answered 503: it must not run later behind our back.
      autoResendUnfulfilledCommands: false,
      retryStrategy: (times) => Math.min(100 * times, faults.maxReconnectDelayMs),
      lazyConnect: false,
    };
    this.#client = new Redis(options.url, { ...base, connectionName: "attest" }) as ScriptedRedis;
    this.#client.defineCommand("attestReplay", { numberOfKeys: 2, lua: REPLAY_LUA });
    this.#client.defineCommand("attestTakeAll", { lua: TAKE_ALL_LUA });
    this.#client.defineCommand("attestAccountCas", { numberOfKeys: 1, lua: ACCOUNT_CAS_LUA });
    this.#client.defineCommand("attestAccountReadIfChanged", {
      numberOfKeys: 1,
      lua: ACCOUNT_READ_IF_CHANGED_LUA,
    });

    // One line per transition (not per reconnection attempt), with the endpoint only.
    const report = (state: SharedStoreHealth, error?: unknown) => {
      if (this.#reported === state || this.#closed) return;
      this.#reported = state;
      write(
        logLine(
          this.#now(),
          state === "up" ? "info" : "warn",
          state === "up" ? "redis ready" : "redis unreachable",
          undefined,
          { redis: endpoint, ...(error !== undefined ? { error: errorCode(error) } : {}) },
        ),
      );
    };
    this.#client.on("ready", () => {
      report("up");
      // Back after an outage (or a Redis restart that lost its data): look again.
      this.#notify();
    });
    this.#client.on("error", (error) => report("down", error));
    this.#client.on("close", () => report("down"));

    this.#subscriber = new Redis(options.url, {
      ...base,
      connectionName: "attest-subscriber",
      // Subscribed again on every `ready` below: explicit, and the moment to look for
      // announcements missed while disconnected.
      autoResubscribe: false,
    });
    this.#subscriber.on("error", () => {
      // Reported through the main connection; the listener keeps ioredis from printing.
    });
    this.#subscriber.on("ready", () => {
      this.#subscriber.subscribe(this.#channel).then(
        () => this.#notify(),
        () => {},
      );
    });
    this.#subscriber.on("message", (channel) => {
      if (channel === this.#channel) this.#notify();
    });
  }

  #notify(): void {
    for (const listener of this.#listeners) listener();
  }

  /** Runs one command; any failure (down, timeout, refused) is SharedStoreUnavailableError. */
  async #command<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw new SharedStoreUnavailableError(`redis unavailable (${errorCode(error)})`);
    }
  }

  /** Resolves true once connected (at most `timeoutMs`), false if not by then. */
  waitUntilReady(timeoutMs: number): Promise<boolean> {
    if (this.#client.status === "ready") return Promise.resolve(true);
    return new Promise((resolve) => {
      const onReady = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.#client.off("ready", onReady);
        resolve(false);
      }, timeoutMs);
      this.#client.once("ready", onReady);
    });
  }

  async checkAndRemember(key: string, expiresAtMs: number): Promise<boolean> {
    // At least 1 ms: a proof at the very end of its window is still remembered (fail closed).
    const ttlMs = Math.max(1, Math.ceil(expiresAtMs - this.#now()));
    const answer = await this.#command(() =>
      this.#client.attestReplay(
        `${this.#prefix}replay:${key}`,
        `${this.#prefix}replay-epoch`,
        ttlMs,
        Math.floor(expiresAtMs - this.#replayWindowMs),
        this.#replayWindowMs,
      ),
    );
    return Number(answer) === 1;
  }

  async takeAll(entries: readonly RateLimitEntry[]): Promise<(number | undefined)[]> {
    const limited = entries.filter((entry) => entry.limitPerMinute > 0);
    if (limited.length === 0) return entries.map(() => undefined);
    const keys = limited.map((entry) => `${this.#prefix}rate:${entry.key}`);
    const limits = limited.map((entry) => String(entry.limitPerMinute));
    const waits = await this.#command(() =>
      this.#client.attestTakeAll(keys.length, ...keys, String(Math.floor(this.#now())), ...limits),
    );
    let next = 0;
    return entries.map((entry) => {
      if (entry.limitPerMinute <= 0) return undefined;
      const wait = Number(waits[next++]);
      return wait > 0 ? wait : undefined;
    });
  }

  async read(): Promise<SharedAccountRevision | undefined> {
    const text = await this.#command(() => this.#client.get(this.#accountKey));
    return text === null ? undefined : this.#parseDocument(text);
  }

  async readIfChanged(known: number): Promise<SharedAccountRevision | "unchanged" | undefined> {
    const answer = await this.#command(() =>
      this.#client.attestAccountReadIfChanged(this.#accountKey, String(known)),
    );
    if (answer === null) return undefined;
    if (typeof answer === "number") return "unchanged";
    return this.#parseDocument(answer);
  }

  #parseDocument(text: string): SharedAccountRevision {
    if (text.length > MAX_ACCOUNT_DOCUMENT_CHARS) {
      throw new SharedAccountInvalidError(`${this.#accountKey}: larger than 1 MiB`);
    }
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch {
      throw new SharedAccountInvalidError(`${this.#accountKey}: is not valid JSON`);
    }
    const { revision, account } = (document ?? {}) as Record<string, unknown>;
    if (typeof revision !== "number" || !Number.isSafeInteger(revision) || revision < 1) {
      throw new SharedAccountInvalidError(`${this.#accountKey}: has no valid revision`);
    }
    return { revision, account };
  }

  async compareAndSet(expected: number, account: Account): Promise<boolean> {
    // `revision` first: readIfChanged finds it in the document's first bytes.
    const document = JSON.stringify({ revision: expected + 1, account });
    const written = await this.#command(() =>
      this.#client.attestAccountCas(this.#accountKey, expected, document),
    );
    return Number(written) === 1;
  }

  async announce(revision: number): Promise<void> {
    await this.#command(() => this.#client.publish(this.#channel, String(revision)));
  }

  onChange(listener: () => void): void {
    this.#listeners.push(listener);
  }

  async health(): Promise<SharedStoreHealth> {
    if (this.#client.status !== "ready") return "down";
    try {
      await this.#client.ping();
      return "up";
    } catch {
      return "down";
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#client.disconnect();
    this.#subscriber.disconnect();
  }
}
