/**
 * The room a share from another app goes to: the last one opened in this browser.
 *
 * An open room is remembered by its id (localStorage). A protected room's link carries its
 * secret, which this browser never stores beside the sealed board (THREAT_MODEL.md "What stays
 * on this device"): its full link is kept only in this tab's sessionStorage, next to the page
 * URL that already holds it, and localStorage remembers only that the last room was protected.
 */
import { roomHref } from './roomId';

const KEY = 'peerboard.lastRoom';
const PROTECTED = 'protected';

export type LastRoom =
  | { kind: 'room'; href: string }
  /** the last room was protected and this tab does not have its link */
  | { kind: 'protected_elsewhere' }
  | { kind: 'none' };

type Store = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

function storage(which: 'local' | 'session'): Store | null {
  try {
    return which === 'local' ? localStorage : sessionStorage;
  } catch {
    return null;
  }
}

function safely(f: () => void): void {
  try {
    f();
  } catch {
    // quota or disabled storage: a share then asks which room
  }
}

export function rememberLastRoom(
  roomId: string,
  secret: string | null,
  local = storage('local'),
  session = storage('session'),
): void {
  safely(() => local?.setItem(KEY, secret === null ? roomHref(roomId, null) : PROTECTED));
  safely(() =>
    secret === null ? session?.removeItem(KEY) : session?.setItem(KEY, roomHref(roomId, secret)),
  );
}

function read(store: Store | null): string | null {
  try {
    return store?.getItem(KEY) ?? null;
  } catch {
    return null;
  }
}

const ROOM_HREF = /^\/r\/[A-Za-z0-9_-]+(?:#k=[A-Za-z0-9_-]+)?$/;

export function lastRoom(local = storage('local'), session = storage('session')): LastRoom {
  const inTab = read(session);
  const saved = read(local);
  // a value that is not a room link (edited storage) is ignored, never navigated to
  const valid = (v: string | null): v is string => v !== null && ROOM_HREF.test(v);
  if (saved === PROTECTED)
    return valid(inTab) ? { kind: 'room', href: inTab } : { kind: 'protected_elsewhere' };
  if (valid(saved)) return { kind: 'room', href: saved };
  return { kind: 'none' };
}
