/**
 * Browser side of web/bench/transfer.ts (built with the app's Vite config, served by the real
 * signal server). Exposes `window.bench`: Peerboard rooms + transfers, and a raw
 * RTCDataChannel blast as the same-run reference. Not part of the app.
 */
import { makeRoom, type Room } from '@peerboard/core';
import {
  blobSource,
  makeDiscardSink,
  makeTransfers,
  openSegmentSink,
  type FileSink,
  type FileSource,
  type Transfers,
} from '@peerboard/core/transfer';
import { until as untilEvery } from '@peerboard/bench-kit';

let room: Room | null = null;
let files: Transfers | null = null;

async function randomBlob(bytes: number): Promise<Blob> {
  const parts: Uint8Array[] = [];
  const piece = 1 << 20;
  const buf = new Uint8Array(piece);
  for (let at = 0; at < bytes; at += piece) {
    for (let i = 0; i < piece; i += 65536) crypto.getRandomValues(buf.subarray(i, i + 65536));
    parts.push(buf.slice(0, Math.min(piece, bytes - at)));
  }
  return new Blob(parts as BlobPart[]);
}

/** `bytes` of a random pattern whose length is not a multiple of the block size, on demand. */
function patternSource(bytes: number): FileSource {
  const period = (1 << 20) + 4093;
  const pattern = new Uint8Array(period * 2);
  for (let i = 0; i < period; i += 65536)
    crypto.getRandomValues(pattern.subarray(i, Math.min(period, i + 65536)));
  pattern.copyWithin(period, 0, period);
  return {
    name: 'bench.bin',
    size: bytes,
    type: '',
    async read(offset, length) {
      const out = new Uint8Array(length);
      for (let at = 0; at < length;) {
        const from = (offset + at) % period;
        const n = Math.min(length - at, period);
        out.set(pattern.subarray(from, from + n), at);
        at += n;
      }
      return out;
    },
  };
}

// every 20 ms: the receiver's wait samples the heap while the transfer runs
const until = (what: string, cond: () => boolean, ms = 120_000) => untilEvery(what, cond, ms, 20);

// ---- raw reference ----
let pc: RTCPeerConnection | null = null;
let channel: RTCDataChannel | null = null;
let rawReceived = 0;

const gathered = (p: RTCPeerConnection) =>
  new Promise<void>((resolve) => {
    if (p.iceGatheringState === 'complete') return resolve();
    p.addEventListener('icegatheringstatechange', () => {
      if (p.iceGatheringState === 'complete') resolve();
    });
  });

const FIRST_BYTES = 8 * 2 ** 20;

const bench = {
  async join(
    signalingUrl: string,
    roomId: string,
    name: string,
    chunkBytes?: number,
    bulkChannel = true,
    yieldBulkReceive = true,
  ) {
    room = makeRoom({
      roomId,
      name,
      signalingUrl,
      bulkChannel,
      yieldBulkReceive,
      log: () => undefined,
    });
    files = makeTransfers({ room, chunkBytes, log: () => undefined });
    await until('an open peer', () => room!.openPeers().length > 0, 60_000);
  },
  leave() {
    files?.destroy();
    room?.destroy();
    files = null;
    room = null;
  },
  /** offers `bytes` of random data; resolves with the id and the hashing time */
  async offer(bytes: number) {
    // a Blob past ~1 GiB cannot be read back in an incognito context (its blob store has no
    // disk): larger files are a repeated random pattern read on demand
    const source = bytes > 2 ** 30 ? patternSource(bytes) : blobSource(await randomBlob(bytes));
    const t0 = performance.now();
    const id = files!.offer({ ...source, name: 'bench.bin' });
    // hashing 2 GiB on a loaded machine takes minutes
    await until('the offer', () => files!.get(id)?.state === 'offered', 1_800_000);
    return { id, hashMs: performance.now() - t0 };
  },
  async receive(opfs: boolean) {
    await until('an incoming offer', () =>
      files!.list().some((t) => t.direction === 'in' && t.state === 'offered'),
    );
    const id = files!.list().find((t) => t.direction === 'in' && t.state === 'offered')!.id;
    // the app's OPFS sink: committed segments a reload can resume from
    const dir = opfs ? await navigator.storage.getDirectory() : null;
    const sink: FileSink = dir
      ? await openSegmentSink(dir as never, 'bench', { name: 'bench.bin', mime: '' })
      : makeDiscardSink();
    const heap0 =
      (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ??
      0;
    let heapMax = heap0;
    const t0 = performance.now();
    // when the first FIRST_BYTES had arrived: a fresh link's first seconds (issue 18 item 1)
    let firstMs: number | null = null;
    await files!.accept(id, sink);
    await until(
      'the transfer end',
      () => {
        if (firstMs === null && (files!.get(id)?.bytes ?? 0) >= FIRST_BYTES)
          firstMs = performance.now() - t0;
        const m =
          (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory
            ?.usedJSHeapSize ?? 0;
        heapMax = Math.max(heapMax, m);
        const s = files!.get(id)?.state;
        return s === 'done' || s === 'failed';
      },
      3_600_000,
    );
    const ms = performance.now() - t0;
    const view = files!.get(id)!;
    if (dir) await sink.abort();
    return {
      ms,
      firstMs,
      state: view.state,
      error: view.error,
      sha256: view.sha256,
      heapGrowth: heapMax - heap0,
    };
  },
  /** every transfer's direction, state and bytes (the long memory run prints them) */
  async progress() {
    return files
      ?.list()
      .map(
        (t) => `${t.direction} ${t.state} ${Math.round(t.bytes / 2 ** 20)} MiB ${t.error ?? ''}`,
      );
  },
  /** bytes received of the incoming file being received, 0 if none */
  inBytes: async () =>
    files?.list().find((t) => t.direction === 'in' && t.state === 'receiving')?.bytes ?? 0,
  async rtt() {
    const peer = room!.openPeers()[0]!;
    return room!.ping(peer, 30_000);
  },
  /** whether file data goes on the separate bulk channel to the (one) peer */
  bulkChannel: async () => room!.diagnostics().links.some((l) => l.open && l.bulkChannel),

  async rawOffer() {
    pc = new RTCPeerConnection();
    channel = pc.createDataChannel('blast', { ordered: true });
    channel.binaryType = 'arraybuffer';
    await pc.setLocalDescription(await pc.createOffer());
    await gathered(pc);
    return pc.localDescription!.sdp;
  },
  async rawAnswer(sdp: string) {
    pc = new RTCPeerConnection();
    rawReceived = 0;
    pc.ondatachannel = (e) => {
      channel = e.channel;
      channel.binaryType = 'arraybuffer';
      channel.onmessage = (m) => (rawReceived += (m.data as ArrayBuffer).byteLength);
    };
    await pc.setRemoteDescription({ type: 'offer', sdp });
    await pc.setLocalDescription(await pc.createAnswer());
    await gathered(pc);
    return pc.localDescription!.sdp;
  },
  async rawAccept(sdp: string) {
    await pc!.setRemoteDescription({ type: 'answer', sdp });
    await until('the raw channel', () => channel!.readyState === 'open', 30_000);
  },
  async rawBlast(total: number, message: number, high: number, low: number) {
    const ch = channel!;
    ch.binaryType = 'arraybuffer';
    ch.bufferedAmountLowThreshold = low;
    const data = new Uint8Array(message);
    crypto.getRandomValues(data.subarray(0, 65536));
    let sent = 0;
    await new Promise<void>((resolve) => {
      const pump = () => {
        while (sent < total && ch.bufferedAmount < high) {
          const n = Math.min(message, total - sent);
          ch.send(n === message ? data : data.subarray(0, n));
          sent += n;
        }
        if (sent >= total) resolve();
      };
      ch.onbufferedamountlow = pump;
      pump();
    });
  },
  /**
   * PairDrop's way (its FileChunker, run as a stand-in: no hashing, no UI): 64000-byte messages
   * straight into the channel up to a 1e6-byte partition, then wait for the receiver's ack of
   * that partition before the next one (stop-and-wait per partition).
   */
  async rawStopAndWait(total: number) {
    const ch = channel!;
    const chunk = 64000;
    const partition = 1e6;
    const data = new Uint8Array(chunk);
    crypto.getRandomValues(data);
    let sent = 0;
    let acked = 0;
    let wake: (() => void) | null = null;
    ch.onmessage = (m) => {
      acked = new DataView(m.data as ArrayBuffer).getFloat64(0);
      wake?.();
    };
    while (sent < total) {
      const end = Math.min(total, sent + partition);
      while (sent < end) {
        const n = Math.min(chunk, end - sent);
        ch.send(n === chunk ? data : data.subarray(0, n));
        sent += n;
      }
      while (acked < sent) await new Promise<void>((r) => (wake = r));
    }
    ch.onmessage = null;
  },
  /** the receiving end of rawStopAndWait: acks every full partition and the end */
  rawAckPartitions(total: number) {
    const ch = channel!;
    const partition = 1e6;
    let nextAck = partition;
    ch.onmessage = (m) => {
      rawReceived += (m.data as ArrayBuffer).byteLength;
      if (rawReceived >= Math.min(nextAck, total)) {
        const ack = new DataView(new ArrayBuffer(8));
        ack.setFloat64(0, rawReceived);
        ch.send(ack.buffer);
        nextAck += partition;
      }
    };
  },
  rawReceived: () => rawReceived,
  rawClose() {
    channel?.close();
    pc?.close();
  },
};

(window as unknown as { bench: typeof bench }).bench = bench;
