/**
 * A CollabTransport between tabs of one browser (and threads of one Node process) over
 * BroadcastChannel, so tabs that share an origin sync without WebRTC and without the relay, as
 * y-webrtc's tabs do. The collab provider runs on it unchanged: y-protocols sync and awareness
 * bytes, step1/step2 on open, awareness ownership per tab.
 *
 * Everything that arrives is parsed (parseBroadcastMessage) before use: the channel is shared
 * with every script of the origin, including older versions of this code and unrelated code that
 * happens to pick the same name. Only the four message shapes pass, payloads are size-bounded like
 * the wire's frames, and bytes from a tab that has not said hello are dropped.
 *
 * Handshake: a tab posts `hello` when it opens; every tab that hears an unaddressed hello answers
 * with a hello addressed to it, so both learn each other in one round. `bye` on destroy. A crashed
 * tab never says bye: its cursor leaves by the awareness timeout (30 s), like in y-webrtc.
 */
import type { Unsubscribe } from '@peerboard/core';
import type { CollabChannel, CollabTransport } from '@peerboard/core/collab';
import { AWARENESS_LIMITS } from '@peerboard/core/collab';
import {
  err,
  isObject,
  ok,
  randomId,
  WIRE_FRAME_MAX_BYTES,
  type Result,
} from '@peerboard/protocol';

export const BROADCAST_VERSION = 1;

export const BROADCAST_LIMITS = {
  /** a full-state SyncStep2: the same bound as a reassembled wire frame */
  maxSyncBytes: WIRE_FRAME_MAX_BYTES,
  /** a whole awareness update at the filter's limits (entries x UTF-8 state + ids) */
  maxAwarenessBytes: AWARENESS_LIMITS.maxEntries * (AWARENESS_LIMITS.maxStateChars * 4 + 32),
  /** tabs of one origin in one room; more is a runaway script */
  maxTabs: 32,
} as const;

export type BroadcastErrorCode =
  | 'ERR_BC_SHAPE'
  | 'ERR_BC_VERSION'
  | 'ERR_BC_TOO_LARGE'
  | 'ERR_BC_UNKNOWN_TAB'
  | 'ERR_BC_TOO_MANY_TABS';

export type BroadcastMessage =
  | { v: 1; t: 'hello'; from: string; to?: string }
  | { v: 1; t: 'bye'; from: string }
  | { v: 1; t: CollabChannel; from: string; to?: string; data: Uint8Array };

/** tab ids are randomId(16): 22 base64url characters */
const TAB_ID_RE = /^[A-Za-z0-9_-]{22}$/;
const isTabId = (v: unknown): v is string => typeof v === 'string' && TAB_ID_RE.test(v);

export function parseBroadcastMessage(raw: unknown): Result<BroadcastMessage, BroadcastErrorCode> {
  if (!isObject(raw)) return err('ERR_BC_SHAPE', 'not an object');
  if (raw.v !== BROADCAST_VERSION) return err('ERR_BC_VERSION', `version ${String(raw.v)}`);
  if (!isTabId(raw.from)) return err('ERR_BC_SHAPE', 'bad sender tab id');
  const from = raw.from;
  if (raw.to !== undefined && !isTabId(raw.to)) return err('ERR_BC_SHAPE', 'bad addressee');
  const to = raw.to as string | undefined;
  switch (raw.t) {
    case 'hello':
      return ok(to === undefined ? { v: 1, t: 'hello', from } : { v: 1, t: 'hello', from, to });
    case 'bye':
      return ok({ v: 1, t: 'bye', from });
    case 'sync':
    case 'awareness': {
      const data = raw.data;
      if (!(data instanceof Uint8Array)) return err('ERR_BC_SHAPE', `${raw.t} without bytes`);
      const max =
        raw.t === 'sync' ? BROADCAST_LIMITS.maxSyncBytes : BROADCAST_LIMITS.maxAwarenessBytes;
      if (data.byteLength > max)
        return err('ERR_BC_TOO_LARGE', `${raw.t} of ${data.byteLength} bytes (max ${max})`);
      const t = raw.t;
      return ok(to === undefined ? { v: 1, t, from, data } : { v: 1, t, from, to, data });
    }
    default:
      return err('ERR_BC_SHAPE', 'unknown message type');
  }
}

/** The part of BroadcastChannel used here (the DOM's and Node's both fit). */
export interface ChannelLike {
  postMessage(message: unknown): void;
  close(): void;
  onmessage: ((event: { data: unknown }) => void) | null;
}
export type ChannelCtor = new (name: string) => ChannelLike;

export interface BroadcastTransport extends CollabTransport {
  readonly tabId: string;
  destroy(): void;
}

export interface BroadcastTransportOptions {
  /** default: globalThis.BroadcastChannel */
  BroadcastChannel?: ChannelCtor;
  /** a dropped message and why */
  onDrop?: (code: BroadcastErrorCode, reason: string) => void;
}

export function makeBroadcastTransport(
  channelName: string,
  options: BroadcastTransportOptions = {},
): BroadcastTransport {
  const Ctor =
    options.BroadcastChannel ?? (globalThis as { BroadcastChannel?: ChannelCtor }).BroadcastChannel;
  if (Ctor === undefined) throw new Error('BroadcastChannel is not available here');
  const onDrop = options.onDrop ?? (() => undefined);
  const tabId = randomId(16);
  const channel = new Ctor(channelName);
  const tabs = new Set<string>();
  const messageFns = new Set<(peer: string, ch: CollabChannel, bytes: Uint8Array) => void>();
  const openFns = new Set<(peer: string) => void>();
  const closeFns = new Set<(peer: string) => void>();
  let destroyed = false;

  const post = (message: BroadcastMessage): void => {
    if (destroyed) return;
    try {
      channel.postMessage(message);
    } catch {
      // a closed channel (the page is going away): nothing to deliver to
    }
  };
  const subscribe = <F>(set: Set<F>, fn: F): Unsubscribe => {
    set.add(fn);
    return () => void set.delete(fn);
  };

  const greet = (from: string): void => {
    if (tabs.has(from)) return;
    if (tabs.size >= BROADCAST_LIMITS.maxTabs) {
      onDrop('ERR_BC_TOO_MANY_TABS', `hello from tab ${from} over ${BROADCAST_LIMITS.maxTabs}`);
      return;
    }
    tabs.add(from);
    for (const fn of [...openFns]) fn(from);
  };

  const receive = (raw: unknown): void => {
    if (destroyed) return;
    const parsed = parseBroadcastMessage(raw);
    if (!parsed.ok) return onDrop(parsed.code, parsed.message);
    const m = parsed.value;
    if (m.from === tabId) return;
    switch (m.t) {
      case 'hello':
        if (m.to !== undefined && m.to !== tabId) return;
        if (m.to === undefined) post({ v: 1, t: 'hello', from: tabId, to: m.from });
        return greet(m.from);
      case 'bye':
        if (!tabs.delete(m.from)) return;
        for (const fn of [...closeFns]) fn(m.from);
        return;
      case 'sync':
      case 'awareness':
        if (m.to !== undefined && m.to !== tabId) return;
        if (!tabs.has(m.from))
          return onDrop('ERR_BC_UNKNOWN_TAB', `${m.t} from tab ${m.from} before its hello`);
        for (const fn of [...messageFns]) fn(m.from, m.t, m.data);
        return;
    }
  };
  channel.onmessage = (event) => receive(event.data);
  post({ v: 1, t: 'hello', from: tabId });

  return {
    tabId,
    peers: () => Array.from(tabs),
    send(peer, ch, bytes) {
      if (tabs.has(peer)) post({ v: 1, t: ch, from: tabId, to: peer, data: bytes });
    },
    broadcast(ch, bytes) {
      if (tabs.size > 0) post({ v: 1, t: ch, from: tabId, data: bytes });
    },
    onMessage: (fn) => subscribe(messageFns, fn),
    onPeerOpen: (fn) => subscribe(openFns, fn),
    onPeerClose: (fn) => subscribe(closeFns, fn),
    destroy() {
      if (destroyed) return;
      post({ v: 1, t: 'bye', from: tabId });
      destroyed = true;
      channel.onmessage = null;
      channel.close();
      tabs.clear();
      messageFns.clear();
      openFns.clear();
      closeFns.clear();
    },
  };
}
