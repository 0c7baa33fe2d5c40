/**
 * Remembers which DPoP proofs were already used. Pluggable so that several service
 * instances can share one (a later issue); MemoryReplayStore is the in-process default.
 */
export interface ReplayStore {
  /**
   * Atomically: true if `key` was not seen (or its memory expired), and remember it until
   * at least `expiresAtMs`; false if it was seen before (or the store cannot tell).
   */
  checkAndRemember(key: string, expiresAtMs: number): Promise<boolean>;
}
