/**
 * The mesh's signaling I/O with the identity rules that need no mesh state:
 * - outbound: every signal goes out in call order, although a hello first waits for its
 *   signature (the remote must see the hello before the offer that follows it, or it refuses
 *   the offer: route not proven). The hello proof is signed once per relay socket.
 * - inbound: events are handled one after another (hello checks are asynchronous, WebCrypto),
 *   so the mesh sees the relay's order; `receive` parses a payload and passes on only a hello
 *   whose key and proof hold for its sender's peer id, or another signal sealed for this
 *   session. Refusals are logged, attacks with an `attack:` prefix.
 */
import type { PeerId } from '@peerboard/protocol';
import { checkHello, signHello, type Identity } from '../identity';
import type { SignalingClient } from '../signaling/signalingClient';
import { encodePeerSignal, parsePeerSignal, type PeerSignal } from './peerSignal';

/** What the mesh sends over the relay; the hello's identity fields are added on the way out. */
export type Outgoing =
  { t: 'hello'; lost: number | null } | Omit<Extract<PeerSignal, { t: 'sig' }>, 'cid'>;

export interface SignalIoOptions {
  identity: Identity;
  roomId: string;
  name: string;
  signaling: SignalingClient;
  log: (msg: string) => void;
}

export interface SignalIo {
  /** a new relay socket with our peer id `peerId`: hellos from now on prove that one */
  newSocket(peerId: PeerId): void;
  send(route: PeerId | null, msg: Outgoing): void;
  /** runs `task` after every earlier one (and never after destroy) */
  inOrder(task: () => void | Promise<void>): void;
  receive(from: PeerId, payload: Uint8Array, fresh: boolean): Promise<PeerSignal | null>;
  /** the display name later hellos carry */
  setName(name: string): void;
  destroy(): void;
}

export function makeSignalIo(o: SignalIoOptions): SignalIo {
  const self = o.identity.clientId;
  /** our hello proof and the relay peer id it names */
  let hello: { peerId: PeerId; proof: Promise<Uint8Array> } | null = null;
  let outbound: Promise<void> = Promise.resolve();
  let inbound: Promise<void> = Promise.resolve();
  let destroyed = false;

  return {
    setName: (name) => void (o.name = name),
    newSocket(peerId) {
      hello = { peerId, proof: signHello(o.identity, o.roomId, peerId) };
      hello.proof.catch(() => undefined); // reported by the sends that wait for it
    },
    send(route, msg) {
      const current = hello;
      if (route === null || current === null) return;
      outbound = outbound
        .then(async () => {
          const { peerId, proof } = current;
          const full: PeerSignal =
            msg.t === 'hello'
              ? { ...msg, cid: self, name: o.name, key: o.identity.publicKey, proof: await proof }
              : { ...msg, cid: self };
          // Queued before a reconnect: the proof names the old socket and the route is void.
          if (destroyed || o.signaling.peerId() !== peerId) return;
          o.signaling.sendSignal(route, encodePeerSignal(full));
        })
        .catch((e: unknown) => o.log(`cannot send a signal: ${String(e)}`));
    },
    inOrder(task) {
      inbound = inbound
        .then(() => (destroyed ? undefined : task()))
        .catch((e: unknown) => o.log(`signal handling failed: ${String(e)}`));
    },
    async receive(from, payload, fresh) {
      const refuse = (why: string) => {
        o.log(why);
        return null;
      };
      const parsed = parsePeerSignal(payload);
      if (!parsed.ok) return refuse(`bad signal from peer ${from}: ${parsed.message}`);
      const msg = parsed.value;
      if (msg.cid === self) return refuse(`attack: peer ${from} claims our own client id`);
      if (msg.t === 'hello') {
        const proof = await checkHello(o.roomId, from, msg.cid, msg.key, msg.proof);
        if (!proof.ok) return refuse(`attack: hello from peer ${from} refused: ${proof.message}`);
        return destroyed ? null : msg;
      }
      // Only a hello may arrive before the sender knows our session (secret/signalCipher.ts).
      return fresh ? msg : refuse(`refused: signal from peer ${from} not sealed for this session`);
    },
    destroy() {
      destroyed = true;
    },
  };
}
