/**
 * The room-level bulk benchmark's two ends, runtime-neutral (Node rooms and the app's room in
 * Chromium, where core-page.ts calls them on `window.__peerboard.room`): the product path,
 * room.send(..., 'bulk') with the default scheduler settings and room.ping().
 *
 * The sender pings every `pingMs` for `idleMs` (idle reference), then keeps pinging while it
 * sends `bytes` of file_data frames, awaiting each send as a transfer does. After the last one a
 * `chat` frame (a wire kind no feature uses yet) marks the end; the channel is ordered, so the
 * receiver's reply says everything arrived and how many bytes it counted.
 */
import type { Room } from '@peerboard/core';
import { sleep, until } from '@peerboard/bench-kit';
import type { SweepResult } from './core-drive';

export interface RoomBulkConfig {
  bytes: number;
  /** file_data payload per frame */
  chunk: number;
  pingMs: number;
  idleMs: number;
}

export interface RoomBulkResult extends SweepResult {
  /** bytes the receiver counted (must equal the bytes sent) */
  received: number;
}

const END = new Uint8Array([0x62, 0x65, 0x6e, 0x64]); // "bend"
const isEnd = (d: Uint8Array) => d.length === END.length && END.every((b, i) => d[i] === b);
const TRANSFER_ID = new Uint8Array(16).fill(9);

export async function runRoomSender(
  room: Room,
  peer: string,
  cfg: RoomBulkConfig,
): Promise<RoomBulkResult> {
  const idleRtt: number[] = [];
  const bulkRtt: number[] = [];
  let phase: 'idle' | 'bulk' = 'idle';
  let outstanding = 0;
  let lost = 0;
  let received = -1;
  let doneAt = 0;
  const off = room.onFrame('chat', (frame, from) => {
    if (from !== peer || frame.data[0] !== 0x7b) return; // '{'
    received = (JSON.parse(new TextDecoder().decode(frame.data)) as { received: number }).received;
    doneAt = performance.now();
  });
  const pinger = setInterval(() => {
    const into = phase === 'idle' ? idleRtt : bulkRtt;
    const t0 = performance.now();
    outstanding++;
    room.ping(peer, 30_000).then(
      () => {
        outstanding--;
        into.push(performance.now() - t0);
      },
      () => {
        outstanding--;
        lost++;
      },
    );
  }, cfg.pingMs);
  try {
    await sleep(cfg.idleMs);
    phase = 'bulk';
    const data = new Uint8Array(cfg.chunk).fill(0x5a);
    const start = performance.now();
    for (let sent = 0, index = 0; sent < cfg.bytes; sent += cfg.chunk, index++)
      await room.send(peer, { type: 'file_data', transferId: TRANSFER_ID, index, data }, 'bulk');
    if (!room.send(peer, { type: 'chat', data: END })) throw new Error('peer closed');
    await until("the receiver's end confirmation", () => doneAt !== 0, 60_000);
    clearInterval(pinger);
    const late = performance.now() + 2_000;
    while (outstanding > 0 && performance.now() < late) await sleep(10);
    return { idleRtt, bulkRtt, lost: lost + outstanding, bulkMs: doneAt - start, received };
  } finally {
    clearInterval(pinger);
    off();
  }
}

/** Counts file_data bytes from anyone and answers the end marker; returns the stop function. */
export function serveRoomReceiver(room: Room): () => void {
  let received = 0;
  const offData = room.onFrame('file_data', (frame) => {
    received += frame.data.length;
  });
  const offEnd = room.onFrame('chat', (frame, from) => {
    if (!isEnd(frame.data)) return;
    const reply = new TextEncoder().encode(JSON.stringify({ received }));
    room.send(from, { type: 'chat', data: reply });
    received = 0;
  });
  return () => {
    offData();
    offEnd();
  };
}
