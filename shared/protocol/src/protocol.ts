/**
 * Signaling protocol between browser/Node clients and the relay.
 *
 * Control messages are JSON text frames. `signal` is a binary frame so the relay can route it by
 * looking at a fixed-size header and forward the opaque payload bytes untouched:
 *
 *   client -> server   [0x01][to: 12 ASCII bytes][payload]
 *   server -> client   [0x01][from: 12 ASCII bytes][payload]
 *
 * See PROTOCOL.md for the table of messages, limits and error codes.
 */
import {
  CONTROL_FRAME_MAX_BYTES,
  DISPLAY_NAME_MAX_LENGTH,
  PEER_ID_LENGTH,
  PEER_TIMEOUT_SETTING_MAX_MS,
  PEER_TIMEOUT_SETTING_MIN_MS,
  ROOM_ID_MAX_LENGTH,
  SIGNAL_PAYLOAD_MAX_BYTES,
} from './limits';
import { err, isObject, ok, type Result } from './result';
import { sanitizeText } from './text';

export type PeerId = string;
export type RoomId = string;

export interface Member {
  id: PeerId;
  name: string;
  /**
   * The protocol version the relay attests for this member: the version of the relay it is
   * connected to, which refused its `hello` had it named another. Absent from a relay that
   * attests nothing (older relays, or a member of an instance that does not say its version).
   * A page trusts it over the version a peer names in its own link `hello` (mesh.ts).
   */
  version?: number;
}

export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

/**
 * The relay operator's peer connection deadlines (PEER_CONNECT_TIMEOUT_MS /
 * PEER_DIRECT_TIMEOUT_MS on the relay), in `joined` only when set; each field unset = the
 * client's own default.
 */
export interface PeerTimeouts {
  connectMs?: number;
  directMs?: number;
}

// ---- client -> server ----
export type ClientMessage =
  | { type: 'hello'; version: number }
  | { type: 'join'; room: RoomId; name: string }
  | { type: 'leave' }
  | { type: 'ping'; t: number }
  | { type: 'signal'; to: PeerId; payload: Uint8Array };

// ---- server -> client ----
export type ServerMessage =
  | { type: 'welcome'; version: number; peerId: PeerId }
  | {
      type: 'joined';
      room: RoomId;
      peerId: PeerId;
      members: Member[];
      iceServers: IceServer[];
      peerTimeouts?: PeerTimeouts;
    }
  | { type: 'peer_joined'; peer: Member }
  | { type: 'peer_left'; peerId: PeerId }
  | { type: 'pong'; t: number }
  | { type: 'error'; code: ErrorCode; message: string }
  | { type: 'signal'; from: PeerId; payload: Uint8Array };

export const ERROR_CODES = [
  'ERR_BAD_JSON',
  'ERR_BAD_MESSAGE',
  'ERR_UNKNOWN_TYPE',
  'ERR_TOO_BIG',
  'ERR_VERSION',
  'ERR_HELLO_FIRST',
  'ERR_NOT_IN_ROOM',
  'ERR_ALREADY_IN_ROOM',
  'ERR_ROOM_FULL',
  'ERR_TOO_MANY_ROOMS',
  'ERR_NO_SUCH_PEER',
  'ERR_RATE_LIMITED',
  /** the relay dropped signals to one peer (too many bytes to it, or it is not keeping up) */
  'ERR_PEER_CONGESTED',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const SIGNAL_TAG = 0x01;
export const SIGNAL_HEADER_BYTES = 1 + PEER_ID_LENGTH;

const PEER_ID_RE = /^[A-Za-z0-9_-]+$/;
const ROOM_ID_RE = /^[A-Za-z0-9_-]+$/;

export const isPeerId = (v: unknown): v is PeerId =>
  typeof v === 'string' && v.length === PEER_ID_LENGTH && PEER_ID_RE.test(v);

export const isRoomId = (v: unknown): v is RoomId =>
  typeof v === 'string' && v.length > 0 && v.length <= ROOM_ID_MAX_LENGTH && ROOM_ID_RE.test(v);

/** Strips control and bidi characters (sanitizeText), trims; empty names become "Guest". */
export function cleanDisplayName(raw: string): string {
  const cleaned = sanitizeText(raw.slice(0, DISPLAY_NAME_MAX_LENGTH * 4)).trim();
  return cleaned.slice(0, DISPLAY_NAME_MAX_LENGTH).trim() || 'Guest';
}

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

// ---- binary signal envelope ----

/** Reads a fixed-size ASCII peer id at `offset`; returns null if any byte is not an id char. */
export function readPeerId(bytes: Uint8Array, offset: number): PeerId | null {
  if (bytes.length < offset + PEER_ID_LENGTH) return null;
  let id = '';
  for (let i = offset; i < offset + PEER_ID_LENGTH; i++) {
    const c = bytes[i]!;
    const idChar =
      (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 95;
    if (!idChar) return null;
    id += String.fromCharCode(c);
  }
  return id;
}

export function writePeerId(target: Uint8Array, offset: number, id: PeerId): void {
  for (let i = 0; i < PEER_ID_LENGTH; i++) target[offset + i] = id.charCodeAt(i);
}

/** Encodes a signal envelope; `peer` is the recipient (client side) or sender (server side). */
export function encodeSignal(peer: PeerId, payload: Uint8Array): Uint8Array {
  const frame = new Uint8Array(SIGNAL_HEADER_BYTES + payload.length);
  frame[0] = SIGNAL_TAG;
  writePeerId(frame, 1, peer);
  frame.set(payload, SIGNAL_HEADER_BYTES);
  return frame;
}

type SignalEnvelope = { peer: PeerId; payload: Uint8Array };

export function parseSignalEnvelope(frame: Uint8Array): Result<SignalEnvelope, ErrorCode> {
  if (frame.length < SIGNAL_HEADER_BYTES || frame[0] !== SIGNAL_TAG)
    return err('ERR_UNKNOWN_TYPE', 'binary frames must be signal envelopes');
  if (frame.length - SIGNAL_HEADER_BYTES > SIGNAL_PAYLOAD_MAX_BYTES)
    return err('ERR_TOO_BIG', `signal payload exceeds ${SIGNAL_PAYLOAD_MAX_BYTES} bytes`);
  if (frame.length === SIGNAL_HEADER_BYTES) return err('ERR_BAD_MESSAGE', 'empty signal payload');
  const peer = readPeerId(frame, 1);
  if (peer === null) return err('ERR_BAD_MESSAGE', 'malformed peer id in signal envelope');
  return ok({ peer, payload: frame.subarray(SIGNAL_HEADER_BYTES) });
}

// ---- client -> server validation ----

export type ClientFrame = { text: string } | { binary: Uint8Array };

export function parseClientMessage(frame: ClientFrame): Result<ClientMessage, ErrorCode> {
  if ('binary' in frame) {
    const env = parseSignalEnvelope(frame.binary);
    return env.ok ? ok({ type: 'signal', to: env.value.peer, payload: env.value.payload }) : env;
  }
  if (frame.text.length > CONTROL_FRAME_MAX_BYTES)
    return err('ERR_TOO_BIG', `control messages are limited to ${CONTROL_FRAME_MAX_BYTES} bytes`);
  let data: unknown;
  try {
    data = JSON.parse(frame.text);
  } catch {
    return err('ERR_BAD_JSON', 'message is not valid JSON');
  }
  if (!isObject(data) || typeof data.type !== 'string')
    return err('ERR_BAD_MESSAGE', 'message must be an object with a string "type"');
  switch (data.type) {
    case 'hello':
      if (!Number.isInteger(data.version))
        return err('ERR_BAD_MESSAGE', 'hello.version must be an integer');
      return ok({ type: 'hello', version: data.version as number });
    case 'join': {
      if (!isRoomId(data.room))
        return err(
          'ERR_BAD_MESSAGE',
          `join.room must be 1-${ROOM_ID_MAX_LENGTH} characters of A-Z a-z 0-9 _ -`,
        );
      const name = data.name === undefined ? '' : data.name;
      if (typeof name !== 'string' || name.length > DISPLAY_NAME_MAX_LENGTH * 4)
        return err('ERR_BAD_MESSAGE', 'join.name must be a short string');
      return ok({ type: 'join', room: data.room, name: cleanDisplayName(name) });
    }
    case 'leave':
      return ok({ type: 'leave' });
    case 'ping':
      if (!isFiniteNumber(data.t)) return err('ERR_BAD_MESSAGE', 'ping.t must be a number');
      return ok({ type: 'ping', t: data.t });
    case 'signal':
      return err('ERR_BAD_MESSAGE', 'signal must be sent as a binary envelope');
    default:
      return err('ERR_UNKNOWN_TYPE', `unknown message type "${data.type.slice(0, 32)}"`);
  }
}

/** Client side: what to put on the socket for a message. */
export function encodeClientMessage(msg: ClientMessage): string | Uint8Array {
  return msg.type === 'signal' ? encodeSignal(msg.to, msg.payload) : JSON.stringify(msg);
}

// ---- server -> client validation (a client trusts nothing either) ----

/** a protocol version as the wire `hello` carries it (u16, PROTOCOL.md) */
export const isProtocolVersion = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffff;

const isMember = (v: unknown): v is Member =>
  isObject(v) &&
  isPeerId(v.id) &&
  typeof v.name === 'string' &&
  v.name.length <= DISPLAY_NAME_MAX_LENGTH &&
  (v.version === undefined || isProtocolVersion(v.version));

/** A member as the client keeps it: known fields only (an attested version when valid). */
const memberOf = (v: Member): Member =>
  v.version === undefined
    ? { id: v.id, name: v.name }
    : { id: v.id, name: v.name, version: v.version };

const isIceServer = (v: unknown): v is IceServer =>
  isObject(v) &&
  (typeof v.urls === 'string' ||
    (Array.isArray(v.urls) && v.urls.every((u) => typeof u === 'string'))) &&
  (v.username === undefined || typeof v.username === 'string') &&
  (v.credential === undefined || typeof v.credential === 'string');

const isTimeoutSetting = (v: unknown): v is number | undefined =>
  v === undefined ||
  (typeof v === 'number' &&
    Number.isInteger(v) &&
    v >= PEER_TIMEOUT_SETTING_MIN_MS &&
    v <= PEER_TIMEOUT_SETTING_MAX_MS);

/** a valid `joined.peerTimeouts`, known fields only; null = malformed */
const peerTimeoutsOf = (v: unknown): PeerTimeouts | null => {
  if (!isObject(v) || !isTimeoutSetting(v.connectMs) || !isTimeoutSetting(v.directMs)) return null;
  const out: PeerTimeouts = {};
  if (v.connectMs !== undefined) out.connectMs = v.connectMs;
  if (v.directMs !== undefined) out.directMs = v.directMs;
  return out;
};

const isErrorCode = (v: unknown): v is ErrorCode =>
  typeof v === 'string' && (ERROR_CODES as readonly string[]).includes(v);

export type ServerFrame = ClientFrame;

export function parseServerMessage(frame: ServerFrame): Result<ServerMessage, ErrorCode> {
  if ('binary' in frame) {
    const env = parseSignalEnvelope(frame.binary);
    return env.ok ? ok({ type: 'signal', from: env.value.peer, payload: env.value.payload }) : env;
  }
  let data: unknown;
  try {
    data = JSON.parse(frame.text);
  } catch {
    return err('ERR_BAD_JSON', 'server message is not valid JSON');
  }
  if (!isObject(data) || typeof data.type !== 'string')
    return err('ERR_BAD_MESSAGE', 'server message must be an object with a string "type"');
  const bad = (what: string) => err('ERR_BAD_MESSAGE' as const, `malformed ${what} message`);
  switch (data.type) {
    case 'welcome':
      return Number.isInteger(data.version) && isPeerId(data.peerId)
        ? ok({ type: 'welcome', version: data.version as number, peerId: data.peerId })
        : bad('welcome');
    case 'joined': {
      const peerTimeouts =
        data.peerTimeouts === undefined ? undefined : peerTimeoutsOf(data.peerTimeouts);
      return isRoomId(data.room) &&
        isPeerId(data.peerId) &&
        Array.isArray(data.members) &&
        data.members.every(isMember) &&
        Array.isArray(data.iceServers) &&
        data.iceServers.every(isIceServer) &&
        peerTimeouts !== null
        ? ok({
            type: 'joined',
            room: data.room,
            peerId: data.peerId,
            members: data.members.map(memberOf),
            iceServers: data.iceServers,
            ...(peerTimeouts === undefined ? {} : { peerTimeouts }),
          })
        : bad('joined');
    }
    case 'peer_joined':
      return isMember(data.peer)
        ? ok({ type: 'peer_joined', peer: memberOf(data.peer) })
        : bad('peer_joined');
    case 'peer_left':
      return isPeerId(data.peerId)
        ? ok({ type: 'peer_left', peerId: data.peerId })
        : bad('peer_left');
    case 'pong':
      return isFiniteNumber(data.t) ? ok({ type: 'pong', t: data.t }) : bad('pong');
    case 'error':
      return isErrorCode(data.code) && typeof data.message === 'string'
        ? ok({ type: 'error', code: data.code, message: data.message })
        : bad('error');
    default:
      return err('ERR_UNKNOWN_TYPE', `unknown server message type "${data.type.slice(0, 32)}"`);
  }
}

/** Server side: JSON text for control messages (signal frames are built by the relay). */
export function encodeServerControl(msg: Exclude<ServerMessage, { type: 'signal' }>): string {
  return JSON.stringify(msg);
}
