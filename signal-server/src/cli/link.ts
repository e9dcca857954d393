/**
 * A room link as people share it: `https://host/r/<roomId>` or, for a protected room,
 * `https://host/r/<roomId>#k=<secret>`. The relay is the link's own origin (`/ws` on it), as in
 * the browser; `--relay` overrides it. A cut-off key is refused rather than quietly opening the
 * open room of the same id, and a key that does not belong to the room id is refused too.
 */
import { isRoomId } from '@peerboard/protocol';
import { deriveRoomId, isRoomSecret } from '@peerboard/core/secret';
import { CliError, EXIT } from './errors';

export interface RoomLink {
  roomId: string;
  secret: string | null;
  /** ws(s)://host/ws */
  signalingUrl: string;
  /** the link again, for messages (the secret is not repeated) */
  display: string;
}

const ROOM_PATH_RE = /^\/r\/([A-Za-z0-9_-]+)\/?$/;

const bad = (raw: string, why: string) =>
  new CliError(`"${raw}" is not a usable room link: ${why}`, EXIT.usage);

export async function parseRoomLink(raw: string, relay?: string): Promise<RoomLink> {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw bad(raw, 'copy the whole link from the app, e.g. https://host/r/abc123');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw bad(raw, 'it should start with http:// or https://');
  const id = ROOM_PATH_RE.exec(url.pathname)?.[1];
  if (id === undefined || !isRoomId(id)) throw bad(raw, 'it should end in /r/ and a room code');
  const k = url.hash === '' ? null : new URLSearchParams(url.hash.slice(1)).get('k');
  if (url.hash !== '' && k === null) throw bad(raw, 'its #fragment holds no room key (#k=...)');
  if (k !== null && !isRoomSecret(k))
    throw bad(raw, 'its key is incomplete (cut off?). Ask for the full link.');
  if (k !== null && (await deriveRoomId(k)) !== id)
    throw bad(raw, 'its key does not belong to this room. Ask for the full link.');
  let signalingUrl = `${url.protocol === 'https:' ? 'wss' : 'ws'}://${url.host}/ws`;
  if (relay !== undefined) {
    if (!/^wss?:\/\/[^/]+/.test(relay))
      throw new CliError(`--relay must be a ws:// or wss:// address, got "${relay}"`, EXIT.usage);
    signalingUrl = relay;
  }
  return { roomId: id, secret: k, signalingUrl, display: `${url.origin}/r/${id}` };
}
