/**
 * One WebRTC connection (a simple-peer instance) to one remote client, generation `gen`.
 * Owns: the send scheduler, the fragment reassembler, wire validation of every received
 * message, ping/pong (app-level RTT + liveness), and getStats polling (direct vs relayed path,
 * candidate-pair RTT). The mesh decides when links are created and replaced.
 *
 * A connected link is not open yet: it first exchanges identity frames (the mesh signs and
 * checks them, identity/proofs.ts, using fingerprints() of the DTLS certificates in use) and only
 * `accept()` opens it. Until then every other frame is held, and nothing can be sent through
 * sendControl/sendBulk except by the mesh's identity exchange (`sendIdentity`).
 *
 * Bulk (file data) travels on a second, negotiated data channel when both ends have it
 * (PROTOCOL.md "Bulk channel", bulkLane.ts). Once open and the remote's hello heard, bulk goes
 * there for the life of the link unless some bulk already went on the first channel; otherwise
 * everything stays on the one channel as before. Messages received on it are handled in tasks
 * of their own, so control frames on the first channel are not held behind file data.
 */
import SimplePeer from 'simple-peer';
import {
  PEER_CONNECT_TIMEOUT_MS,
  PEER_IDLE_TIMEOUT_MS,
  PEER_STATS_INTERVAL_MS,
  MAX_WIRE_MESSAGE,
  type IceServer,
} from '@peerboard/protocol';
import { sdpFingerprint } from '../identity/proofs';
import {
  WIRE_TAG,
  encodeWireFrame,
  makeReassembler,
  parseWireFrame,
  type WireFrame,
} from '@peerboard/protocol/wire';
import { openBulkLane, type BulkLane } from './bulkLane';
import { setEncoding, type LinkMedia } from './linkMedia';
import { readPathStats } from './linkStats';
import { makeSendQueue, type ChannelLike, type SendQueue } from './sendQueue';

/** What simple-peer hands to signaling (SDP offer/answer, ICE candidate, renegotiate). */
export type SignalData = SimplePeer.SignalData;

export type LinkPath = 'unknown' | 'direct' | 'relayed';

export interface LinkOptions {
  cid: string;
  gen: number;
  initiator: boolean;
  iceServers: IceServer[];
  iceTransportPolicy?: 'all' | 'relay';
  wrtc?: unknown;
  connectTimeoutMs?: number;
  idleTimeoutMs?: number;
  statsIntervalMs?: number;
  /** false: one data channel for everything, like peers before the bulk channel (tests, bench) */
  bulkChannel?: boolean;
  /** false: bulk handled inside its message events (RoomOptions.yieldBulkReceive) */
  yieldBulkReceive?: boolean;
  log: (msg: string, data?: unknown) => void;
  onSignal(data: SignalData): void;
  /** the data channel is up: time to send our identity frame (see accept) */
  onConnect(): void;
  /** an identity frame from the remote, also before onConnect; the mesh checks it */
  onIdentity(frame: Extract<WireFrame, { type: 'identity' }>): void;
  /** accepted and connected: features may use the link from now on */
  onOpen(): void;
  /** a validated, reassembled frame other than ping/pong replies handled here */
  onFrame(frame: WireFrame): void;
  onTrack(track: MediaStreamTrack, stream: MediaStream): void;
  /** path or RTT changed after a getStats poll */
  onStats(): void;
  /** called once; `failed` = error/timeout rather than an orderly close */
  onEnd(reason: string, failed: boolean, wasOpen: boolean): void;
}

export interface Link {
  readonly cid: string;
  readonly gen: number;
  readonly initiator: boolean;
  /** connected and accepted (the remote proved its identity on this connection) */
  isOpen(): boolean;
  /** the remote proved its identity: open once connected (replays the frames held so far) */
  accept(): void;
  /** DTLS certificate fingerprints of both ends, from the applied local and remote SDP */
  fingerprints(): { local: string; remote: string } | null;
  /** the identity frame, the one frame sent before the link is open */
  sendIdentity(frame: Extract<WireFrame, { type: 'identity' }>): boolean;
  path(): LinkPath;
  /** candidate-pair RTT from getStats, ms */
  rttMs(): number | null;
  /** last ping/pong RTT over the data channel (includes queueing), ms */
  appRttMs(): number | null;
  signal(data: SignalData): void;
  sendControl(frame: WireFrame): boolean;
  sendBulk(frame: WireFrame): Promise<void>;
  queue(): SendQueue | null;
  /** bulk goes on its own data channel on this link (both ends have one) */
  bulkChannelInUse(): boolean;
  /** the media side of this connection: the call uses it; nothing else sees simple-peer */
  readonly media: LinkMedia;
  /** bytes or text straight onto the data channel, bypassing framing: attack tests only */
  sendUnframed(data: string | Uint8Array): boolean;
  droppedFrames(): number;
  /**
   * Is the remote still there? Pings now; `done(true)` at its next message, `done(false)` if
   * none arrives within `withinMs`; never called if the link ends first. One probe at a time.
   */
  probe(withinMs: number, done: (alive: boolean) => void): void;
  /** `failed`: the attempt failed (the remote says it lost this link) rather than closed */
  destroy(reason?: string, failed?: boolean): void;
  /**
   * Ends the link (an orderly close) once the remote has read what this side sent: the send
   * queue and the channels' buffers empty, then the data channel's own close (after the data,
   * in order), or `withinMs` passed. Closing the connection at once discards what is still
   * buffered or in flight, so the remote would never read a frame sent just before (a version
   * cut: our own hello). Meanwhile the link is no longer open: nothing more is sent or
   * delivered.
   */
  closeAfterSent(reason: string, withinMs?: number): void;
}

/** how long closeAfterSent waits at most for what was sent to leave, and how often it looks */
export const CLOSE_DRAIN_MAX_MS = 1000;
const CLOSE_DRAIN_POLL_MS = 10;

type PcHolder = { _pc: RTCPeerConnection; _channel: (ChannelLike & { close(): void }) | null };

/**
 * Bound on what a remote may send before this side opens. Legitimately that is only its hello
 * and its features' peer_open handshakes (kilobytes); more is a hostile or broken peer.
 */
const EARLY_MAX_BYTES = 4 * 1024 * 1024;

export function makeLink(o: LinkOptions): Link {
  const peer = new SimplePeer({
    initiator: o.initiator,
    trickle: true,
    config: { iceServers: o.iceServers, iceTransportPolicy: o.iceTransportPolicy ?? 'all' },
    wrtc: o.wrtc as SimplePeer.Options['wrtc'],
  });
  const internals = peer as unknown as PcHolder;
  const reassembler = makeReassembler();
  let open = false;
  let connected = false;
  let accepted = false;
  let ended = false;
  /** closeAfterSent: waiting for the sent bytes to leave (the link counts as closed already) */
  let closing: ReturnType<typeof setTimeout> | undefined;
  let closingReason: string | null = null;
  let queue: SendQueue | null = null;
  let bulk: BulkLane | null = null;
  // Relay-only ICE has no other path; getStats may not name the selected pair at first.
  const relayOnly = o.iceTransportPolicy === 'relay';
  let path: LinkPath = relayOnly ? 'relayed' : 'unknown';
  let rtt: number | null = null;
  let appRtt: number | null = null;
  let lastHeard = Date.now();
  let pingSeq = 0;
  let dropped = 0;
  let statsTimer: ReturnType<typeof setInterval> | undefined;
  let probing: { timer: ReturnType<typeof setTimeout>; done: (alive: boolean) => void } | null =
    null;
  /**
   * Messages received before this side is open, replayed right after onOpen. Each side opens on
   * its own (after simple-peer's and our first asynchronous getStats), so the remote often opens
   * first and at once sends what its peer_open handlers send (a transfer's resume `want`s, a Yjs
   * sync step 1). Delivered before our peer_open, the feature's reply went to a peer that
   * room.send() does not consider open yet and was dropped, and nothing asks again: after a
   * reconnect under load the resumed transfer waited forever on a perfectly open link. With the
   * replay, every frame of a link reaches the features after that link's peer_open.
   */
  let early: Uint8Array[] = [];
  let earlyBytes = 0;

  const end = (reason: string, failed: boolean) => {
    if (ended) return;
    ended = true;
    const wasOpen = open;
    open = false;
    clearTimeout(closing);
    clearTimeout(connectTimer);
    clearInterval(statsTimer);
    if (probing) clearTimeout(probing.timer);
    probing = null;
    queue?.destroy(reason);
    bulk?.close();
    reassembler.clear();
    early = [];
    peer.removeAllListeners();
    peer.on('error', () => {}); // late errors from a destroyed peer must not become uncaught
    peer.destroy();
    o.onEnd(reason, failed, wasOpen);
  };

  const connectTimer = setTimeout(
    () => end('connection attempt timed out', true),
    o.connectTimeoutMs ?? PEER_CONNECT_TIMEOUT_MS,
  );

  const drop = (why: string) => {
    dropped++;
    // A hostile peer can send garbage at line rate: log a few, then only every 1000th.
    if (dropped <= 20 || dropped % 1000 === 0)
      o.log(`dropped frame from ${o.cid} (#${dropped}): ${why}`);
  };

  const pollStats = async () => {
    try {
      const stats = await readPathStats(internals._pc);
      if (!stats || ended) return;
      const nextRtt = stats.rttMs ?? rtt;
      const nextPath = stats.relayed || relayOnly ? 'relayed' : 'direct';
      if (nextPath === path && nextRtt === rtt) return;
      path = nextPath;
      rtt = nextRtt;
      if (open) o.onStats();
    } catch {
      // stats are best effort (a closing pc rejects)
    }
  };

  const tick = () => {
    if (Date.now() - lastHeard > (o.idleTimeoutMs ?? PEER_IDLE_TIMEOUT_MS))
      return end('peer stopped answering', true);
    sendControl({ type: 'ping', seq: (pingSeq = (pingSeq + 1) & 0x7fffffff), t: Date.now() });
    void pollStats();
  };

  const dispatch = (frame: WireFrame): void => {
    switch (frame.type) {
      case 'ping':
        sendControl({ type: 'pong', seq: frame.seq, t: frame.t });
        return;
      case 'pong':
        appRtt = Math.max(0, Date.now() - frame.t);
        o.onFrame(frame);
        return;
      case 'fragment': {
        const whole = reassembler.push(frame, Date.now());
        if (!whole.ok) return drop(`${whole.code}: ${whole.message}`);
        if (!whole.value) return;
        const inner = parseWireFrame(whole.value);
        return inner.ok ? dispatch(inner.value) : drop(`${inner.code}: ${inner.message}`);
      }
      default:
        o.onFrame(frame);
    }
  };

  const settleProbe = (alive: boolean) => {
    const p = probing;
    if (!p) return;
    clearTimeout(p.timer);
    probing = null;
    p.done(alive);
  };

  peer.on('data', (chunk: Uint8Array) => onData(chunk));

  function onData(chunk: Uint8Array) {
    if (closing !== undefined) return;
    lastHeard = Date.now();
    settleProbe(true);
    if (!(chunk instanceof Uint8Array)) return drop('text message on a binary channel');
    if (open) return receive(chunk);
    if (chunk[0] === WIRE_TAG.identity) {
      const frame = parseWireFrame(chunk);
      if (frame.ok && frame.value.type === 'identity') return o.onIdentity(frame.value);
      return drop(frame.ok ? 'not an identity frame' : `${frame.code}: ${frame.message}`);
    }
    // Each message is a fresh buffer (simple-peer wraps the event's ArrayBuffer): safe to hold.
    earlyBytes += chunk.length;
    if (earlyBytes > EARLY_MAX_BYTES) return end('peer sent too much before the link opened', true);
    early.push(chunk);
  }

  function receive(chunk: Uint8Array) {
    const frame = parseWireFrame(chunk);
    if (!frame.ok) return drop(`${frame.code}: ${frame.message}`);
    try {
      dispatch(frame.value);
    } catch (error) {
      // A feature handler threw on this frame: the link stays up.
      drop(`handler error: ${String(error)}`);
    }
  }

  peer.on('signal', (data: SignalData) => o.onSignal(data));
  peer.on('track', (track: MediaStreamTrack, stream: MediaStream) => o.onTrack(track, stream));
  peer.on('connect', () => {
    if (ended) return;
    const channel = internals._channel;
    if (!channel) return end('connected without a data channel', true);
    const pc = internals._pc as RTCPeerConnection & { sctp?: { maxMessageSize?: number } };
    const negotiated = pc.sctp?.maxMessageSize;
    queue = makeSendQueue(channel, {
      maxMessage:
        negotiated && negotiated > 1024 ? Math.min(negotiated, MAX_WIRE_MESSAGE) : MAX_WIRE_MESSAGE,
      onFatal: (error) => end(`send failed: ${String(error)}`, true),
    });
    if (o.bulkChannel !== false)
      bulk = openBulkLane(pc, {
        log: (msg) => o.log(`${msg} (${o.cid})`),
        drop,
        onMessage: (chunk) => {
          if (!ended) onData(chunk);
        },
        onRemoteHello: () => routeBulk(),
        onOverflow: () => end('peer sent more file data than was asked for', true),
        ...(o.yieldBulkReceive === false ? { yieldTo: inline } : {}),
      });
    lastHeard = Date.now();
    statsTimer = setInterval(tick, o.statsIntervalMs ?? PEER_STATS_INTERVAL_MS);
    void pollStats().then(() => {
      if (ended) return;
      connected = true;
      o.onConnect();
      maybeOpen();
    });
  });

  function maybeOpen() {
    if (open || ended || !connected || !accepted) return;
    clearTimeout(connectTimer); // the attempt timeout also bounds the identity exchange
    open = true;
    routeBulk();
    o.onOpen();
    const held = early;
    early = [];
    earlyBytes = 0;
    for (const chunk of held) if (isOpen()) receive(chunk);
  }

  function routeBulk() {
    if (open && bulk?.ready()) queue?.routeBulk(bulk.channel);
  }

  function fingerprints() {
    const local = sdpFingerprint(internals._pc?.localDescription?.sdp);
    const remote = sdpFingerprint(internals._pc?.remoteDescription?.sdp);
    return local && remote ? { local, remote } : null;
  }
  peer.on('close', () => end(closingReason ?? 'peer connection closed', false));
  peer.on('error', (error: Error & { code?: string }) =>
    end(`peer error ${error.code ?? ''}: ${error.message}`, true),
  );

  function sendControl(frame: WireFrame): boolean {
    return isOpen() && queue !== null && queue.sendControl(encodeWireFrame(frame));
  }

  function isOpen() {
    return open && closing === undefined;
  }

  /** nothing of ours is left on this side: queued or in a channel's buffer */
  function allSent() {
    if (queue === null) return true;
    if (queue.controlQueuedBytes() > 0 || queue.bulkQueuedBytes() > 0) return false;
    const channels = [internals._channel, bulk?.channel];
    return channels.every((c) => !c || c.readyState !== 'open' || c.bufferedAmount === 0);
  }

  return {
    cid: o.cid,
    gen: o.gen,
    initiator: o.initiator,
    isOpen,
    accept() {
      accepted = true;
      maybeOpen();
    },
    fingerprints,
    sendIdentity: (frame) => queue !== null && !ended && queue.sendControl(encodeWireFrame(frame)),
    path: () => path,
    rttMs: () => rtt,
    appRttMs: () => appRtt,
    signal(data) {
      if (ended) return;
      try {
        peer.signal(data);
      } catch (error) {
        end(`signal rejected: ${String(error)}`, true);
      }
    },
    sendControl,
    sendBulk: (frame) =>
      queue && isOpen()
        ? queue.sendBulk(encodeWireFrame(frame))
        : Promise.reject(new Error('peer not connected')),
    queue: () => queue,
    bulkChannelInUse: () => queue !== null && bulk !== null && queue.bulkChannel() === bulk.channel,
    media: {
      addStream: (stream) => peer.addStream(stream),
      removeStream: (stream) => peer.removeStream(stream),
      addTrack: (track, stream) => peer.addTrack(track, stream),
      removeTrack: (track, stream) => peer.removeTrack(track, stream),
      // simple-peer accepts null (stop sending) though its typings say MediaStreamTrack
      replaceTrack: (old, next, stream) => peer.replaceTrack(old, next as MediaStreamTrack, stream),
      getStats: () => internals._pc.getStats().catch(() => null),
      setEncoding: (track, limits) => setEncoding(internals._pc, track, limits),
    },
    sendUnframed(data) {
      if (!isOpen() || ended) return false;
      peer.send(data);
      return true;
    },
    droppedFrames: () => dropped,
    probe(withinMs, done) {
      if (probing || ended) return;
      probing = { timer: setTimeout(() => settleProbe(false), withinMs), done };
      sendControl({ type: 'ping', seq: (pingSeq = (pingSeq + 1) & 0x7fffffff), t: Date.now() });
    },
    destroy: (reason = 'destroyed', failed = false) => end(reason, failed),
    closeAfterSent(reason, withinMs = CLOSE_DRAIN_MAX_MS) {
      if (ended || closing !== undefined) return;
      if (probing) clearTimeout(probing.timer);
      probing = null;
      closingReason = reason;
      const until = Date.now() + withinMs;
      // Once our bytes left the queue and the channel's buffer, the channel closes on its own
      // (SCTP stream reset, after the data in order): the remote reads everything before its
      // close, and ours follows (simple-peer then ends the connection: `close` -> end). The
      // buffer alone is not enough: bytes that left it may still be in flight, and closing the
      // connection aborts them. Looked at from the next task on: @roamhq/wrtc updates
      // bufferedAmount asynchronously, so right after a send it can still read 0 (sendQueue.ts).
      const look = () => {
        const channel = internals._channel;
        if (!channel || channel.readyState === 'closed' || Date.now() >= until)
          return end(reason, false);
        if (channel.readyState === 'open' && allSent()) channel.close();
        closing = setTimeout(look, CLOSE_DRAIN_POLL_MS);
      };
      closing = setTimeout(look, CLOSE_DRAIN_POLL_MS);
    },
  };
}

/** the drain runs at once, inside the message event (no yielding) */
const inline = (fn: () => void) => fn();
