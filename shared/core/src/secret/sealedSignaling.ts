/**
 * A SignalingClient decorator for protected rooms: every signal payload is sealed before it
 * reaches the relay and opened (authenticated) before the mesh sees it. The mesh and the
 * peerSignal codec stay unchanged: they get plaintext JSON bytes exactly as in an open room.
 *
 * WebCrypto is async, and signal order matters (simple-peer needs the offer before its
 * candidates; the mesh needs a hello before the signals that follow it). So:
 * - outbound: seals run one after another and are sent in call order;
 * - inbound: opens run one after another, and every other event (peer_left, joined, ...) that
 *   arrives while an open is pending is queued behind it, so the mesh sees the server's order.
 * A payload that fails to open is dropped with a logged reason; it never reaches the mesh.
 */
import type { PeerId } from '@peerboard/protocol';
import { makeEmitter } from '../emitter';
import type { SignalingClient, SignalingEvents } from '../signaling/signalingClient';
import type { SignalCipher } from './signalCipher';

const PASS_THROUGH = [
  'status',
  'welcome',
  'joined',
  'peer_joined',
  'peer_left',
  'server_error',
] as const satisfies readonly (keyof SignalingEvents)[];

export function makeSealedSignaling(
  inner: SignalingClient,
  cipher: SignalCipher,
  log: (msg: string, data?: unknown) => void,
): SignalingClient {
  const events = makeEmitter<SignalingEvents>();
  let inbound: Promise<void> = Promise.resolve();
  let pendingIn = 0;
  let outbound: Promise<void> = Promise.resolve();
  let destroyed = false;

  const inOrder = (task: () => Promise<void> | void) => {
    pendingIn++;
    inbound = inbound
      .then(task)
      .catch((e: unknown) => log('protected signaling: inbound task failed', e))
      .finally(() => pendingIn--);
  };

  const emitInOrder = <K extends keyof SignalingEvents>(event: K, payload: SignalingEvents[K]) => {
    if (destroyed) return;
    if (pendingIn === 0) events.emit(event, payload);
    else inOrder(() => void (!destroyed && events.emit(event, payload)));
  };

  const forward = <K extends (typeof PASS_THROUGH)[number]>(event: K) =>
    inner.on(event, (payload) => emitInOrder(event, payload));
  const subs = [
    // A new socket is a new session: nothing sealed for the previous one opens any more.
    inner.on('joined', () => cipher.newSession()),
    ...PASS_THROUGH.map(forward),
  ];
  subs.push(
    inner.on('signal', ({ from, payload }) => {
      // Our id as the relay addressed this payload; a reconnect before it is opened changes it.
      const to = inner.peerId();
      if (to === null) return;
      inOrder(async () => {
        const opened = await cipher.open(from, to, payload);
        if (destroyed) return;
        if (!opened.ok)
          return log(
            `protected room: signal from ${from} dropped (${opened.code}): ${opened.message}`,
          );
        events.emit('signal', { from, payload: opened.value.plain, fresh: opened.value.fresh });
      });
    }),
  );

  return {
    status: () => inner.status(),
    detail: () => inner.detail(),
    peerId: () => inner.peerId(),
    members: () => inner.members(),
    iceServers: () => inner.iceServers(),
    peerTimeouts: () => inner.peerTimeouts(),
    latencyMs: () => inner.latencyMs(),
    on: (event, fn) => events.on(event, fn),
    sendSignal(to: PeerId, payload: Uint8Array) {
      const from = inner.peerId();
      if (from === null || destroyed) return false;
      outbound = outbound
        .then(async () => {
          const sealed = await cipher.seal(from, to, payload);
          // Sealed for the old socket's id: the recipient would reject it, so do not send it.
          if (!destroyed && inner.peerId() === from) inner.sendSignal(to, sealed);
        })
        .catch((e: unknown) =>
          log(`protected room: cannot seal a signal: ${(e as Error).message ?? e}`),
        );
      return true;
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      for (const off of subs) off();
      inner.destroy();
      events.clear();
    },
  };
}
