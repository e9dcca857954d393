/**
 * The snapshot of one incoming file the UI shows (incoming.ts view()): progress, speed and ETA
 * while it is received, and "waiting" while no holder it may ask is connected.
 */
import type { IncomingCore } from './incomingCore';
import type { TransferView } from './types';

export interface IncomingViewCtx {
  isOpen(peerId: string): boolean;
  /** the holders we may ask now */
  usable(): string[];
}

export function incomingView(c: IncomingCore, ctx: IncomingViewCtx, now: number): TransferView {
  const { offer, state, rate, bytes, requests } = c;
  if (state === 'receiving') rate.update(bytes, now);
  const receiving = state === 'receiving';
  const waiting = receiving && ctx.usable().length === 0;
  return {
    id: c.id,
    direction: 'in',
    name: offer.name,
    size: offer.size,
    mime: offer.mime,
    sha256: c.list.sha256() ?? offer.sha256,
    peerId: c.from,
    peerOnline: ctx.isOpen(c.from),
    state,
    bytes: state === 'done' ? offer.size : bytes,
    speed: receiving && !waiting ? rate.speed(now) : null,
    stalled: receiving && !waiting && rate.stalled(now),
    etaSeconds: receiving && !waiting ? rate.eta(bytes, offer.size, now) : null,
    error: waiting ? 'Waiting for the sender to come back…' : c.error,
    ...(state === 'failed' && c.failure ? { failure: c.failure } : {}),
    sources: receiving ? requests.sources() : 0,
    receivers: [],
    ...(c.resumable > 0 && state === 'offered' ? { resumeBytes: c.resumable } : {}),
  };
}
