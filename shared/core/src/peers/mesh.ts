/**
 * Full mesh of WebRTC links, one per remote client, keyed by the remote's stable client id
 * (cid) rather than its relay peer id, which changes on every signaling reconnect.
 *
 * Protocol (payloads in peerSignal.ts):
 * - Discovery: on `joined` (members) and `peer_joined`, send { t:'hello', cid, key, proof } to
 *   the peer id. Both sides do it. Only a proved hello binds "peer id -> cid" (remoteTable.ts);
 *   the real client re-proves it after a reconnect.
 *   Any other signal is accepted only from the route its cid is bound to ("refused" otherwise),
 *   so an offer from another route never replaces a link. Inbound events are handled one after
 *   another (hello checks are asynchronous, WebCrypto) to keep the relay's order.
 * - Identity on the link: a connected link opens only once the remote's signed statement of the
 *   DTLS fingerprints matches this side's connection (linkIdentity.ts); until then features see
 *   nothing of it. A failed check closes the link and logs `attack: ...`.
 * - Initiator rule: the lower cid initiates. cids are stable, so the rule never flips across
 *   reconnects and there is no glare.
 * - ICE (iceFallback.ts): with TURN known, an attempt first goes without it; one that fails
 *   before opening is retried relay-only, its offer marked `ice: 'relay'` so both sides agree.
 * - Every link attempt has a generation `gen` chosen by the initiator. Signals carry it; an
 *   offer with a new gen replaces the answerer's link, signals of other gens are stale and
 *   dropped. Renegotiation offers reuse the gen.
 * - A hello from a cid we already have an open link with only updates the route: the existing
 *   data channel is kept (no duplicate after a relay restart).
 * - Once a link is open its signals (trickle, renegotiation for calls) go over the data channel
 *   itself, so calls can start while the relay is away.
 * - Failure (redial.ts): the initiator retries with backoff while the remote is routable; the
 *   answerer sends { t:'hello', lost: gen }. A dead remote is detected by the data channel
 *   closing or by the link's idle timeout (pings every 2 s).
 * - Leaving: destroy() sends `bye` on every open link first (synchronously: a closing page cannot
 *   wait). A `bye` ends that link at once, `peer_close` reason 'bye', and the remote is forgotten:
 *   no re-dial until a new relay hello. It arrives only over the sender's own proved link.
 * - peer_left alone does not kill an open link (the remote may just be reconnecting to the
 *   relay), but such a link must show life: it is probed and, silent for PEER_LEFT_GRACE_MS,
 *   ended with reason 'left' (a closed tab whose `bye` was lost: Chromium's own ICE consent
 *   check would take ~15 s). The same holds for every remote a new relay socket of ours voids.
 * - Versions (linkHello.ts): a link `hello` naming another protocol version ends the link on
 *   both sides, `peer_close` reason 'version'; one contradicting the version the relay attests
 *   for the remote ends it as 'misbehaved'. Either way the remote is forgotten as after a `bye`.
 */
import {
  PEER_LEFT_GRACE_MS,
  PROTOCOL_VERSION,
  type IceServer,
  type Member,
  type PeerId,
} from '@peerboard/protocol';
import { wireHello, type WireFrame } from '@peerboard/protocol/wire';
import { makeEmitter } from '../emitter';
import { verificationCode, type Identity } from '../identity';
import type { SignalingClient } from '../signaling/signalingClient';
import type { PeerInfo, Unsubscribe } from '../types';
import { makeIceFallback, type IcePlan } from './iceFallback';
import { makeLink, type Link } from './link';
import { judgeLinkHello, leavingClose, makeVersionAttestations } from './linkHello';
import { checkLinkProof, sendLinkProof } from './linkIdentity';
import { encodePeerSignal, parsePeerSignal, type PeerSignal } from './peerSignal';
import { makeRedial } from './redial';
import { peerInfo, type PeerClose, type Remote } from './remote';
import { makeRemoteTable } from './remoteTable';
import { makeSignalIo } from './signalIo';

export interface MeshOptions {
  identity: Identity;
  /** the room id the relay knows: part of every signed statement */
  roomId: string;
  name: string;
  signaling: SignalingClient;
  wrtc?: unknown;
  iceServers?: IceServer[];
  iceTransportPolicy?: 'all' | 'relay';
  /** see RoomOptions.bulkChannel */
  bulkChannel?: boolean;
  /** see RoomOptions.yieldBulkReceive */
  yieldBulkReceive?: boolean;
  retryBaseMs?: number;
  retryMaxMs?: number;
  connectTimeoutMs?: number;
  /** deadline of a first attempt without TURN when TURN is known (PEER_DIRECT_TIMEOUT_MS) */
  directTimeoutMs?: number;
  idleTimeoutMs?: number;
  statsIntervalMs?: number;
  peerLeftGraceMs?: number;
  /** the protocol version this peer's hello names (PROTOCOL_VERSION); a test plays an older or
   * newer page with it */
  protocolVersion?: number;
  log: (msg: string, data?: unknown) => void;
}

export type MeshEvents = {
  change: null;
  peer_open: { id: string };
  peer_close: PeerClose;
  frame: { from: string; frame: WireFrame };
  track: { from: string; track: MediaStreamTrack; stream: MediaStream };
};

export interface Mesh {
  peers(): PeerInfo[];
  link(id: string): Link | null;
  on<K extends keyof MeshEvents>(event: K, fn: (p: MeshEvents[K]) => void): Unsubscribe;
  /** RTCPeerConnections created so far (a reconnect that keeps links does not add any). */
  linksCreated(): number;
  /** a new display name: later hellos carry it, and every open link hears it at once */
  setName(name: string): void;
  destroy(): void;
}

export function makeMesh(o: MeshOptions): Mesh {
  const events = makeEmitter<MeshEvents>();
  const remotes = makeRemoteTable({
    log: o.log,
    changed: () => changed(),
    unrouted: (r) => unrouted(r),
  });
  const attested = makeVersionAttestations();
  /** links whose identity frame is being checked or was checked: one per link */
  const proving = new WeakSet<Link>();
  let created = 0;
  let destroyed = false;
  const sig = o.signaling;
  const clientId = o.identity.clientId;
  const version = o.protocolVersion ?? PROTOCOL_VERSION;
  const changed = () => events.emit('change', null);
  const io = makeSignalIo({ ...o, log: o.log });
  const ice = makeIceFallback({
    servers: () => [...(o.iceServers ?? []), ...sig.iceServers()],
    forcedPolicy: o.iceTransportPolicy,
    connectTimeoutMs: o.connectTimeoutMs,
    directTimeoutMs: o.directTimeoutMs,
    relayTimeouts: () => sig.peerTimeouts(),
  });
  const sendVia = io.send;

  const initiates = (cid: string) => clientId < cid;

  const redial = makeRedial({
    retryBaseMs: o.retryBaseMs,
    retryMaxMs: o.retryMaxMs,
    dial(r) {
      if (r.route !== null && !r.link?.isOpen())
        startLink(r, (Math.random() * 2 ** 32) >>> 0, ice.next(r.cid));
    },
  });

  const forget = (r: Remote) => {
    redial.cancel(r);
    ice.forget(r.cid);
    r.link?.destroy('remote left');
    remotes.remove(r);
  };

  /** r has no relay route any more: gone, unless its open link shows it is still there */
  const unrouted = (r: Remote) => {
    const link = r.link;
    if (!link?.isOpen()) return forget(r);
    link.probe(o.peerLeftGraceMs ?? PEER_LEFT_GRACE_MS, (alive) => {
      if (alive) return o.log(`${r.cid} left the relay but answers on its link: kept`);
      if (r.link !== link || r.route !== null || destroyed) return;
      r.leaving = 'left';
      link.destroy('left the relay and went silent on the link');
    });
  };

  const startLink = (r: Remote, gen: number, plan: IcePlan) => {
    redial.cancel(r);
    r.link?.destroy('replaced');
    created++;
    const role = initiates(r.cid) ? 'initiator' : 'answerer';
    o.log(`link to ${r.cid} gen ${gen} started (${role}, ICE ${plan.mode})`);
    const mark = plan.mode === 'relay' ? { ice: 'relay' as const } : {};
    const link = makeLink({
      cid: r.cid,
      gen,
      initiator: initiates(r.cid),
      iceServers: plan.iceServers,
      iceTransportPolicy: plan.policy,
      wrtc: o.wrtc,
      bulkChannel: o.bulkChannel,
      yieldBulkReceive: o.yieldBulkReceive,
      connectTimeoutMs: plan.connectTimeoutMs,
      idleTimeoutMs: o.idleTimeoutMs,
      statsIntervalMs: o.statsIntervalMs,
      log: o.log,
      onSignal(data) {
        if (!link.isOpen()) return sendVia(r.route, { t: 'sig', gen, data, ...mark });
        const msg: PeerSignal = { t: 'sig', cid: clientId, gen, data };
        link.sendControl({ type: 'signal', data: encodePeerSignal(msg) });
      },
      onConnect() {
        void sendLinkProof(o.identity, o.roomId, link).then((sent) => {
          if (!sent) link.destroy('no DTLS fingerprint to prove our identity with');
        });
      },
      onIdentity(frame) {
        if (proving.has(link)) return;
        proving.add(link);
        void checkLinkProof(clientId, o.roomId, link, frame).then((res) => {
          if (r.link !== link || destroyed) return;
          if (res.ok) return link.accept();
          o.log(`attack: link to ${r.cid} gen ${gen} refused: ${res.message}`);
          r.failed = true;
          link.destroy(`identity check failed (${res.code})`);
        });
      },
      onOpen() {
        o.log(`link to ${r.cid} gen ${gen} open, identity verified`);
        redial.opened(r);
        r.failed = false;
        r.turnFailed = false;
        r.code ??= verificationCode(o.identity.publicKey, r.key);
        ice.opened(r.cid, plan.mode);
        link.sendControl(wireHello(clientId, o.name, version));
        events.emit('peer_open', { id: r.cid });
        changed();
      },
      onFrame: (frame) => onLinkFrame(r, link, frame),
      onTrack: (track, stream) => events.emit('track', { from: r.cid, track, stream }),
      onStats: changed,
      onEnd(reason, failed, wasOpen) {
        if (r.link !== link) return; // replaced: the newer link is in charge
        r.link = null;
        // A failed direct attempt with TURN known is followed by the relay-only one: still
        // "connecting" on both sides (both apply the same rule), not "failed" yet.
        const relayNext = failed && !wasOpen && !destroyed && ice.failed(r.cid, plan.mode);
        r.failed ||= failed && !relayNext;
        if (failed && !wasOpen && plan.policy === 'relay') r.turnFailed = true;
        redial.ended(r);
        if (destroyed) return;
        o.log(`link to ${r.cid} gen ${gen} ended: ${reason}`);
        if (r.leaving !== null) {
          // It left the room (bye), or the relay and went silent, or speaks another version:
          // not a failure, nothing to retry.
          if (wasOpen) events.emit('peer_close', leavingClose(r, r.leaving, version));
          forget(r);
          return changed();
        }
        if (wasOpen) events.emit('peer_close', { id: r.cid, reason: 'lost' });
        if (!initiates(r.cid)) redial.lost(r.cid, gen);
        if (r.route === null) forget(r);
        else if (initiates(r.cid)) redial.schedule(r);
        else sendVia(r.route, { t: 'hello', lost: gen });
        changed();
      },
    });
    r.link = link;
    changed();
  };

  const onPeerSignal = (r: Remote, msg: PeerSignal, viaChannel: boolean) => {
    if (msg.t === 'hello') {
      if (!initiates(r.cid)) {
        // We lost a link while the relay was away and could not say so then: say it now, in
        // case the initiator still believes that link is alive.
        const lost = redial.lostGen(r.cid);
        if (!r.link && lost !== undefined) sendVia(r.route, { t: 'hello', lost });
        return;
      }
      if (msg.lost !== null) {
        if (r.link?.gen === msg.lost) r.link.destroy('remote lost this link', !r.link.isOpen());
        return;
      }
      // A discovery hello means the remote just (re)appeared on the relay: an attempt still
      // connecting was addressed to its previous peer id and will not complete. Start afresh.
      if (r.link && !r.link.isOpen()) r.link.destroy('remote reappeared');
      if (!r.link && r.retryTimer === undefined) redial.schedule(r);
      return;
    }
    const link = r.link;
    if (link && link.gen === msg.gen) return link.signal(msg.data);
    if (!viaChannel && msg.data.type === 'offer' && !initiates(r.cid)) {
      // The initiator gave up on the attempt still connecting here: a failure on this side
      // too, or the answerer of a pair that cannot connect would show "connecting" for ever.
      if (link && !link.isOpen()) link.destroy('the initiator started a new attempt', true);
      startLink(r, msg.gen, ice.answer(msg.ice === 'relay' ? 'relay' : 'direct'));
      r.link?.signal(msg.data);
      return;
    }
    o.log(`stale signal from ${r.cid} (gen ${msg.gen}) dropped`);
  };

  const onLinkFrame = (r: Remote, link: Link, frame: WireFrame) => {
    if (frame.type === 'bye') {
      r.leaving = 'bye';
      return link.destroy('remote said goodbye');
    }
    if (frame.type === 'hello') {
      const verdict = judgeLinkHello(r, frame, version);
      if (verdict.t === 'ignore') return o.log(`${verdict.why} from ${r.cid}`);
      if (verdict.t === 'cut') {
        if (verdict.attack !== undefined) o.log(`attack: ${verdict.attack}`);
        r.leaving = verdict.leaving;
        if (verdict.leaving === 'misbehaved') return link.destroy(verdict.why);
        // The remote learns of the cut from our hello, sent on opening: maybe in this very task
        // (its hello came first and was held until we opened), still in our channel's buffer,
        // which closing at once would throw away. Let it leave first.
        r.otherVersion = frame.version;
        return link.closeAfterSent(verdict.why);
      }
      if (verdict.name !== r.name) {
        r.name = verdict.name;
        changed();
      }
      return;
    }
    if (frame.type === 'signal') {
      const msg = parsePeerSignal(frame.data);
      if (!msg.ok || msg.value.cid !== r.cid)
        return o.log(`bad signal over the channel from ${r.cid}: ${msg.ok ? 'cid' : msg.message}`);
      return onPeerSignal(r, msg.value, true);
    }
    events.emit('frame', { from: r.cid, frame });
  };

  const discover = (m: Member) => sendVia(m.id, { t: 'hello', lost: null });

  const onSignal = async (from: PeerId, payload: Uint8Array, fresh: boolean) => {
    const msg = await io.receive(from, payload, fresh);
    if (msg === null || destroyed) return;
    if (msg.t === 'hello') {
      // A `lost` hello is about a link we had: from a client we forgot (it said bye) it is no
      // reason to list it again; only a discovery hello is.
      if (msg.lost !== null && !remotes.has(msg.cid)) return;
      // what the relay vouches for about this socket (it refused it had it named another version)
      return onPeerSignal(remotes.bind(from, msg, attested.of(from)), msg, false);
    }
    const bound = remotes.cidOf(from);
    const r = remotes.get(msg.cid);
    if (bound !== msg.cid || !r)
      return o.log(
        `refused: signal from peer ${from} for client ${msg.cid}, ` +
          (bound === undefined ? 'a peer that proved no identity' : `a peer proven as ${bound}`),
      );
    onPeerSignal(r, msg, false);
  };

  const subs: Unsubscribe[] = [
    sig.on('joined', ({ peerId, members }) =>
      io.inOrder(() => {
        // A new socket: every old route is void; routes come back with the hellos.
        io.newSocket(peerId);
        remotes.clearRoutes();
        attested.reset(members);
        for (const r of remotes.all()) unrouted(r);
        for (const m of members) discover(m);
        changed();
      }),
    ),
    sig.on('peer_joined', (m) =>
      io.inOrder(() => {
        attested.joined(m);
        discover(m);
      }),
    ),
    sig.on('peer_left', ({ peerId }) =>
      io.inOrder(() => {
        attested.left(peerId);
        const r = remotes.leave(peerId);
        if (!r) return;
        r.route = null;
        unrouted(r);
        changed();
      }),
    ),
    sig.on('signal', ({ from, payload, fresh }) =>
      io.inOrder(() => onSignal(from, payload, fresh !== false)),
    ),
  ];

  return {
    peers: () =>
      remotes
        .all()
        .filter((r) => r.leaving === null && (r.link?.isOpen() || r.route !== null))
        .map(peerInfo),
    link: (id) => remotes.get(id)?.link ?? null,
    setName(name) {
      o.name = name;
      io.setName(name);
      for (const r of remotes.all())
        if (r.link?.isOpen()) r.link.sendControl(wireHello(clientId, name, version));
    },
    on: (event, fn) => events.on(event, fn),
    linksCreated: () => created,
    destroy() {
      if (destroyed) return;
      // Goodbye first, before any link closes (see the header).
      for (const r of remotes.all()) if (r.link?.isOpen()) r.link.sendControl({ type: 'bye' });
      destroyed = true;
      redial.destroy();
      io.destroy();
      for (const unsub of subs) unsub();
      for (const r of remotes.all()) forget(r);
      events.clear();
    },
  };
}
