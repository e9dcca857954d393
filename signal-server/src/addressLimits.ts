/**
 * Open connections per client address (see clientAddress.ts for what "address" means). Pure
 * counting; server.ts asks before admitting a socket and releases on close.
 */

export interface ConnectionLedger {
  /** Counts a connection for `key` and returns true, or returns false (nothing counted). */
  tryOpen(key: string): boolean;
  /** Undoes one successful tryOpen. */
  release(key: string): void;
  count(key: string): number;
  /** distinct keys with at least one connection */
  readonly keys: number;
}

export function makeConnectionLedger(maxPerKey: number): ConnectionLedger {
  const open = new Map<string, number>();
  return {
    tryOpen(key) {
      const n = open.get(key) ?? 0;
      if (n >= maxPerKey) return false;
      open.set(key, n + 1);
      return true;
    },
    release(key) {
      const n = open.get(key) ?? 0;
      if (n <= 1) open.delete(key);
      else open.set(key, n - 1);
    },
    count: (key) => open.get(key) ?? 0,
    get keys() {
      return open.size;
    },
  };
}
