/**
 * makeRoom(options): the composition root of the client core (signaling + mesh + wire) and the
 * only object the UI talks to.
 *
 * Feature plug-in seam (whiteboard sync, chat, files, call are separate modules that take a Room):
 *
 *   const off = [
 *     room.onFrame('sync', (frame, from) => ...),          // validated frames, by kind
 *     room.on('peer_open', ({ id }) => room.send(id, { type: 'sync', data: step1 })),
 *     room.on('peer_close', ({ id, reason }) => ...),        // reason: 'bye' | 'left' | 'lost' | 'version' | 'misbehaved'
 *   ];
 *   room.broadcast({ type: 'awareness', data });            // control priority to every open peer
 *   await room.send(id, { type: 'file_data', ... }, 'bulk'); // paced by backpressure
 *   // teardown: off.forEach((f) => f())
 *
 * - Peer ids here are stable client ids (PeerInfo.id), not relay peer ids: a peer keeps its id
 *   across signaling outages, so feature state keyed by it survives a relay restart.
 * - `peer_open` fires for every new data channel (also after a link was re-created): features
 *   that need a handshake (Yjs sync step 1, resuming a transfer) start it there. Frames sent to a
 *   peer that is not open are dropped (send returns false / the bulk promise rejects). No frame of
 *   a link is delivered before that link's peer_open, so a reply to it is never dropped.
 * - Frames arrive validated by shared/wire (kind + shape); features validate their own payloads
 *   (Yjs updates inside try/catch, file control fields) since a peer may be malicious. A handler
 *   that throws is logged; the link stays up.
 * - Leaving: destroy() says goodbye (a `bye` on every open link, then `leave` to the relay), all
 *   synchronous, so it is what a page calls on `pagehide`. A peer that said bye closes with
 *   reason 'bye' and is not re-dialled; one the relay says left and whose link went silent closes
 *   with 'left'; one whose link hello names another protocol version closes with 'version' on
 *   both sides (with its version and name: the UI says which page is out of date) and is not
 *   re-dialled either; one whose link hello contradicts the version its relay attests for it
 *   closes with 'misbehaved' (no version is reported) and is not re-dialled; any other closed
 *   link is 'lost' and comes back by itself if it can.
 * - Calls: room.media.* adds/replaces tracks on a peer's existing RTCPeerConnection; simple-peer
 *   renegotiates, and once the data channel is open the renegotiation signals travel over it, so
 *   calls work while the relay is away. A re-created link has no tracks: re-add on `peer_open`.
 */
import type { IceServer } from '@peerboard/protocol';
import type { WireFrame } from '@peerboard/protocol/wire';
import { makeEmitter } from './emitter';
import { makeIdentity } from './identity';
import { makeMesh } from './peers/mesh';
import type { EncodingCaps, LinkMedia } from './peers/linkMedia';
import type { PeerClose, PeerCloseReason } from './peers/remote';
import { makeSealedSignaling, makeSignalCipher } from './secret';
import { makeSignalingClient, type WebSocketCtor } from './signaling/signalingClient';
import type { RoomOptions, RoomSnapshot, SendPriority, Unsubscribe } from './types';

/** Frame kinds features send and receive. ping/pong/hello/signal/fragment belong to the core. */
export type FeatureFrameType =
  'sync' | 'awareness' | 'chat' | 'file_control' | 'file_data' | 'call_control';
export type FeatureFrame = Extract<WireFrame, { type: FeatureFrameType }>;
/** Receivable kinds: feature frames plus `pong` (benchmarks read its timestamp). */
export type ReceivableFrameType = FeatureFrameType | 'pong';
export type { PeerClose, PeerCloseReason };
export type FrameOf<K extends WireFrame['type']> = Extract<WireFrame, { type: K }>;

export type RoomEvents = {
  change: RoomSnapshot;
  peer_open: { id: string };
  peer_close: PeerClose;
  track: { from: string; track: MediaStreamTrack; stream: MediaStream };
};

export interface RoomMedia {
  addStream(peerId: string, stream: MediaStream): boolean;
  removeStream(peerId: string, stream: MediaStream): boolean;
  addTrack(peerId: string, track: MediaStreamTrack, stream: MediaStream): boolean;
  removeTrack(peerId: string, track: MediaStreamTrack, stream: MediaStream): boolean;
  replaceTrack(
    peerId: string,
    oldTrack: MediaStreamTrack,
    /** null pauses the sender without renegotiation (its track key stays for a later replace) */
    newTrack: MediaStreamTrack | null,
    stream: MediaStream,
  ): boolean;
  /** the peer connection's stats (call quality); null when the peer is not open */
  getStats(peerId: string): Promise<RTCStatsReport | null>;
  /** cap the sender of `track` on this peer's connection (LinkMedia.setEncoding) */
  setEncoding(peerId: string, track: MediaStreamTrack, limits: EncodingCaps): Promise<boolean>;
}

export interface RoomDiagnostics {
  linksCreated: number;
  links: {
    id: string;
    gen: number;
    open: boolean;
    initiator: boolean;
    droppedFrames: number;
    /** file data goes on the separate bulk channel (both ends have it) */
    bulkChannel: boolean;
  }[];
  signalingLatencyMs: number | null;
}

export interface Room {
  readonly clientId: string;
  readonly roomId: string;
  snapshot(): RoomSnapshot;
  on<K extends keyof RoomEvents>(event: K, fn: (payload: RoomEvents[K]) => void): Unsubscribe;
  onFrame<K extends ReceivableFrameType>(
    kind: K,
    fn: (frame: FrameOf<K>, from: string) => void,
  ): Unsubscribe;
  /** control priority (default): queued or sent at once; false if the peer is not open */
  send(peerId: string, frame: FeatureFrame, priority?: 'control'): boolean;
  /** bulk priority: resolves once the frame is in the channel; rejects if the peer closes */
  send(peerId: string, frame: FeatureFrame, priority: 'bulk'): Promise<void>;
  send(peerId: string, frame: FeatureFrame, priority: SendPriority): boolean | Promise<void>;
  /** control priority to every open peer; returns how many peers it was queued for */
  broadcast(frame: FeatureFrame): number;
  /** ids of peers whose data channel is open */
  openPeers(): string[];
  /** app-level ping over the data channel (control priority); resolves with the RTT in ms */
  ping(peerId: string, timeoutMs?: number): Promise<number>;
  /** bytes waiting in a peer's send queue (not yet in the channel), for transfer pacing/UI */
  queuedBytes(peerId: string): { control: number; bulk: number } | null;
  media: RoomMedia;
  diagnostics(): RoomDiagnostics;
  /** a new display name for this peer: the others' People lists show it at once */
  setName(name: string): void;
  destroy(): void;
}

function defaultUrl(): string {
  const loc = (globalThis as { location?: Location }).location;
  if (!loc) throw new Error('RoomOptions.signalingUrl is required outside a browser');
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/ws`;
}

export function makeRoom(options: RoomOptions): Room {
  const log =
    options.log ??
    ((msg: string, data?: unknown) => console.warn(`[peerboard] ${msg}`, data ?? ''));
  const t = options.timing ?? {};
  const identity = options.identity ?? makeIdentity();
  const clientId = identity.clientId;
  const events = makeEmitter<RoomEvents>();
  const frameEvents = makeEmitter<{
    [K in ReceivableFrameType]: { frame: FrameOf<K>; from: string };
  }>((event, error) => log(`"${event}" frame handler threw`, error));
  let destroyed = false;
  let changeQueued = false;
  /** `${peerId}:${seq}` -> resolver; room pings use seq >= 2^31, the link's keepalive below */
  const pings = new Map<string, (rtt: number) => void>();
  let pingSeq = 0;

  const plainSignaling = makeSignalingClient({
    url: options.signalingUrl ?? defaultUrl(),
    roomId: options.roomId,
    // Protected room: the relay gets no name (it shows "Guest"); the real one travels sealed in
    // the mesh's hello and over the data channel.
    name: options.secret === undefined ? options.name : '',
    WebSocket: options.WebSocket as WebSocketCtor | undefined,
    retryBaseMs: t.signalingRetryBaseMs,
    retryMaxMs: t.signalingRetryMaxMs,
    pingIntervalMs: t.signalingPingMs,
    deadAfterMs: t.signalingDeadAfterMs,
    log: (msg, data) => log(`signaling: ${msg}`, data),
  });
  // Protected room: the mesh gets plaintext, the relay only sealed payloads.
  const signaling =
    options.secret === undefined
      ? plainSignaling
      : makeSealedSignaling(plainSignaling, makeSignalCipher(options.secret, options.roomId), log);
  const mesh = makeMesh({
    identity,
    roomId: options.roomId,
    name: options.name,
    signaling,
    wrtc: options.wrtc,
    iceServers: options.iceServers as IceServer[] | undefined,
    iceTransportPolicy: options.iceTransportPolicy,
    bulkChannel: options.bulkChannel,
    yieldBulkReceive: options.yieldBulkReceive,
    retryBaseMs: t.peerRetryBaseMs,
    retryMaxMs: t.peerRetryMaxMs,
    connectTimeoutMs: t.peerConnectTimeoutMs,
    directTimeoutMs: t.peerDirectTimeoutMs,
    idleTimeoutMs: t.peerIdleTimeoutMs,
    statsIntervalMs: t.peerStatsIntervalMs,
    peerLeftGraceMs: t.peerLeftGraceMs,
    log: (msg, data) => log(`mesh: ${msg}`, data),
  });

  let selfName = options.name;
  let listedAtJoin: number | null = null;
  const snapshot = (): RoomSnapshot => ({
    roomId: options.roomId,
    selfId: clientId,
    signalingId: signaling.peerId(),
    selfName,
    signaling: signaling.status(),
    signalingDetail: signaling.detail(),
    listedAtJoin,
    peers: mesh.peers(),
  });

  // Many low-level changes arrive in bursts (ICE, stats, reconnect): coalesce into one event.
  const changed = () => {
    if (changeQueued || destroyed) return;
    changeQueued = true;
    queueMicrotask(() => {
      changeQueued = false;
      if (!destroyed) events.emit('change', snapshot());
    });
  };

  signaling.on('status', changed);
  signaling.on('joined', ({ members }) => {
    listedAtJoin = members.length;
    changed();
  });
  mesh.on('change', changed);
  mesh.on('peer_open', (p) => events.emit('peer_open', p));
  mesh.on('peer_close', (p) => events.emit('peer_close', p));
  mesh.on('track', (p) => events.emit('track', p));
  mesh.on('frame', ({ from, frame }) => {
    switch (frame.type) {
      case 'pong':
        pings.get(`${from}:${frame.seq}`)?.(Date.now() - frame.t);
        return frameEvents.emit('pong', { frame, from });
      case 'sync':
      case 'awareness':
      case 'chat':
      case 'file_control':
      case 'file_data':
      case 'call_control':
        return frameEvents.emit(frame.type, { frame, from } as never);
      default:
        return log(`unexpected ${frame.type} frame from ${from}`);
    }
  });

  const openLink = (peerId: string) => {
    const link = mesh.link(peerId);
    return link?.isOpen() ? link : null;
  };
  const withMedia = (peerId: string, fn: (media: LinkMedia) => void) => {
    const link = openLink(peerId);
    if (!link) return false;
    try {
      fn(link.media);
      return true;
    } catch (error) {
      log(`media operation on ${peerId} failed`, error);
      return false;
    }
  };

  function send(peerId: string, frame: FeatureFrame, priority?: 'control'): boolean;
  function send(peerId: string, frame: FeatureFrame, priority: 'bulk'): Promise<void>;
  function send(
    peerId: string,
    frame: FeatureFrame,
    priority: SendPriority,
  ): boolean | Promise<void>;
  function send(peerId: string, frame: FeatureFrame, priority: SendPriority = 'control') {
    const link = openLink(peerId);
    if (priority === 'bulk')
      return link ? link.sendBulk(frame) : Promise.reject(new Error(`peer ${peerId} is not open`));
    return link ? link.sendControl(frame) : false;
  }

  return {
    clientId,
    roomId: options.roomId,
    snapshot,
    on: (event, fn) => events.on(event, fn),
    onFrame: (kind, fn) => frameEvents.on(kind, ({ frame, from }) => fn(frame as never, from)),
    send,
    broadcast: (frame) => mesh.peers().filter((p) => send(p.id, frame)).length,
    openPeers: () =>
      mesh
        .peers()
        .filter((p) => openLink(p.id))
        .map((p) => p.id),
    ping(peerId, timeoutMs = 10_000) {
      const link = openLink(peerId);
      pingSeq = (pingSeq + 1) & 0x7fffffff;
      const seq = (0x80000000 | pingSeq) >>> 0;
      const key = `${peerId}:${seq}`;
      if (!link || !link.sendControl({ type: 'ping', seq, t: Date.now() }))
        return Promise.reject(new Error(`peer ${peerId} is not open`));
      return new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => {
          pings.delete(key);
          reject(new Error('ping timed out'));
        }, timeoutMs);
        pings.set(key, (rtt) => {
          clearTimeout(timer);
          pings.delete(key);
          resolve(rtt);
        });
      });
    },
    queuedBytes(peerId) {
      const q = openLink(peerId)?.queue();
      return q ? { control: q.controlQueuedBytes(), bulk: q.bulkQueuedBytes() } : null;
    },
    media: {
      addStream: (id, stream) => withMedia(id, (m) => m.addStream(stream)),
      removeStream: (id, stream) => withMedia(id, (m) => m.removeStream(stream)),
      addTrack: (id, track, stream) => withMedia(id, (m) => m.addTrack(track, stream)),
      removeTrack: (id, track, stream) => withMedia(id, (m) => m.removeTrack(track, stream)),
      replaceTrack: (id, a, b, stream) => withMedia(id, (m) => m.replaceTrack(a, b, stream)),
      getStats: async (id) => (await openLink(id)?.media.getStats()) ?? null,
      setEncoding: async (id, track, limits) =>
        (await openLink(id)?.media.setEncoding(track, limits)) ?? false,
    },
    diagnostics: () => ({
      linksCreated: mesh.linksCreated(),
      links: mesh.peers().flatMap((p) => {
        const l = mesh.link(p.id);
        return l
          ? [
              {
                id: p.id,
                gen: l.gen,
                open: l.isOpen(),
                initiator: l.initiator,
                droppedFrames: l.droppedFrames(),
                bulkChannel: l.bulkChannelInUse(),
              },
            ]
          : [];
      }),
      signalingLatencyMs: signaling.latencyMs(),
    }),
    setName(name) {
      selfName = name;
      mesh.setName(name);
      changed();
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      mesh.destroy(); // bye on every open link first
      signaling.destroy(); // then `leave`: the relay tells the others at once
      events.clear();
      frameEvents.clear();
      pings.clear();
    },
  };
}
