/**
 * Session test kit: whole sessions (makeSession: room, document, presence, transfers, chat,
 * call) over one real relay started for the calling test file, all of them left when it ends.
 */
import { afterAll, beforeAll, expect, vi } from 'vitest';
import type { Session, SessionOptions } from '../../src/session';
import { quietSession, startRelay, type Relay } from './relay';

export interface SessionRelay {
  /** the running relay (from beforeAll on) */
  readonly relay: Relay;
  /** a quiet session in `roomId`, left after the file's tests */
  join(roomId: string, name: string, extra?: Partial<SessionOptions>): Session;
  /** something else the tests started, destroyed first when the file ends */
  track(thing: { destroy(): void }): void;
}

export function useSessionRelay(): SessionRelay {
  let relay: Relay | undefined;
  const sessions: Session[] = [];
  const others: { destroy(): void }[] = [];
  beforeAll(async () => {
    relay = await startRelay();
  });
  afterAll(async () => {
    for (const t of others) t.destroy();
    for (const s of sessions) s.destroy();
    await relay?.close();
  });
  return {
    get relay() {
      if (!relay) throw new Error('the relay starts in beforeAll');
      return relay;
    },
    join(roomId, name, extra) {
      const s = quietSession(this.relay.url, roomId, name, extra);
      sessions.push(s);
      return s;
    },
    track: (thing) => void others.push(thing),
  };
}

/** Waits until `check()` holds (20 s). */
export const until = (check: () => boolean) =>
  vi.waitFor(() => expect(check()).toBe(true), { timeout: 20_000, interval: 25 });
