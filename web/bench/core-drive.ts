/**
 * The scheduler sweep's two ends, runtime-neutral so the same code drives @roamhq/wrtc in Node
 * and RTCDataChannel in Chromium (bundled into a page by core-browser.ts):
 *
 * - runSender: the real send scheduler (makeSendQueue) with the water marks and message size
 *   under test, over a raw data channel. It pings every `pingMs` (wire ping frames, control
 *   priority) for `idleMs` with nothing else queued (the idle reference), then keeps pinging
 *   while it pushes `bytes` of file_data frames at bulk priority, awaiting each like a transfer.
 * - serveReceiver: answers pings with pongs (through its own scheduler, as a link does) and
 *   answers the sender's end marker once everything before it has arrived (ordered channel).
 *
 * Ping RTT is measured on the sender's clock (the pong echoes its send time).
 */
import { encodeWireFrame, parseWireFrame, type WireFrame } from '@peerboard/protocol/wire';
import { makeSendQueue, type ChannelLike } from '@peerboard/core';
import { sleep, until } from '@peerboard/bench-kit';

/** What both ends need of an RTCDataChannel (browser or @roamhq/wrtc). */
export type BenchChannel = ChannelLike & {
  binaryType: string;
  addEventListener(type: 'message', fn: (e: { data: unknown }) => void): void;
  removeEventListener(type: 'message', fn: (e: { data: unknown }) => void): void;
};

export interface SweepConfig {
  /** bulk payload bytes to push */
  bytes: number;
  /** file_data payload per frame */
  chunk: number;
  /** largest data-channel message (frames above it are fragmented) */
  maxMessage: number;
  highWater: number;
  lowWater: number;
  pingMs: number;
  idleMs: number;
}

export interface SweepResult {
  idleRtt: number[];
  bulkRtt: number[];
  /** pings never answered (should be 0) */
  lost: number;
  /** from the first bulk frame to the receiver's end-marker reply */
  bulkMs: number;
}

const toBytes = (data: unknown): Uint8Array | null =>
  data instanceof ArrayBuffer
    ? new Uint8Array(data)
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : null;

const TRANSFER_ID = new Uint8Array(16).fill(7);
const control = (type: string): WireFrame => ({ type: 'file_control', msg: { type } });
const isControl = (f: WireFrame, type: string) => f.type === 'file_control' && f.msg.type === type;

export async function runSender(ch: BenchChannel, cfg: SweepConfig): Promise<SweepResult> {
  ch.binaryType = 'arraybuffer';
  const queue = makeSendQueue(ch, {
    maxMessage: cfg.maxMessage,
    bulkHighWater: cfg.highWater,
    bulkLowWater: cfg.lowWater,
  });
  const idleRtt: number[] = [];
  const bulkRtt: number[] = [];
  /** seq -> phase the ping was sent in */
  const pending = new Map<number, 'idle' | 'bulk'>();
  let phase: 'idle' | 'bulk' = 'idle';
  let seq = 0;
  let doneAt = 0;

  const onMessage = (e: { data: unknown }) => {
    const bytes = toBytes(e.data);
    const parsed = bytes && parseWireFrame(bytes);
    if (!parsed?.ok) return;
    const f = parsed.value;
    if (f.type === 'pong') {
      const sentIn = pending.get(f.seq);
      if (sentIn === undefined) return;
      pending.delete(f.seq);
      (sentIn === 'idle' ? idleRtt : bulkRtt).push(performance.now() - f.t);
    } else if (isControl(f, 'bench_done')) doneAt = performance.now();
  };
  ch.addEventListener('message', onMessage);
  const pinger = setInterval(() => {
    seq = (seq + 1) >>> 0;
    pending.set(seq, phase);
    queue.sendControl(encodeWireFrame({ type: 'ping', seq, t: performance.now() }));
  }, cfg.pingMs);

  try {
    await sleep(cfg.idleMs);
    phase = 'bulk';
    const data = new Uint8Array(cfg.chunk).fill(0x5a);
    const start = performance.now();
    for (let sent = 0, index = 0; sent < cfg.bytes; sent += cfg.chunk, index++) {
      const frame: WireFrame = { type: 'file_data', transferId: TRANSFER_ID, index, data };
      await queue.sendBulk(encodeWireFrame(frame));
    }
    queue.sendControl(encodeWireFrame(control('bench_end')));
    await until("the receiver's end confirmation", () => doneAt !== 0, 60_000);
    clearInterval(pinger);
    // late pongs of pings sent during the bulk phase still count
    const late = performance.now() + 2_000;
    while (pending.size > 0 && performance.now() < late) await sleep(10);
    return { idleRtt, bulkRtt, lost: pending.size, bulkMs: doneAt - start };
  } finally {
    clearInterval(pinger);
    ch.removeEventListener('message', onMessage);
    queue.destroy('bench over');
  }
}

/** Answers pings and the end marker until the returned function is called. */
export function serveReceiver(ch: BenchChannel): () => void {
  ch.binaryType = 'arraybuffer';
  const queue = makeSendQueue(ch);
  const onMessage = (e: { data: unknown }) => {
    const bytes = toBytes(e.data);
    // bulk data is only counted by the sender's timing: skip parsing it (a link would
    // reassemble it, but that work is the same for every configuration compared here)
    if (!bytes || bytes[0] === 0x05 || bytes[0] === 0x7f) return;
    const parsed = parseWireFrame(bytes);
    if (!parsed.ok) return;
    const f = parsed.value;
    if (f.type === 'ping') queue.sendControl(encodeWireFrame({ type: 'pong', seq: f.seq, t: f.t }));
    else if (isControl(f, 'bench_end')) queue.sendControl(encodeWireFrame(control('bench_done')));
  };
  ch.addEventListener('message', onMessage);
  return () => {
    ch.removeEventListener('message', onMessage);
    queue.destroy('bench over');
  };
}

/** What connectPair needs of RTCPeerConnection (the browser's or @roamhq/wrtc's). */
export type PeerConnectionCtor = new (config?: RTCConfiguration) => RTCPeerConnection;

export interface Pair {
  a: RTCPeerConnection;
  b: RTCPeerConnection;
  ca: RTCDataChannel;
  cb: RTCDataChannel;
  /** from `new RTCPeerConnection` to both channels open */
  connectMs: number;
  close(): void;
}

/**
 * Two peer connections in one runtime, candidates handed over directly (no relay, no STUN):
 * the raw WebRTC connect time that a room's join is compared with.
 */
export async function connectPair(PC: PeerConnectionCtor): Promise<Pair> {
  const t0 = performance.now();
  const a = new PC({ iceServers: [] });
  const b = new PC({ iceServers: [] });
  const trickle = (from: RTCPeerConnection, to: RTCPeerConnection) => {
    const early: RTCIceCandidateInit[] = [];
    from.addEventListener('icecandidate', (e) => {
      const c = (e as RTCPeerConnectionIceEvent).candidate;
      if (!c) return;
      if (to.remoteDescription) void to.addIceCandidate(c).catch(() => undefined);
      else early.push(c.toJSON());
    });
    return () => early.splice(0).forEach((c) => void to.addIceCandidate(c).catch(() => undefined));
  };
  const flushToB = trickle(a, b);
  const flushToA = trickle(b, a);
  const ca = a.createDataChannel('bench', { ordered: true });
  const openA = new Promise<void>((r) => ca.addEventListener('open', () => r()));
  const gotB = new Promise<RTCDataChannel>((resolve) =>
    b.addEventListener('datachannel', (e) => {
      const ch = (e as RTCDataChannelEvent).channel;
      if (ch.readyState === 'open') resolve(ch);
      else ch.addEventListener('open', () => resolve(ch));
    }),
  );
  await a.setLocalDescription(await a.createOffer());
  await b.setRemoteDescription(a.localDescription!);
  flushToB();
  await b.setLocalDescription(await b.createAnswer());
  await a.setRemoteDescription(b.localDescription!);
  flushToA();
  const [, cb] = await Promise.all([openA, gotB]);
  const connectMs = performance.now() - t0;
  return {
    a,
    b,
    ca,
    cb,
    connectMs,
    close() {
      a.close();
      b.close();
    },
  };
}
