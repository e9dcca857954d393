/**
 * Reference relay on the `ws` package: the straightforward implementation of the Peerboard
 * signaling protocol that the uWebSockets.js server is compared with in `pnpm bench`.
 *
 * It is deliberately plain but not sabotaged: every frame goes through the shared validator
 * (`parseClientMessage`), signals are routed within the sender's room only, the sender id is
 * written over the envelope header and the received bytes are forwarded without a copy. What it
 * leaves out compared with the real server (rate limiting, origin checks, metrics, logging)
 * would only add work per message, so the comparison favours this reference, if anything.
 *
 * Runs as its own process: `node --import tsx bench/reference-relay.ts`; env PORT (0 =
 * ephemeral), HOST, MAX_ROOMS, MAX_PEERS_PER_ROOM like the real server; prints
 * `{"msg":"listening","port":N}` on stdout like the real server.
 */
import { randomBytes } from 'node:crypto';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import {
  CLOSE,
  DEFAULT_LIMITS,
  PROTOCOL_VERSION,
  SIGNAL_FRAME_MAX_BYTES,
  assertNever,
  encodeServerControl,
  parseClientMessage,
  writePeerId,
  type ErrorCode,
  type ServerMessage,
} from '@peerboard/protocol';

interface Peer {
  readonly ws: WebSocket;
  id: string | null;
  name: string;
  room: Map<string, Peer> | null;
  roomId: string;
}

const envInt = (name: string, fallback: number): number => {
  const n = Number(process.env[name]);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};
const MAX_ROOMS = envInt('MAX_ROOMS', DEFAULT_LIMITS.maxRooms);
const MAX_PEERS_PER_ROOM = envInt('MAX_PEERS_PER_ROOM', DEFAULT_LIMITS.maxPeersPerRoom);

const rooms = new Map<string, Map<string, Peer>>();

function sendControl(peer: Peer, msg: Exclude<ServerMessage, { type: 'signal' }>): void {
  peer.ws.send(encodeServerControl(msg));
}

function sendError(peer: Peer, code: ErrorCode, message: string): void {
  sendControl(peer, { type: 'error', code, message });
}

function leaveRoom(peer: Peer): void {
  const room = peer.room;
  if (room === null || peer.id === null) return;
  room.delete(peer.id);
  peer.room = null;
  if (room.size === 0) rooms.delete(peer.roomId);
  for (const other of room.values()) sendControl(other, { type: 'peer_left', peerId: peer.id });
}

function onMessage(peer: Peer, data: RawData, isBinary: boolean): void {
  // binaryType is 'nodebuffer', so `data` is one Buffer (ws concatenates fragments).
  const bytes = data as Buffer;
  const parsed = parseClientMessage(isBinary ? { binary: bytes } : { text: bytes.toString() });
  if (!parsed.ok) return sendError(peer, parsed.code, parsed.message);
  const msg = parsed.value;
  if (msg.type !== 'hello' && peer.id === null)
    return sendError(peer, 'ERR_HELLO_FIRST', 'send hello first');
  switch (msg.type) {
    case 'hello': {
      if (msg.version !== PROTOCOL_VERSION) {
        peer.ws.close(CLOSE.versionMismatch, `protocol version ${PROTOCOL_VERSION} required`);
        return;
      }
      peer.id ??= randomBytes(9).toString('base64url');
      return sendControl(peer, { type: 'welcome', version: PROTOCOL_VERSION, peerId: peer.id });
    }
    case 'join': {
      if (peer.room !== null) return sendError(peer, 'ERR_ALREADY_IN_ROOM', 'leave first');
      let room = rooms.get(msg.room);
      if (room === undefined) {
        if (rooms.size >= MAX_ROOMS) return sendError(peer, 'ERR_TOO_MANY_ROOMS', 'too many rooms');
        room = new Map();
        rooms.set(msg.room, room);
      }
      if (room.size >= MAX_PEERS_PER_ROOM) return sendError(peer, 'ERR_ROOM_FULL', 'room is full');
      const id = peer.id!;
      const members = [...room.values()].map((p) => ({ id: p.id!, name: p.name }));
      for (const other of room.values())
        sendControl(other, { type: 'peer_joined', peer: { id, name: msg.name } });
      room.set(id, peer);
      peer.room = room;
      peer.roomId = msg.room;
      peer.name = msg.name;
      return sendControl(peer, {
        type: 'joined',
        room: msg.room,
        peerId: id,
        members,
        iceServers: [],
      });
    }
    case 'leave':
      return leaveRoom(peer);
    case 'ping':
      return sendControl(peer, { type: 'pong', t: msg.t });
    case 'signal': {
      if (peer.room === null) return sendError(peer, 'ERR_NOT_IN_ROOM', 'join a room first');
      const target = peer.room.get(msg.to);
      if (target === undefined) return sendError(peer, 'ERR_NO_SUCH_PEER', 'no such peer here');
      // The sender id replaces the recipient id in the header: no spoofing, no copy.
      writePeerId(bytes, 1, peer.id!);
      if (target.ws.bufferedAmount > DEFAULT_LIMITS.maxBackpressureBytes) {
        target.ws.terminate(); // slow consumer
        return;
      }
      target.ws.send(bytes);
      return;
    }
    default:
      return assertNever(msg);
  }
}

const wss = new WebSocketServer({
  host: process.env.HOST ?? '127.0.0.1',
  port: Number(process.env.PORT ?? 0),
  maxPayload: SIGNAL_FRAME_MAX_BYTES,
  perMessageDeflate: false,
});

wss.on('connection', (ws) => {
  const peer: Peer = { ws, id: null, name: '', room: null, roomId: '' };
  ws.on('message', (data, isBinary) => onMessage(peer, data, isBinary));
  ws.on('close', () => leaveRoom(peer));
  ws.on('error', () => ws.terminate());
});

wss.on('listening', () => {
  const address = wss.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  process.stdout.write(JSON.stringify({ msg: 'listening', port, impl: 'ws' }) + '\n');
});

function shutdown(): void {
  for (const client of wss.clients) client.close(CLOSE.goingAway, 'server shutting down');
  wss.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
