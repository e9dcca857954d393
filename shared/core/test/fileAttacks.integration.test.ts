/**
 * A malicious peer against file transfer, with the real relay and real WebRTC peers
 * (@roamhq/wrtc): the attacker is a raw mesh peer that writes whatever file_control frames it
 * likes. It announces `have` for a file and never serves it; it offers files nobody accepts with
 * sizes meant to make the receiver allocate; it offers a file whose name hides its extension
 * behind a right-to-left override. Each time it fails.
 */
import { createHash, randomFillSync } from 'node:crypto';
import { FILE_MAX_BLOCKS, FILE_MAX_BYTES } from '@peerboard/protocol';
import type { WireFrame } from '@peerboard/protocol/wire';
import { describe, expect, it, vi } from 'vitest';
import { bytesSource, makeTransfers, type Transfers } from '../src/transfer';
import { newTransferId } from '../src/transfer/messages';
import { rawPeer, type RawPeer } from './kit/rawPeer';
import { joinRoom, type TestPeer } from './kit/relay';
import { useRelayRoom } from './kit/relayRoom';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const MiB = 1024 * 1024;

interface FilePeer extends TestPeer {
  files: Transfers;
}

const { startRoom, defer } = useRelayRoom('file-attack');

async function setup(names: string[]) {
  const { relay, roomId } = await startRoom();
  const honest: FilePeer[] = names.map((name) => {
    const p = joinRoom(relay.url, roomId, name);
    // small blocks: a 2 MiB file has 32, more than the offerer's share of the window
    const files = makeTransfers({
      room: p.room,
      blockChunks: 4,
      log: (m) => p.logs.push(`files: ${m}`),
    });
    defer(() => {
      files.destroy();
      p.room.destroy();
    });
    return { ...p, files };
  });
  const evil: RawPeer = rawPeer(relay.url, roomId, 'evil');
  defer(() => evil.destroy());
  await vi.waitFor(
    () => {
      for (const p of honest) {
        expect(p.room.openPeers()).toHaveLength(honest.length);
        expect(evil.mesh.link(p.room.clientId)?.isOpen()).toBe(true);
      }
    },
    { timeout: 30_000, interval: 50 },
  );
  return { honest, evil };
}

const control = (msg: Record<string, unknown>): WireFrame => ({
  type: 'file_control',
  msg: msg as never,
});
const offer = (fields: Record<string, unknown>) =>
  control({
    type: 'offer',
    id: newTransferId(),
    name: 'x.bin',
    mime: '',
    chunk: 16 * 1024,
    block: 64,
    sha256: null,
    ...fields,
  });

/**
 * Frames from one peer arrive in order: once a frame the victim always logs has been logged,
 * every frame sent before it was handled.
 */
async function flushed(evil: RawPeer, victim: FilePeer, tag: string) {
  const id = newTransferId();
  evil.send(victim.room.clientId, control({ type: 'ack', id, upto: 0 }));
  await vi.waitFor(
    () => expect(victim.logs.some((l) => l.includes(id) || l.includes(tag))).toBe(true),
    {
      timeout: 10_000,
    },
  );
}

describe('a malicious peer against file transfer', () => {
  it('a fake holder that announces `have` and never serves is dropped; the download completes', async () => {
    const {
      honest: [sender, receiver],
      evil,
    } = await setup(['sender', 'receiver']);
    const data = randomFillSync(new Uint8Array(2 * MiB));
    const id = sender!.files.offer(bytesSource(data, 'honest.bin'));
    await vi.waitFor(() => expect(receiver!.files.get(id)?.sha256).toMatch(/^[0-9a-f]{64}$/), {
      timeout: 20_000,
    });
    // the attacker claims to hold the file; the frame after it shows it was handled
    evil.send(receiver!.room.clientId, control({ type: 'have', id }));
    await flushed(evil, receiver!, 'ack for an unknown transfer');
    await receiver!.files.accept(id);
    await vi.waitFor(() => expect(receiver!.files.get(id)?.state).toBe('done'), {
      timeout: 30_000,
      interval: 50,
    });
    // the attacker really was asked for blocks (so the stall was real) and then dropped
    const wants = evil.frames.filter(
      (f) => f.frame.type === 'file_control' && f.frame.msg.type === 'want',
    );
    expect(wants.length).toBeGreaterThan(0);
    expect(receiver!.logs.join('\n')).toContain(`not using ${evil.clientId} any more: stalled`);
    const blob = await receiver!.files.received(id)!.blob();
    const got = new Uint8Array(await blob!.arrayBuffer());
    expect(sha(got)).toBe(sha(data));
    expect(receiver!.files.get(id)?.sha256).toBe(sha(data));
  });

  it('offers nobody accepted allocate nothing; an offer of 2^40 bytes in tiny blocks is refused with a reason', async () => {
    const {
      honest: [victim],
      evil,
    } = await setup(['victim']);
    const to = victim!.room.clientId;
    const before = process.memoryUsage().arrayBuffers;
    // the largest offers the validator lets through: ~2^20 blocks each (a 32 MiB hash table
    // apiece if it were allocated on arrival)
    for (let i = 0; i < 20; i++)
      expect(evil.send(to, offer({ size: FILE_MAX_BYTES, name: `big-${i}.bin` }))).toBe(true);
    const tiny = offer({ size: FILE_MAX_BYTES, chunk: 1024, block: 1, name: 'tiny-blocks.bin' });
    expect(evil.send(to, tiny)).toBe(true);
    await flushed(evil, victim!, 'ack for an unknown transfer');
    expect(victim!.files.list().filter((t) => t.state === 'offered')).toHaveLength(20);
    const grown = process.memoryUsage().arrayBuffers - before;
    expect(grown).toBeLessThan(16 * MiB);
    const logs = victim!.logs.join('\n');
    expect(logs).toContain(`more than ${FILE_MAX_BLOCKS} blocks`);
    expect(logs).not.toContain('threw');
    // accepting one now is refused in plain words (it cannot fit in memory), not a crash
    const first = victim!.files.list()[0]!;
    await expect(victim!.files.accept(first.id)).rejects.toThrow(/larger than/);
  });

  it('a file name with a right-to-left override is shown without it', async () => {
    const {
      honest: [victim],
      evil,
    } = await setup(['victim']);
    const frame = offer({ size: 10, name: 'invoice_\u202efdp.exe' });
    const id = (frame as unknown as { msg: { id: string } }).msg.id;
    expect(evil.send(victim!.room.clientId, frame)).toBe(true);
    await vi.waitFor(() => expect(victim!.files.get(id)?.state).toBe('offered'), {
      timeout: 10_000,
    });
    expect(victim!.files.get(id)!.name).toBe('invoice_fdp.exe');
  });
});
