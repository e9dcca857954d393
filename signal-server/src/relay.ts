/**
 * Pure relay decisions: (registry, sender session, message) -> outbound actions.
 * No sockets: server.ts executes the actions. The binary `signal` hot path has its own
 * allocation-free entry point (routeSignalFrame) that returns the target session or a code.
 */
import {
  CLOSE,
  ERROR_CODES,
  PEER_ID_LENGTH,
  SIGNAL_HEADER_BYTES,
  SIGNAL_PAYLOAD_MAX_BYTES,
  SIGNAL_TAG,
  assertNever,
  encodeServerControl,
  type ClientMessage,
  type ErrorCode,
  type IceServer,
  type PeerTimeouts,
  type Member,
  type PeerId,
  type RoomId,
} from '@peerboard/protocol';
import type { Room, RoomRegistry } from './rooms';

/** Per-connection protocol state. `S` is the concrete session type the caller stores. */
export interface Session<S> {
  readonly id: PeerId;
  /** per-client limit key (clientAddress.ts); undefined = not capped per address */
  readonly address?: string;
  greeted: boolean;
  name: string;
  room: Room<S> | null;
}

/** Why the server closed a connection; also the `reason` label of the close metric. */
export type CloseLabel =
  'version_mismatch' | 'rate_limited' | 'server_full' | 'address_limit' | 'shutdown';

export type Action<S> =
  /** a JSON control frame to one session (the sender or another member) */
  | { type: 'send'; to: S; text: string }
  /** forward the sender's signal frame, sender id already written into it */
  | { type: 'forward'; to: S }
  /** an error message to the sender; counted as a rejected message (perAddress: by a
   * per-client cap, counted separately too) */
  | { type: 'reject'; code: ErrorCode; message: string; perAddress?: true }
  | { type: 'close'; code: number; reason: string; label: CloseLabel };

export interface RelayContext<S extends Session<S>> {
  rooms: RoomRegistry<S>;
  iceServers: IceServer[];
  /** per-peer ICE servers (short-lived TURN credentials); replaces `iceServers` when set */
  iceServersFor?: (peer: PeerId) => IceServer[];
  /** the operator's peer connection deadlines, in every `joined` (absent = clients' defaults) */
  peerTimeouts?: PeerTimeouts | null;
  /** cluster mode: members of the room connected to other instances */
  remoteMembers?: (room: RoomId) => Member[];
  /** the protocol version this relay speaks (PROTOCOL_VERSION unless a test plays another, set
   * where the context is made): it greets only clients of that version, so it attests it for
   * each of its members in `joined` and `peer_joined` */
  version: number;
}

/** Fixed texts so the hot path never builds a string per rejected message. */
export const REJECT_TEXT: Record<ErrorCode, string> = {
  ERR_BAD_JSON: 'message is not valid JSON',
  ERR_BAD_MESSAGE: 'malformed message',
  ERR_UNKNOWN_TYPE: 'binary frames must be signal envelopes [0x01][12-byte peer id][payload]',
  ERR_TOO_BIG: 'message too big',
  ERR_VERSION: 'protocol version mismatch',
  ERR_HELLO_FIRST: 'send hello first',
  ERR_NOT_IN_ROOM: 'join a room first',
  ERR_ALREADY_IN_ROOM: 'a connection can be in one room only',
  ERR_ROOM_FULL: 'room is full',
  ERR_TOO_MANY_ROOMS: 'the server has too many rooms',
  ERR_NO_SUCH_PEER: 'no such peer in your room',
  ERR_RATE_LIMITED: 'too many messages; slow down',
  ERR_PEER_CONGESTED: 'signals to this peer arrive faster than it takes them; frames dropped',
};

/**
 * Same code as the server-wide room cap on purpose: clients already back off and retry on
 * ERR_TOO_MANY_ROOMS, which is the right reaction here too; the text tells the two apart.
 */
export const TOO_MANY_ROOMS_PER_ADDRESS =
  'your network address already holds too many rooms on this server';

/** Pre-encoded error frames for the fixed texts (no JSON work when rejecting a flood). */
export const FIXED_ERRORS = Object.fromEntries(
  ERROR_CODES.map((code) => [
    code,
    encodeServerControl({ type: 'error', code, message: REJECT_TEXT[code] }),
  ]),
) as Record<ErrorCode, string>;
const reject = <S>(code: ErrorCode, message = REJECT_TEXT[code]): Action<S> => ({
  type: 'reject',
  code,
  message,
});

const isIdByte = (c: number) =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 95;

/** Reads the 12-byte ASCII peer id after the tag with one string allocation, or null. */
export function envelopePeerId(f: Uint8Array): PeerId | null {
  for (let i = 1; i <= PEER_ID_LENGTH; i++) if (!isIdByte(f[i]!)) return null;
  // prettier-ignore
  return String.fromCharCode(f[1]!, f[2]!, f[3]!, f[4]!, f[5]!, f[6]!, f[7]!, f[8]!, f[9]!, f[10]!, f[11]!, f[12]!);
}

function routeTo<S extends Session<S>>(s: S, to: PeerId): S | ErrorCode {
  if (!s.greeted) return 'ERR_HELLO_FIRST';
  if (s.room === null) return 'ERR_NOT_IN_ROOM';
  const target = s.room.members.get(to);
  return target === undefined || target === s ? 'ERR_NO_SUCH_PEER' : target;
}

/**
 * Hot path for a binary frame: checks the envelope header and returns the target session in the
 * sender's room, or the error code to report. Never parses or copies the payload.
 */
export function routeSignalFrame<S extends Session<S>>(s: S, frame: Uint8Array): S | ErrorCode {
  if (!s.greeted) return 'ERR_HELLO_FIRST';
  if (frame.length === 0 || frame[0] !== SIGNAL_TAG) return 'ERR_UNKNOWN_TYPE';
  if (frame.length <= SIGNAL_HEADER_BYTES) return 'ERR_BAD_MESSAGE';
  if (frame.length - SIGNAL_HEADER_BYTES > SIGNAL_PAYLOAD_MAX_BYTES) return 'ERR_TOO_BIG';
  const to = envelopePeerId(frame);
  if (to === null) return 'ERR_BAD_MESSAGE';
  return routeTo(s, to);
}

/** A local member as the room hears of it, with the version this relay attests for it. */
function memberOf<S extends Session<S>>(ctx: RelayContext<S>, s: S): Member {
  return { id: s.id, name: s.name, version: ctx.version };
}

function leaveRoom<S extends Session<S>>(ctx: RelayContext<S>, s: S, out: Action<S>[]): void {
  const room = s.room;
  if (room === null) return;
  s.room = null;
  ctx.rooms.leave(room, s.id);
  if (room.members.size === 0) return;
  const text = encodeServerControl({ type: 'peer_left', peerId: s.id });
  for (const other of room.members.values()) out.push({ type: 'send', to: other, text });
}

/** Decides what a validated client message does. Mutates the session and the registry. */
export function handleMessage<S extends Session<S>>(
  ctx: RelayContext<S>,
  s: S,
  msg: ClientMessage,
): Action<S>[] {
  if (msg.type !== 'hello' && !s.greeted) return [reject('ERR_HELLO_FIRST')];
  switch (msg.type) {
    case 'hello': {
      if (s.greeted) return [reject('ERR_BAD_MESSAGE', 'hello was already received')];
      const version = ctx.version;
      if (msg.version !== version) {
        const reason = `protocol version mismatch: client ${msg.version}, server ${version}`;
        return [
          reject('ERR_VERSION', reason),
          { type: 'close', code: CLOSE.versionMismatch, reason, label: 'version_mismatch' },
        ];
      }
      s.greeted = true;
      const text = encodeServerControl({
        type: 'welcome',
        version,
        peerId: s.id,
      });
      return [{ type: 'send', to: s, text }];
    }
    case 'join': {
      if (s.room !== null) return [reject('ERR_ALREADY_IN_ROOM')];
      s.name = msg.name;
      const joined = ctx.rooms.join(msg.room, s);
      if (!joined.ok && 'perAddress' in joined) {
        const message = TOO_MANY_ROOMS_PER_ADDRESS;
        return [{ type: 'reject', code: joined.code, message, perAddress: true }];
      }
      if (!joined.ok) return [reject(joined.code)];
      const room = joined.room;
      s.room = room;
      const members = ctx.remoteMembers?.(room.id) ?? [];
      for (const m of room.members.values()) if (m !== s) members.push(memberOf(ctx, m));
      const out: Action<S>[] = [
        {
          type: 'send',
          to: s,
          text: encodeServerControl({
            type: 'joined',
            room: room.id,
            peerId: s.id,
            members,
            iceServers: ctx.iceServersFor?.(s.id) ?? ctx.iceServers,
            ...(ctx.peerTimeouts ? { peerTimeouts: ctx.peerTimeouts } : {}),
          }),
        },
      ];
      const text = encodeServerControl({ type: 'peer_joined', peer: memberOf(ctx, s) });
      for (const m of room.members.values()) if (m !== s) out.push({ type: 'send', to: m, text });
      return out;
    }
    case 'leave': {
      if (s.room === null) return [reject('ERR_NOT_IN_ROOM')];
      const out: Action<S>[] = [];
      leaveRoom(ctx, s, out);
      return out;
    }
    case 'ping':
      return [{ type: 'send', to: s, text: encodeServerControl({ type: 'pong', t: msg.t }) }];
    case 'signal': {
      const target = routeTo(s, msg.to);
      return typeof target === 'string' ? [reject(target)] : [{ type: 'forward', to: target }];
    }
    default:
      return assertNever(msg);
  }
}

/** The connection is gone: tell the rest of its room. */
export function handleDisconnect<S extends Session<S>>(ctx: RelayContext<S>, s: S): Action<S>[] {
  const out: Action<S>[] = [];
  leaveRoom(ctx, s, out);
  return out;
}
