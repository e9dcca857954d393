/**
 * Where a provider goes: y-webrtc names rooms freely ("my-doc"), Peerboard's relay takes a room
 * id (1-64 base64url characters). This maps a name, a secret, a password or a Peerboard room
 * link to the relay's room id, the secret that seals signaling, and the relay URL.
 *
 * - name only: id = base64url(SHA-256("peerboard-yjs:" + name)), 43 characters. Anyone who knows
 *   the name can join, as with y-webrtc without a password; the relay sees only the hash, but a
 *   guessable name is a guessable hash.
 * - secret (or a link with `#k=`): id = core's deriveRoomId(secret), so the room is the one the
 *   Peerboard app opens for that link; signaling payloads are sealed (the relay learns neither the
 *   secret nor SDP). The room name is then only a local label.
 * - password (y-webrtc's option): the secret is PBKDF2-SHA-256(password, salt "peerboard-yjs:" +
 *   name); protection is as strong as the password against someone who learns the room id.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { deriveRoomId, isRoomSecret, secretFromFragment } from '@peerboard/core/secret';
import {
  assertNever,
  base64url,
  err,
  isRoomId,
  ok,
  utf8Encode,
  type Result,
} from '@peerboard/protocol';

export type TargetErrorCode = 'ERR_BAD_OPTIONS' | 'ERR_BAD_SECRET' | 'ERR_BAD_LINK';

export interface TargetOptions {
  signaling?: string | readonly string[];
  secret?: string;
  link?: string;
  password?: string;
}

/** What can be checked synchronously (the constructor throws on these). */
export interface TargetPlan {
  kind: 'name' | 'secret' | 'password' | 'open-link';
  /** the secret (kind secret), the password (kind password) or the link's room id (open-link) */
  value: string;
  /** undefined: the page's origin (browser) */
  signalingUrl: string | undefined;
}

export interface RoomTarget {
  roomId: string;
  secret: string | undefined;
  signalingUrl: string | undefined;
}

const NAME_DOMAIN = 'peerboard-yjs:';
/** OWASP's 2023 figure for PBKDF2-HMAC-SHA-256; paid once per provider. */
export const PASSWORD_ITERATIONS = 600_000;

type Bytes = Uint8Array<ArrayBuffer>;

function relayUrlOf(link: URL): string {
  return `${link.protocol === 'https:' ? 'wss' : 'ws'}://${link.host}/ws`;
}

function firstSignalingUrl(signaling: TargetOptions['signaling']): Result<string | undefined> {
  if (signaling === undefined) return ok(undefined);
  // y-webrtc takes a list and connects to all; one Peerboard relay (or its Redis-backed
  // cluster) is the whole signaling plane, so the first URL is used
  const url = typeof signaling === 'string' ? signaling : signaling[0];
  if (url === undefined) return ok(undefined);
  if (!/^wss?:\/\//.test(url)) return err('ERR_BAD_OPTIONS', `signaling must be a ws(s):// URL`);
  return ok(url);
}

export function planTarget(
  roomName: string,
  options: TargetOptions,
): Result<TargetPlan, TargetErrorCode> {
  const given = [options.secret, options.link, options.password].filter((v) => v !== undefined);
  if (given.length > 1)
    return err('ERR_BAD_OPTIONS', 'pass at most one of secret, link and password');
  const signaling = firstSignalingUrl(options.signaling);
  if (!signaling.ok) return err('ERR_BAD_OPTIONS', signaling.message);
  if (options.secret !== undefined) {
    if (!isRoomSecret(options.secret))
      return err('ERR_BAD_SECRET', 'secret must be a room secret (22-128 base64url characters)');
    return ok({ kind: 'secret', value: options.secret, signalingUrl: signaling.value });
  }
  if (options.password !== undefined) {
    if (options.password === '') return err('ERR_BAD_OPTIONS', 'password is empty');
    return ok({ kind: 'password', value: options.password, signalingUrl: signaling.value });
  }
  if (options.link !== undefined) {
    let link: URL;
    try {
      link = new URL(options.link);
    } catch {
      return err('ERR_BAD_LINK', 'link is not a URL');
    }
    if (link.protocol !== 'https:' && link.protocol !== 'http:')
      return err('ERR_BAD_LINK', 'link must be an http(s) room link');
    const signalingUrl = signaling.value ?? relayUrlOf(link);
    const hasKey = new URLSearchParams(link.hash.slice(1)).has('k');
    const secret = secretFromFragment(link.hash);
    if (hasKey && secret === null) return err('ERR_BAD_LINK', 'the link carries a damaged #k=');
    // with a secret the room is the one derived from it: the path id is redundant (the app
    // derives it the same way), and anyone holding the secret meets there
    if (secret !== null) return ok({ kind: 'secret', value: secret, signalingUrl });
    const match = /^\/r\/([^/]+)\/?$/.exec(link.pathname);
    const roomId = match?.[1];
    if (roomId === undefined || !isRoomId(roomId))
      return err('ERR_BAD_LINK', 'link must look like https://host/r/<room id>[#k=<secret>]');
    return ok({ kind: 'open-link', value: roomId, signalingUrl });
  }
  if (roomName === '') return err('ERR_BAD_OPTIONS', 'the room name is empty');
  return ok({ kind: 'name', value: roomName, signalingUrl: signaling.value });
}

/**
 * The relay room id of a plain room name. Synchronous (noble, not WebCrypto) so an open room also
 * works on plain HTTP on a LAN, where browsers hide crypto.subtle.
 */
export function roomIdForName(roomName: string): string {
  const id = base64url(sha256(utf8Encode(NAME_DOMAIN + roomName)));
  if (!isRoomId(id)) throw new Error('name hash does not fit the room id format');
  return id;
}

/** A room secret from a y-webrtc style password, bound to the room name. */
export async function secretFromPassword(password: string, roomName: string): Promise<string> {
  const subtle = globalThis.crypto.subtle;
  const base = await subtle.importKey('raw', utf8Encode(password) as Bytes, 'PBKDF2', false, [
    'deriveBits',
  ]);
  const bits = await subtle.deriveBits(
    {
      name: 'PBKDF2',
      hash: 'SHA-256',
      salt: utf8Encode(NAME_DOMAIN + roomName) as Bytes,
      iterations: PASSWORD_ITERATIONS,
    },
    base,
    256,
  );
  const secret = base64url(new Uint8Array(bits));
  if (!isRoomSecret(secret)) throw new Error('derived secret does not fit the secret format');
  return secret;
}

export async function resolveTarget(roomName: string, plan: TargetPlan): Promise<RoomTarget> {
  const { signalingUrl } = plan;
  switch (plan.kind) {
    case 'name':
      return { roomId: roomIdForName(plan.value), secret: undefined, signalingUrl };
    case 'open-link':
      return { roomId: plan.value, secret: undefined, signalingUrl };
    case 'secret':
      return { roomId: await deriveRoomId(plan.value), secret: plan.value, signalingUrl };
    case 'password': {
      const secret = await secretFromPassword(plan.value, roomName);
      return { roomId: await deriveRoomId(secret), secret, signalingUrl };
    }
    default:
      return assertNever(plan.kind);
  }
}
