/**
 * PeerboardProvider: y-webrtc's WebrtcProvider shape (constructor, events, connect/disconnect/
 * destroy, `connected`, `synced`, `awareness`) on the Peerboard engine, so an app switches by
 * changing its import.
 *
 * Underneath, one core Room (relay signaling, full mesh of data channels, fragmentation,
 * control-before-bulk scheduling, sealed signaling for a secret, TURN credentials from the relay,
 * reconnects) carries core's collab provider (y-protocols sync + awareness with ownership and
 * size checks). Nothing here is board-specific: any Y.Doc syncs. A second collab provider runs on
 * a BroadcastChannel between tabs of one origin, so those sync without WebRTC.
 *
 * Both collab providers share one update tap (DocUpdates): a local edit is sent on both, an update
 * from a peer or a tab is applied as remote and not forwarded (every author reaches everyone
 * directly, the mesh being full and the channel shared), and anti-entropy heals what a dying link
 * lost.
 */
import { makeIdentity, makeRoom, type Identity, type Room, type RoomTiming } from '@peerboard/core';
import {
  checkAnyUpdate,
  makeCollabProvider,
  makeDocUpdates,
  makeRoomTransport,
  type CollabErrorReporter,
  type CollabProvider,
  type DocUpdates,
} from '@peerboard/core/collab';
import type { IceServer } from '@peerboard/protocol';
import { ObservableV2 } from 'lib0/observable';
import { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { makeBroadcastTransport, type BroadcastTransport } from './broadcast';
import { planTarget, resolveTarget, type RoomTarget, type TargetOptions } from './roomTarget';

/** The simple-peer options y-webrtc forwards; Peerboard reads the ICE settings from them. */
export interface PeerOpts {
  config?: { iceServers?: IceServer[]; iceTransportPolicy?: 'all' | 'relay' };
  wrtc?: unknown;
  [other: string]: unknown;
}

export interface PeerboardProviderOptions extends TargetOptions {
  /** default: a new Awareness on the doc (destroyed with the provider) */
  awareness?: Awareness;
  /** y-webrtc's simple-peer options: `config.iceServers`, `config.iceTransportPolicy`, `wrtc` */
  peerOpts?: PeerOpts;
  /** accepted for y-webrtc compatibility and ignored: the room is a full mesh (relay cap 16) */
  maxConns?: number;
  /** accepted for y-webrtc compatibility and ignored: tabs are also mesh peers */
  filterBcConns?: boolean;
  /** Node: the `ws` package's WebSocket; browsers use their own */
  WebSocket?: unknown;
  /** Node: a WebRTC implementation such as @roamhq/wrtc */
  wrtc?: unknown;
  /** the name the relay and the peers see (open rooms only; protected rooms send none) */
  name?: string;
  /** sync tabs of this origin over BroadcastChannel; default: when BroadcastChannel exists */
  broadcastChannel?: boolean;
  /** join at once (y-webrtc always does); default true */
  connect?: boolean;
  /** anti-entropy period over the mesh in ms (0 = off); default core's 30 s */
  resyncIntervalMs?: number;
  /** engine log (dropped frames, link events); default console.warn with a prefix */
  log?: (msg: string, data?: unknown) => void;
  /** retry and timeout overrides (tests) */
  timing?: Partial<RoomTiming>;
}

export interface PeersEvent {
  added: string[];
  removed: string[];
  /** client ids of peers with an open data channel */
  webrtcPeers: string[];
  /** ids of other tabs on the BroadcastChannel */
  bcPeers: string[];
}

export type PeerboardProviderEvents = {
  status: (event: { connected: boolean }) => void;
  synced: (event: { synced: boolean }) => void;
  peers: (event: PeersEvent) => void;
};

/** What one connect() builds and disconnect() tears down. */
interface Connection {
  room: Room;
  mesh: CollabProvider;
  tabs: { transport: BroadcastTransport; sync: CollabProvider } | null;
  offs: (() => void)[];
}

export class PeerboardProvider extends ObservableV2<PeerboardProviderEvents> {
  readonly roomName: string;
  readonly doc: Y.Doc;
  readonly awareness: Awareness;
  /** true between connect() and disconnect() (y-webrtc's flag of the same name) */
  shouldConnect = false;
  private readonly options: PeerboardProviderOptions;
  private readonly ownAwareness: boolean;
  private readonly identity: Identity;
  private readonly updates: DocUpdates;
  private target: RoomTarget | null = null;
  private conn: Connection | null = null;
  private isConnected = false;
  private isSynced = false;
  private destroyed = false;
  private readonly onDocDestroy = (): void => this.destroy();
  private readonly onUnload = (): void => this.disconnect();

  constructor(roomName: string, doc: Y.Doc, options: PeerboardProviderOptions = {}) {
    super();
    const plan = planTarget(roomName, options);
    if (!plan.ok) throw new Error(`${plan.code}: ${plan.message}`);
    this.roomName = roomName;
    this.doc = doc;
    this.options = options;
    this.ownAwareness = options.awareness === undefined;
    this.awareness = options.awareness ?? new Awareness(doc);
    this.identity = makeIdentity();
    this.updates = makeDocUpdates(doc);
    doc.on('destroy', this.onDocDestroy);
    globalThis.addEventListener?.('beforeunload', this.onUnload);
    resolveTarget(roomName, plan.value).then(
      (target) => {
        this.target = target;
        if (this.shouldConnect && !this.destroyed) this.open();
      },
      (error: unknown) => this.log('could not derive the room id', error),
    );
    if (options.connect !== false) this.connect();
  }

  /** the relay's WebSocket is joined to the room */
  get connected(): boolean {
    return this.isConnected;
  }

  /** every peer with an open data channel has sent us its state (SyncStep2) */
  get synced(): boolean {
    return this.isSynced;
  }

  /** the relay room id (a hash of the name or of the secret); null until derived */
  get roomId(): string | null {
    return this.target?.roomId ?? null;
  }

  /** the engine's room while connected: snapshot(), diagnostics(), send() for extra frames */
  get room(): Room | null {
    return this.conn?.room ?? null;
  }

  connect(): void {
    if (this.destroyed) return;
    this.shouldConnect = true;
    if (this.target !== null && this.conn === null) this.open();
  }

  disconnect(): void {
    this.shouldConnect = false;
    const conn = this.conn;
    if (conn === null) return;
    this.conn = null;
    const removed = [...conn.room.openPeers(), ...(conn.tabs?.transport.peers() ?? [])];
    for (const off of conn.offs) off();
    // the collab providers first: they tell the peers our cursor is gone while links are up
    conn.mesh.destroy();
    conn.tabs?.sync.destroy();
    conn.tabs?.transport.destroy();
    conn.room.destroy();
    if (removed.length > 0)
      this.emit('peers', [{ added: [], removed, webrtcPeers: [], bcPeers: [] }]);
    this.setConnected(false);
    this.setSynced(false);
  }

  override destroy(): void {
    if (this.destroyed) return;
    this.disconnect();
    this.destroyed = true;
    this.updates.destroy();
    this.doc.off('destroy', this.onDocDestroy);
    globalThis.removeEventListener?.('beforeunload', this.onUnload);
    if (this.ownAwareness) this.awareness.destroy();
    super.destroy();
  }

  private log(msg: string, data?: unknown): void {
    if (this.options.log) this.options.log(msg, data);
    else console.warn(`[peerboard-yjs] ${msg}`, data ?? '');
  }

  private open(): void {
    const target = this.target;
    if (target === null) return;
    const o = this.options;
    const room = makeRoom({
      roomId: target.roomId,
      name: o.name ?? '',
      secret: target.secret,
      signalingUrl: target.signalingUrl,
      WebSocket: o.WebSocket,
      wrtc: o.wrtc ?? o.peerOpts?.wrtc,
      iceServers: o.peerOpts?.config?.iceServers,
      iceTransportPolicy: o.peerOpts?.config?.iceTransportPolicy,
      identity: this.identity,
      log: o.log,
      timing: o.timing,
    });
    const onError: CollabErrorReporter | undefined = o.log
      ? (peer, channel, reason) => o.log?.(`dropped ${channel} frame from ${peer}: ${reason}`)
      : undefined;
    // a state kept over a disconnect goes out again with a newer clock, so peers that saw our
    // leave message take it
    const local = this.awareness.getLocalState();
    if (local !== null) this.awareness.setLocalState(local);
    const mesh = makeCollabProvider({
      doc: this.doc,
      awareness: this.awareness,
      transport: makeRoomTransport(room),
      updates: this.updates,
      onError,
      resyncIntervalMs: o.resyncIntervalMs,
      // any Y.Doc: the app's readers own its schema; the byte budgets still apply
      check: checkAnyUpdate,
    });
    const hasChannel =
      typeof (globalThis as { BroadcastChannel?: unknown }).BroadcastChannel === 'function';
    let tabs: Connection['tabs'] = null;
    if (o.broadcastChannel ?? hasChannel) {
      const transport = makeBroadcastTransport(`peerboard-yjs:${target.roomId}`, {
        onDrop: (code, reason) => this.log(`dropped a tab message: ${code} ${reason}`),
      });
      // BroadcastChannel delivers reliably and in order: no anti-entropy needed there
      const sync = makeCollabProvider({
        doc: this.doc,
        awareness: this.awareness,
        transport,
        updates: this.updates,
        onError,
        resyncIntervalMs: 0,
        check: checkAnyUpdate,
      });
      tabs = { transport, sync };
    }
    const conn: Connection = { room, mesh, tabs, offs: [] };
    const peersChanged = (added: string[], removed: string[]): void =>
      this.emit('peers', [
        {
          added,
          removed,
          webrtcPeers: room.openPeers(),
          bcPeers: [...(tabs?.transport.peers() ?? [])],
        },
      ]);
    conn.offs.push(
      room.on('change', (s) => this.setConnected(s.signaling === 'open')),
      room.on('peer_open', ({ id }) => {
        peersChanged([id], []);
        this.checkSynced(conn);
      }),
      room.on('peer_close', ({ id }) => {
        peersChanged([], [id]);
        this.checkSynced(conn);
      }),
      mesh.onSynced(() => this.checkSynced(conn)),
    );
    if (tabs)
      conn.offs.push(
        tabs.transport.onPeerOpen((id) => peersChanged([id], [])),
        tabs.transport.onPeerClose((id) => peersChanged([], [id])),
      );
    this.conn = conn;
  }

  /** y-webrtc's rule: synced once every open peer has answered our SyncStep1 */
  private checkSynced(conn: Connection): void {
    if (this.conn !== conn) return;
    const done = new Set(conn.mesh.syncedPeers());
    this.setSynced(conn.room.openPeers().every((p) => done.has(p)));
  }

  private setConnected(connected: boolean): void {
    if (connected === this.isConnected) return;
    this.isConnected = connected;
    this.emit('status', [{ connected }]);
  }

  private setSynced(synced: boolean): void {
    if (synced === this.isSynced) return;
    this.isSynced = synced;
    this.emit('synced', [{ synced }]);
  }
}
