/**
 * WebSocket client of the signaling relay: hello/version handshake, join, typed events,
 * reconnect with backoff + jitter (re-joining the room with a new server-assigned peer id), an
 * app-level ping for liveness, and an idempotent destroy(). Every server message is validated
 * with parseServerMessage; an invalid one is logged and ignored.
 *
 * The client pipelines hello + join on open (the relay processes a socket's messages in order),
 * which saves a round trip on every (re)connect.
 */
import {
  CLOSE,
  PROTOCOL_VERSION,
  SIGNALING_DEAD_AFTER_MS,
  SIGNALING_PING_INTERVAL_MS,
  SIGNALING_RETRY_BASE_MS,
  SIGNALING_RETRY_MAX_MS,
  assertNever,
  encodeClientMessage,
  parseServerMessage,
  type ClientMessage,
  type ErrorCode,
  type IceServer,
  type PeerTimeouts,
  type Member,
  type PeerId,
  type ServerFrame,
} from '@peerboard/protocol';
import { backoffDelay } from '../backoff';
import { makeEmitter } from '../emitter';
import type { SignalingStatus, Unsubscribe } from '../types';

/** The subset of the browser WebSocket API we use; the `ws` package satisfies it too. */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
}
export type WebSocketCtor = new (url: string) => WebSocketLike;

export interface SignalingOptions {
  url: string;
  roomId: string;
  name: string;
  /** Node: pass the `ws` package's WebSocket. Browsers use the global one. */
  WebSocket?: WebSocketCtor;
  retryBaseMs?: number;
  retryMaxMs?: number;
  pingIntervalMs?: number;
  deadAfterMs?: number;
  /** the protocol version this page's relay `hello` names (PROTOCOL_VERSION); a test plays an
   * older or newer page, on a relay of that version, with it */
  protocolVersion?: number;
  log?: (msg: string, data?: unknown) => void;
}

export type SignalingEvents = {
  status: { status: SignalingStatus; detail: string | null };
  welcome: { peerId: PeerId; version: number };
  joined: {
    room: string;
    peerId: PeerId;
    members: Member[];
    iceServers: IceServer[];
    peerTimeouts?: PeerTimeouts;
  };
  peer_joined: Member;
  peer_left: { peerId: PeerId };
  /**
   * `fresh: false` = sealed before the sender knew this socket's session (protected rooms,
   * secret/signalCipher.ts): could be a replay, so only a hello is taken from it
   */
  signal: { from: PeerId; payload: Uint8Array; fresh?: boolean };
  /** an `error` message from the relay (the client already reacted to the fatal ones) */
  server_error: { code: ErrorCode; message: string };
};

export interface SignalingClient {
  status(): SignalingStatus;
  detail(): string | null;
  /** our peer id on the current socket (null while not joined) */
  peerId(): PeerId | null;
  members(): Member[];
  iceServers(): IceServer[];
  /** the relay operator's peer connection deadlines from the last `joined` ({} = none set) */
  peerTimeouts(): PeerTimeouts;
  /** round-trip time of the last app-level ping, ms */
  latencyMs(): number | null;
  on<K extends keyof SignalingEvents>(
    event: K,
    fn: (payload: SignalingEvents[K]) => void,
  ): Unsubscribe;
  /** false when not joined (the caller decides whether to retry later) */
  sendSignal(to: PeerId, payload: Uint8Array): boolean;
  destroy(): void;
}

const OPEN = 1;

function toFrame(data: unknown): ServerFrame | null {
  if (typeof data === 'string') return { text: data };
  if (data instanceof ArrayBuffer) return { binary: new Uint8Array(data) };
  if (ArrayBuffer.isView(data))
    return { binary: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  return null;
}

export function makeSignalingClient(opts: SignalingOptions): SignalingClient {
  const maybeWS = opts.WebSocket ?? (globalThis as { WebSocket?: WebSocketCtor }).WebSocket;
  if (!maybeWS) throw new Error('no WebSocket implementation: pass options.WebSocket');
  const WS: WebSocketCtor = maybeWS;
  const retryBase = opts.retryBaseMs ?? SIGNALING_RETRY_BASE_MS;
  const retryMax = opts.retryMaxMs ?? SIGNALING_RETRY_MAX_MS;
  const pingEvery = opts.pingIntervalMs ?? SIGNALING_PING_INTERVAL_MS;
  const deadAfter = opts.deadAfterMs ?? SIGNALING_DEAD_AFTER_MS;
  const version = opts.protocolVersion ?? PROTOCOL_VERSION;
  const log = opts.log ?? ((msg, data) => console.warn(`[signaling] ${msg}`, data ?? ''));

  const events = makeEmitter<SignalingEvents>();
  let status: SignalingStatus = 'connecting';
  let detail: string | null = null;
  let socket: WebSocketLike | null = null;
  let selfId: PeerId | null = null;
  let members: Member[] = [];
  let iceServers: IceServer[] = [];
  let peerTimeouts: PeerTimeouts = {};
  let latency: number | null = null;
  let attempt = 0;
  let lastHeard = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let pingTimer: ReturnType<typeof setInterval> | undefined;
  let fatal = false; // destroyed or version mismatch: never reconnect

  const setStatus = (next: SignalingStatus, why: string | null) => {
    if (next === status && why === detail) return;
    status = next;
    detail = why;
    events.emit('status', { status, detail });
  };

  const send = (msg: ClientMessage) => {
    if (socket?.readyState !== OPEN) return false;
    try {
      socket.send(encodeClientMessage(msg));
      return true;
    } catch (error) {
      log('send failed', error);
      return false;
    }
  };

  /** Detaches and closes the current socket; the caller decides what happens next. */
  const dropSocket = (code?: number, reason?: string) => {
    clearInterval(pingTimer);
    pingTimer = undefined;
    const s = socket;
    socket = null;
    selfId = null;
    members = [];
    if (!s) return;
    s.onopen = s.onmessage = s.onclose = null;
    // Node's `ws` reports closing a still-connecting socket as an 'error' event, which would be
    // an uncaught exception without a listener: a dropped socket's late errors are nobody's.
    s.onerror = () => {};
    try {
      s.close(code, reason);
    } catch {
      // already closing
    }
  };

  const scheduleReconnect = (why: string) => {
    if (fatal) return;
    const delay = backoffDelay(attempt++, retryBase, retryMax);
    setStatus('reconnecting', `${why}; retrying in ${Math.ceil(delay / 1000)} s`);
    clearTimeout(retryTimer);
    retryTimer = setTimeout(connect, delay);
  };

  const versionMismatch = (why: string) => {
    fatal = true;
    dropSocket(1000, 'version mismatch');
    setStatus('version_mismatch', why);
  };

  const onMessage = (data: unknown) => {
    lastHeard = Date.now();
    const frame = toFrame(data);
    const parsed = frame ? parseServerMessage(frame) : null;
    if (!parsed?.ok) {
      log('invalid server message dropped', parsed ? parsed.message : typeof data);
      return;
    }
    const msg = parsed.value;
    switch (msg.type) {
      case 'welcome':
        if (msg.version !== version)
          return versionMismatch(
            `the server speaks protocol ${msg.version}, this page ${version}: reload`,
          );
        events.emit('welcome', { peerId: msg.peerId, version: msg.version });
        return;
      case 'joined':
        selfId = msg.peerId;
        members = msg.members;
        iceServers = msg.iceServers;
        peerTimeouts = msg.peerTimeouts ?? {};
        attempt = 0;
        setStatus('open', null);
        events.emit('joined', msg);
        return;
      case 'peer_joined':
        members = [...members.filter((m) => m.id !== msg.peer.id), msg.peer];
        events.emit('peer_joined', msg.peer);
        return;
      case 'peer_left':
        members = members.filter((m) => m.id !== msg.peerId);
        events.emit('peer_left', { peerId: msg.peerId });
        return;
      case 'pong':
        latency = Math.max(0, Date.now() - msg.t);
        return;
      case 'signal':
        events.emit('signal', { from: msg.from, payload: msg.payload });
        return;
      case 'error':
        events.emit('server_error', { code: msg.code, message: msg.message });
        if (msg.code === 'ERR_VERSION') return versionMismatch(msg.message);
        if (msg.code === 'ERR_ROOM_FULL' || msg.code === 'ERR_TOO_MANY_ROOMS') {
          // Not joined: try again later rather than sit on a useless socket.
          attempt = Math.max(attempt, 5);
          dropSocket(1000, 'room unavailable');
          scheduleReconnect(msg.code === 'ERR_ROOM_FULL' ? 'the room is full' : 'server busy');
        } else if (msg.code !== 'ERR_NO_SUCH_PEER') {
          // ERR_NO_SUCH_PEER is routine: a signal raced with that peer leaving.
          log(`server error ${msg.code}`, msg.message);
        }
        return;
      default:
        return assertNever(msg);
    }
  };

  function connect() {
    retryTimer = undefined;
    if (fatal) return;
    let s: WebSocketLike;
    try {
      s = new WS(opts.url);
    } catch (error) {
      log('cannot open socket', error);
      scheduleReconnect('cannot open the signaling socket');
      return;
    }
    socket = s;
    s.binaryType = 'arraybuffer';
    s.onopen = () => {
      lastHeard = Date.now();
      send({ type: 'hello', version });
      send({ type: 'join', room: opts.roomId, name: opts.name });
      pingTimer = setInterval(() => {
        if (Date.now() - lastHeard > deadAfter) {
          dropSocket(4000, 'no answer');
          scheduleReconnect('the signaling server stopped answering');
          return;
        }
        send({ type: 'ping', t: Date.now() });
      }, pingEvery);
    };
    s.onmessage = (ev) => onMessage(ev.data);
    s.onerror = () => {
      // a close event always follows; handled there
    };
    s.onclose = (ev) => {
      const wasJoined = selfId !== null;
      dropSocket();
      if (ev.code === CLOSE.versionMismatch)
        return versionMismatch(ev.reason || 'protocol version mismatch: reload the page');
      scheduleReconnect(
        wasJoined ? 'lost the signaling server' : 'cannot reach the signaling server',
      );
    };
  }

  connect();

  return {
    status: () => status,
    detail: () => detail,
    peerId: () => selfId,
    members: () => members,
    iceServers: () => iceServers,
    peerTimeouts: () => peerTimeouts,
    latencyMs: () => latency,
    on: (event, fn) => events.on(event, fn),
    sendSignal: (to, payload) => selfId !== null && send({ type: 'signal', to, payload }),
    destroy() {
      if (status === 'closed') return;
      fatal = true;
      clearTimeout(retryTimer);
      if (socket?.readyState === OPEN) send({ type: 'leave' });
      dropSocket(1000, 'bye');
      setStatus('closed', null);
      events.clear();
    },
  };
}
