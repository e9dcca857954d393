/**
 * Whether `/r/<id>` may open its room, decided before anything connects (also by the page's
 * first module, before it opens the relay socket early: keep this file's imports light).
 *
 * A protected room's id is known to the relay; its secret is not. So a visit without the key for
 * an id this browser knows as protected, or with a key that is malformed or belongs to another
 * room, joins nothing: opening an open room under that id would meet whoever waits there (the
 * relay operator included) without any protection. The browser remembers protected ids only as
 * hashes in their own domain (protectedRoomMark), never the secret.
 */
import { deriveRoomId, isRoomSecret, protectedRoomMark } from '@peerboard/core/secret';
import { keyParam } from './roomId';

export type RoomAccess =
  | { kind: 'open' }
  | { kind: 'protected'; secret: string }
  /** a bare link for an id this browser knows as protected */
  | { kind: 'missing_key' }
  /** a key that is not a secret, or the secret of another room */
  | { kind: 'damaged' }
  /** a key, on a page without WebCrypto (plain http other than localhost): cannot be used */
  | { kind: 'insecure' };

export type MarkStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export const PROTECTED_MARKS_KEY = 'peerboard.protectedRooms';
/** the oldest marks are dropped past this many (a mark is 22 characters) */
const MAX_MARKS = 1000;

export function browserStorage(): MarkStorage | null {
  try {
    return localStorage;
  } catch {
    return null; // storage disabled: nothing is remembered
  }
}

function readMarks(storage: MarkStorage | null): string[] {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(PROTECTED_MARKS_KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((m): m is string => typeof m === 'string') : [];
  } catch {
    return [];
  }
}

function writeMarks(storage: MarkStorage | null, marks: string[]): void {
  try {
    storage?.setItem(PROTECTED_MARKS_KEY, JSON.stringify(marks.slice(-MAX_MARKS)));
  } catch {
    // quota or disabled storage: the mark lasts only as long as this page
  }
}

export async function isKnownProtected(
  roomId: string,
  storage = browserStorage(),
): Promise<boolean> {
  return readMarks(storage).includes(await protectedRoomMark(roomId));
}

export async function rememberProtected(roomId: string, storage = browserStorage()): Promise<void> {
  const mark = await protectedRoomMark(roomId);
  const marks = readMarks(storage).filter((m) => m !== mark);
  writeMarks(storage, [...marks, mark]);
}

export async function forgetProtected(roomId: string, storage = browserStorage()): Promise<void> {
  const mark = await protectedRoomMark(roomId);
  writeMarks(
    storage,
    readMarks(storage).filter((m) => m !== mark),
  );
}

/**
 * What the room page may do for `/r/<roomId>` with this fragment. A valid key for this room is
 * remembered (as a mark), so that a later bare link for it is refused.
 */
export async function checkRoomAccess(
  roomId: string,
  fragment: string,
  storage = browserStorage(),
): Promise<RoomAccess> {
  const k = keyParam(fragment);
  // Without WebCrypto there can be no protected room here, and no sealed store to protect.
  if (typeof globalThis.crypto?.subtle?.digest !== 'function')
    return k === null ? { kind: 'open' } : { kind: 'insecure' };
  if (k !== null) {
    if (!isRoomSecret(k) || (await deriveRoomId(k)) !== roomId) return { kind: 'damaged' };
    await rememberProtected(roomId, storage);
    return { kind: 'protected', secret: k };
  }
  return (await isKnownProtected(roomId, storage)) ? { kind: 'missing_key' } : { kind: 'open' };
}
