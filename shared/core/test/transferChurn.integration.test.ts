/**
 * People come and go during a file transfer, over the real relay and real @roamhq/wrtc peers:
 * a receiver that leaves is shown on the sender's row as left at its byte count, with no speed;
 * a sender that leaves is shown as gone on the receiver's row, with no speed, and can be
 * cancelled.
 */
import { randomFillSync } from 'node:crypto';
import { FILE_CHUNK_BYTES } from '@peerboard/protocol';
import { describe, expect, it, vi } from 'vitest';
import { bytesSource } from '../src/transfer';
import { makeGatedSource } from './kit/gatedSource';
import { uniqueRoom } from './kit/relay';
import { meshed, receivedBytes, sha, useFileRelay } from './kit/transferKit';

const KiB = 1024;
/** four blocks of four chunks: the gate holds the transfer at a block boundary */
const HELD = FILE_CHUNK_BYTES * 16;
const net = useFileRelay();
const { leave } = net;
const join = (roomId: string, name: string, sent: number[] = []) =>
  net.join(roomId, name, {
    blockChunks: 4,
    onChunkSent: (_p, _id, index) => void sent.push(index),
  });

/** A offers a file held at `held` bytes; B accepts and holds that much, A has heard so. */
async function heldTransfer(roomId: string, held: number) {
  const a = join(roomId, 'Alice');
  const b = join(roomId, 'Bob');
  await meshed(a, b);
  const data = randomFillSync(new Uint8Array(1024 * KiB));
  const gated = makeGatedSource(data, 'big.bin', held);
  const id = a.files.offer(gated.source);
  await vi.waitFor(() => expect(a.files.get(id)?.state).toBe('offered'), { timeout: 10_000 });
  await vi.waitFor(() => expect(b.files.get(id)?.state).toBe('offered'), { timeout: 10_000 });
  gated.shut();
  await b.files.accept(id);
  await vi.waitFor(() => expect(b.files.get(id)?.bytes).toBe(held), { timeout: 20_000 });
  await vi.waitFor(() => expect(a.files.get(id)?.receivers[0]?.bytes).toBe(held), {
    timeout: 10_000,
  });
  return { a, b, id, gated, data };
}

describe('file transfer while people come and go (real WebRTC)', () => {
  it('a receiver that leaves mid-transfer is shown as left at its byte count, with no speed', async () => {
    const { a, b, id, gated } = await heldTransfer(uniqueRoom('churnrecv'), HELD);
    leave(b);
    await vi.waitFor(() => expect(a.files.get(id)!.receivers[0]?.state).toBe('left'), {
      timeout: 20_000,
    });
    const r = a.files.get(id)!.receivers[0]!;
    expect(r.bytes).toBe(HELD);
    expect(r.speed).toBeNull();
    expect(r.etaSeconds).toBeNull();
    gated.open();
  }, 60_000);

  it('a sender that leaves mid-transfer: the receiver sees it offline, no speed, and can cancel', async () => {
    const { a, b, id, gated } = await heldTransfer(uniqueRoom('churnsend'), HELD);
    leave(a);
    gated.open();
    await vi.waitFor(() => expect(b.files.get(id)!.peerOnline).toBe(false), { timeout: 20_000 });
    const v = b.files.get(id)!;
    expect(v).toMatchObject({ state: 'receiving', bytes: HELD, speed: null });
    expect(v.etaSeconds).toBeNull();
    b.files.cancel(id);
    expect(b.files.get(id)!.state).toBe('cancelled');
  }, 60_000);

  it('a sender who comes back (new session) and shares the same file again: the download continues, nothing held is resent', async () => {
    const roomId = uniqueRoom('churnreshare');
    const { a, b, id, data } = await heldTransfer(roomId, HELD);
    leave(a);
    await vi.waitFor(() => expect(b.files.get(id)!.peerOnline).toBe(false), { timeout: 20_000 });
    const sent: number[] = [];
    const again = join(roomId, 'Alice', sent);
    const id2 = again.files.offer(bytesSource(data, 'big.bin'));
    await vi.waitFor(() => expect(b.files.get(id2)?.state).toBe('done'), { timeout: 60_000 });
    expect(b.files.get(id)).toBeNull();
    expect(b.files.list().map((v) => v.id)).toEqual([id2]);
    const got = await receivedBytes(b, id2);
    expect(sha(got)).toBe(sha(data));
    // the new session sent only what Bob did not hold
    const heldChunks = HELD / FILE_CHUNK_BYTES;
    expect(Math.min(...sent)).toBe(heldChunks);
    expect(new Set(sent).size).toBe(Math.ceil(data.length / FILE_CHUNK_BYTES) - heldChunks);
  }, 90_000);
});
