/** Room ids and room links: creation, parsing of what people paste, URLs. */
import { isRoomId, randomId } from '@peerboard/protocol';
import { isRoomSecret, secretFragment } from '@peerboard/core/secret';

const ROOM_PATH_RE = /^\/r\/([A-Za-z0-9_-]+)\/?$/;

/** 128 random bits as base64url (22 chars): unguessable, fits isRoomId. */
export const newRoomId = (): string => randomId(16);

export const roomPath = (id: string): string => `/r/${id}`;

export const roomUrl = (id: string, origin = location.origin): string => origin + roomPath(id);

/** Path plus, for a protected room, the `#k=<secret>` fragment (browsers never send it). */
export const roomHref = (id: string, secret: string | null): string =>
  roomPath(id) + (secret === null ? '' : secretFragment(secret));

/** The link people share: a protected room's secret rides in the fragment. */
export const roomLink = (id: string, secret: string | null, origin = location.origin): string =>
  origin + roomHref(id, secret);

/** The raw `k` of a `#k=...` fragment, whatever it holds; null when there is none. */
export function keyParam(fragment: string): string | null {
  const raw = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  return raw === '' ? null : new URLSearchParams(raw).get('k');
}

export const DAMAGED_KEY_MESSAGE =
  'This link is damaged: its key is incomplete. Ask for the full link.';

/** The room id of a `/r/<id>` path, or null. */
export function roomIdFromPath(pathname: string): string | null {
  const match = ROOM_PATH_RE.exec(pathname);
  const id = match?.[1];
  return id !== undefined && isRoomId(id) ? id : null;
}

export type ParsedJoin =
  { ok: true; roomId: string; secret: string | null } | { ok: false; message: string };

/**
 * Accepts what people paste into "Join": a full link (any host, so a link shared from another
 * deployment still names the room), a `/r/<id>` path, or a bare id.
 */
export function parseJoinInput(raw: string): ParsedJoin {
  const text = raw.trim();
  if (text === '') return { ok: false, message: 'Paste a room link or a room code first.' };
  if (isRoomId(text)) return { ok: true, roomId: text, secret: null };
  let pathname: string = text;
  let fragment = '';
  try {
    const url = new URL(text);
    pathname = url.pathname;
    fragment = url.hash;
  } catch {
    // not an absolute URL: maybe a path such as /r/abc#k=...
    const input = raw.trim();
    const hashAt = input.indexOf('#');
    if (hashAt >= 0) [pathname, fragment] = [input.slice(0, hashAt), input.slice(hashAt)];
  }
  const id = roomIdFromPath(pathname);
  if (id !== null) {
    // a cut-off key must not quietly turn the link into an open room
    const k = keyParam(fragment);
    if (k !== null && !isRoomSecret(k)) return { ok: false, message: DAMAGED_KEY_MESSAGE };
    return { ok: true, roomId: id, secret: k };
  }
  return {
    ok: false,
    message: 'That does not look like a Peerboard room link. It should end in /r/ and a code.',
  };
}

/** Short form for headers: the first characters are enough for people to tell rooms apart. */
export const shortRoomId = (id: string): string => (id.length > 8 ? `${id.slice(0, 6)}…` : id);
