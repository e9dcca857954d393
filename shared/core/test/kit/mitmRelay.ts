/**
 * A malicious relay for two honest meshes (Node, @roamhq/wrtc): it forwards their signed hellos
 * untouched (it cannot forge them) but terminates every link attempt itself, with one real
 * WebRTC connection towards each side, and relays between the two, including each side's
 * identity frame. This is what a relay of an open room (or whoever runs it) can do with
 * signaling alone; only the DTLS fingerprints inside the signed identity frames give it away.
 */
import type { PeerId } from '@peerboard/protocol';
import type { WireFrame } from '@peerboard/protocol/wire';
import { makeEmitter } from '../../src/emitter';
import type { Identity } from '../../src/identity';
import { makeLink, type Link, type SignalData } from '../../src/peers/link';
import { makeMesh, type Mesh } from '../../src/peers/mesh';
import { encodePeerSignal, parsePeerSignal } from '../../src/peers/peerSignal';
import type { SignalingClient, SignalingEvents } from '../../src/signaling/signalingClient';
import { wrtc } from './relay';

type IdentityFrame = Extract<WireFrame, { type: 'identity' }>;

export interface MitmSide {
  mesh: Mesh;
  logs: string[];
  /** peer_open events this mesh emitted */
  opened: string[];
}

export interface MitmRelay {
  sides: [MitmSide, MitmSide];
  /** link pairs the relay set up (one per link attempt of the honest initiator) */
  attempts(): number;
  /** identity frames it passed from one side to the other */
  forwardedProofs(): number;
  destroy(): void;
}

const PEER_IDS = ['AAAAAAAAAAAA', 'VVVVVVVVVVVV'] as const;

export function startMitmRelay(roomId: string, identities: [Identity, Identity]): MitmRelay {
  const emitters = PEER_IDS.map(() => makeEmitter<SignalingEvents>());
  const links: Link[] = [];
  let attempts = 0;
  let forwarded = 0;
  // The lower client id initiates (mesh.ts): index of the initiator in `identities`.
  const init = identities[0].clientId < identities[1].clientId ? 0 : 1;
  const resp = 1 - init;

  const deliver = (to: number, from: number, payload: Uint8Array) =>
    setTimeout(() => emitters[to]!.emit('signal', { from: PEER_IDS[from]!, payload }), 1);
  const forge = (to: number, from: number, gen: number, data: SignalData) =>
    deliver(to, from, encodePeerSignal({ t: 'sig', cid: identities[from]!.clientId, gen, data }));

  /** identity frames waiting for the relay's end towards their recipient to connect */
  const pendingOf = new Map<Link, IdentityFrame[]>();

  /** the relay's two ends of one attempt: towards the initiator and towards the responder */
  let pair: { gen: number; toInit: Link; toResp: Link } | null = null;

  const end = (towards: number, gen: number): Link => {
    const pending: IdentityFrame[] = [];
    const link: Link = makeLink({
      cid: identities[towards]!.clientId,
      gen,
      initiator: towards === resp, // it offers to the responder, answers the initiator
      iceServers: [],
      wrtc,
      statsIntervalMs: 500,
      log: () => undefined,
      onSignal: (data) => forge(towards, 1 - towards, gen, data),
      onConnect: () => pending.splice(0).forEach((f) => link.sendIdentity(f)),
      onIdentity(frame) {
        const other = towards === init ? pair?.toResp : pair?.toInit;
        forwarded++;
        if (other && !other.sendIdentity(frame)) pendingOf.get(other)?.push(frame);
      },
      onOpen: () => undefined,
      onFrame: () => undefined,
      onTrack: () => undefined,
      onStats: () => undefined,
      onEnd: () => undefined,
    });
    pendingOf.set(link, pending);
    links.push(link);
    return link;
  };
  const intercept = (from: number, to: number, payload: Uint8Array): void => {
    const msg = parsePeerSignal(payload);
    if (!msg.ok) return;
    if (msg.value.t === 'hello') {
      deliver(to, from, payload); // genuine: passed on as is
      return;
    }
    const { gen, data } = msg.value;
    if (from === init && data.type === 'offer' && pair?.gen !== gen) {
      attempts++;
      pair = { gen, toInit: end(init, gen), toResp: end(resp, gen) };
    }
    if (pair?.gen !== gen) return;
    (from === init ? pair.toInit : pair.toResp).signal(data);
  };

  const sides = identities.map((identity, i): MitmSide => {
    const logs: string[] = [];
    const opened: string[] = [];
    const events = emitters[i]!;
    const client: SignalingClient = {
      status: () => 'open',
      detail: () => null,
      peerId: () => PEER_IDS[i]!,
      members: () => [],
      iceServers: () => [],
      peerTimeouts: () => ({}),
      latencyMs: () => null,
      on: (event, fn) => events.on(event, fn),
      sendSignal(to: PeerId, payload: Uint8Array) {
        intercept(i, PEER_IDS.indexOf(to as (typeof PEER_IDS)[number]), payload.slice());
        return true;
      },
      destroy: () => undefined,
    };
    const mesh = makeMesh({
      identity,
      roomId,
      name: `side ${i}`,
      signaling: client,
      wrtc,
      retryBaseMs: 200,
      retryMaxMs: 1000,
      statsIntervalMs: 500,
      log: (m) => logs.push(m),
    });
    mesh.on('peer_open', ({ id }) => opened.push(id));
    return { mesh, logs, opened };
  }) as [MitmSide, MitmSide];

  // The first joins an empty room, the second finds it there.
  emitters[0]!.emit('joined', { room: roomId, peerId: PEER_IDS[0], members: [], iceServers: [] });
  const second = { id: PEER_IDS[1], name: 'Guest' };
  const first = { id: PEER_IDS[0], name: 'Guest' };
  emitters[1]!.emit('joined', {
    room: roomId,
    peerId: second.id,
    members: [first],
    iceServers: [],
  });
  emitters[0]!.emit('peer_joined', second);

  return {
    sides,
    attempts: () => attempts,
    forwardedProofs: () => forwarded,
    destroy() {
      for (const s of sides) s.mesh.destroy();
      for (const l of links) l.destroy();
    },
  };
}
