/**
 * A sender's source can stop answering (a picked file on a drive that went away: the read
 * never returns). Over the real relay and real @roamhq/wrtc peers: with two files asked of one
 * sender, the stalled one must not hold back the other, and the stalled one must end in a state
 * the receiver can see instead of "receiving" forever.
 */
import { randomFillSync } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { bytesSource, type FileSource } from '../src/transfer';
import { uniqueRoom } from './kit/relay';
import { meshed, MiB, receivedBytes, sha, useFileRelay } from './kit/transferKit';

const net = useFileRelay();
const join = (roomId: string, name: string) =>
  net.join(roomId, name, { blockChunks: 4, readTimeoutMs: 2000 });

/** Reads normally until `gone()`; from then on every read never settles. */
function vanishingSource(bytes: Uint8Array, name: string) {
  let vanished = false;
  const inner = bytesSource(bytes, name);
  const source: FileSource = {
    ...inner,
    read: (offset, length) =>
      vanished ? new Promise<Uint8Array>(() => {}) : inner.read(offset, length),
  };
  return { source, gone: () => void (vanished = true) };
}

describe('a source whose reads never return (real WebRTC)', () => {
  it('holds back only its own file: the other file to the same peer completes, the stalled one ends failed (not cancelled) with a plain reason', async () => {
    const roomId = uniqueRoom('stalled-source');
    const alice = join(roomId, 'Alice');
    const bob = join(roomId, 'Bob');
    await meshed(alice, bob);
    const stalledBytes = randomFillSync(new Uint8Array(2 * MiB));
    const fineBytes = randomFillSync(new Uint8Array(2 * MiB));
    const stalled = vanishingSource(stalledBytes, 'on-the-usb-stick.bin');
    const stalledId = alice.files.offer(stalled.source);
    const fineId = alice.files.offer(bytesSource(fineBytes, 'local.bin'));
    // both are hashed and announced while the drive is still there
    await vi.waitFor(
      () => {
        expect(bob.files.get(stalledId)?.sha256).toBe(sha(stalledBytes));
        expect(bob.files.get(fineId)?.sha256).toBe(sha(fineBytes));
      },
      { timeout: 20_000 },
    );
    stalled.gone();
    // the stalled file is asked for first, so its requests are ahead of the other file's
    await bob.files.accept(stalledId);
    await bob.files.accept(fineId);

    await vi.waitFor(() => expect(bob.files.get(fineId)?.state).toBe('done'), {
      timeout: 30_000,
    });
    expect(sha(await receivedBytes(bob, fineId))).toBe(sha(fineBytes));

    await vi.waitFor(() => expect(bob.files.get(stalledId)?.state).toBe('failed'), {
      timeout: 30_000,
    });
    expect(bob.files.get(stalledId)?.failure).toBe('unreadable');
    expect(bob.files.get(stalledId)?.error).toBe(
      "The sender's copy could not be read. Ask them to share it again.",
    );
    // the sender sees for whom it failed and why, and serves nothing any more
    await vi.waitFor(() =>
      expect(alice.files.get(stalledId)?.receivers).toContainEqual(
        expect.objectContaining({
          peerId: bob.peer.room.clientId,
          state: 'failed',
          error: 'This file could not be read any more (no data within 2 s).',
        }),
      ),
    );
    expect(alice.files.stats().serving).toBe(0);
  }, 90_000);
});
