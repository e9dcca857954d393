/** Room ids and room links: creation, parsing of what people paste, URLs. */
import { isRoomId } from '@peerboard/shared';

const ROOM_PATH_RE = /^\/r\/([A-Za-z0-9_-]+)\/?$/;

/** 128 random bits as base64url (22 chars): unguessable, fits isRoomId. */
export function newRoomId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export const roomPath = (id: string): string => `/r/${id}`;

export const roomUrl = (id: string, origin = location.origin): string => origin + roomPath(id);

/** The room id of a `/r/<id>` path, or null. */
export function roomIdFromPath(pathname: string): string | null {
  const match = ROOM_PATH_RE.exec(pathname);
  const id = match?.[1];
  return id !== undefined && isRoomId(id) ? id : null;
}

export type ParsedJoin = { ok: true; roomId: string } | { ok: false; message: string };

/**
 * Accepts what people paste into "Join": a full link (any host, so a link shared from another
 * deployment still names the room), a `/r/<id>` path, or a bare id.
 */
export function parseJoinInput(raw: string): ParsedJoin {
  const text = raw.trim();
  if (text === '') return { ok: false, message: 'Paste a room link or a room code first.' };
  if (isRoomId(text)) return { ok: true, roomId: text };
  let pathname: string = text;
  try {
    pathname = new URL(text).pathname;
  } catch {
    // not an absolute URL: maybe a path such as /r/abc
  }
  const id = roomIdFromPath(pathname);
  if (id !== null) return { ok: true, roomId: id };
  return {
    ok: false,
    message: 'That does not look like a Peerboard room link. It should end in /r/ and a code.',
  };
}

/** Short form for headers: the first characters are enough for people to tell rooms apart. */
export const shortRoomId = (id: string): string => (id.length > 8 ? `${id.slice(0, 6)}…` : id);
