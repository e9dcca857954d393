/**
 * Board image bytes travel by SHA-256 between real @roamhq/wrtc peers over the real relay: a
 * late joiner gets an image from a peer that did not insert it after the inserter left; a peer
 * answering with other bytes, an SVG (whose hash matches) or an oversized announcement is
 * refused, and the image comes from an honest holder.
 */
import { randomFillSync } from 'node:crypto';
import { FILE_CHUNK_BYTES } from '@peerboard/protocol';
import type { WireFrame } from '@peerboard/protocol/wire';
import { describe, expect, it, vi } from 'vitest';
import { IMAGE_BLOB_MAX_BYTES } from '../src/transfer';
import { rawPeer, type RawPeer } from './kit/rawPeer';
import { uniqueRoom } from './kit/relay';
import { meshed, sha, useFileRelay, type FilePeer } from './kit/transferKit';

/** PNG signature + random body: what the exchange sniffs (it never decodes) */
function fakePng(bytes: number): Uint8Array {
  const b = randomFillSync(new Uint8Array(bytes));
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return b;
}

const net = useFileRelay();
const { leave } = net;
interface ImagePeer extends FilePeer {
  served: string[];
}

function join(roomId: string, name: string): ImagePeer {
  const p = net.join(roomId, name);
  const served: string[] = [];
  // who each image_meta answer went to: the holder that served
  p.peer.room.onFrame('file_control', (frame, from) => {
    if (frame.msg.type === 'image_want') served.push(from);
  });
  return { ...p, served };
}

/** Carol and a raw attacker peer, linked to each other */
async function carolWithAttacker(roomId: string) {
  const carol = join(roomId, 'Carol');
  const evil = rawPeer(net.relay.url, roomId, 'evil');
  net.track(evil);
  const carolId = carol.peer.room.clientId;
  await vi.waitFor(() => expect(evil.mesh.link(carolId)?.isOpen()).toBe(true), {
    timeout: 20_000,
  });
  return { carol, evil, carolId };
}

const control = (msg: Record<string, unknown>): WireFrame => ({
  type: 'file_control',
  msg: msg as never,
});

/** The attacker answers every image_want from `victim` with `answer(sha256)`. */
function answerWants(evil: RawPeer, victim: string, answer: (sha256: string) => void): string[] {
  const asked: string[] = [];
  evil.mesh.on('frame', ({ from, frame }) => {
    if (from !== victim || frame.type !== 'file_control' || frame.msg.type !== 'image_want') return;
    asked.push(String(frame.msg.sha256));
    answer(String(frame.msg.sha256));
  });
  return asked;
}

function sendBytes(
  evil: RawPeer,
  to: string,
  sha256: string,
  bytes: Uint8Array,
  size = bytes.length,
) {
  evil.send(to, control({ type: 'image_meta', sha256, size }));
  const transferId = Buffer.from(sha256.slice(0, 32), 'hex');
  for (let i = 0, off = 0; off < bytes.length; i++, off += FILE_CHUNK_BYTES)
    evil.send(to, {
      type: 'file_data',
      transferId,
      index: i,
      data: bytes.subarray(off, off + FILE_CHUNK_BYTES),
    });
}

describe('board image bytes by hash (real WebRTC)', () => {
  it('a late joiner gets an image from a holder that did not insert it, after the inserter left', async () => {
    const roomId = uniqueRoom('images');
    const alice = join(roomId, 'Alice');
    const bob = join(roomId, 'Bob');
    await meshed(alice, bob);
    const png = fakePng(300 * 1024);
    const added = await alice.files.images.add(png);
    expect(added).toEqual({ ok: true, value: { sha256: sha(png), mime: 'image/png' } });
    bob.files.images.want(sha(png));
    await vi.waitFor(() => expect(bob.files.images.status(sha(png))).toBe('ready'), {
      timeout: 20_000,
    });
    leave(alice);
    await vi.waitFor(() => expect(bob.peer.room.openPeers()).toHaveLength(0), {
      timeout: 20_000,
    });

    const carol = join(roomId, 'Carol');
    carol.files.images.want(sha(png));
    await vi.waitFor(() => expect(carol.files.images.status(sha(png))).toBe('ready'), {
      timeout: 20_000,
    });
    expect(sha(carol.files.images.get(sha(png))!)).toBe(sha(png));
    expect(bob.served).toEqual([carol.peer.room.clientId]);
    // never shown as a file
    expect(carol.files.list()).toEqual([]);
    expect(bob.files.list()).toEqual([]);
  }, 90_000);

  it('bytes that do not match their hash are refused and the image comes from another holder', async () => {
    const roomId = uniqueRoom('images-forged');
    const { carol, evil, carolId } = await carolWithAttacker(roomId);
    const png = fakePng(100 * 1024);
    const asked = answerWants(evil, carolId, (h) =>
      sendBytes(evil, carolId, h, fakePng(png.length)),
    );
    // the attacker is the only peer: it is asked first and its bytes fail the hash
    carol.files.images.want(sha(png));
    await vi.waitFor(
      () =>
        expect(carol.peer.logs.join('\n')).toContain(
          `from ${evil.clientId}: bytes do not match their SHA-256`,
        ),
      { timeout: 20_000 },
    );
    expect(carol.files.images.get(sha(png))).toBeNull();
    await vi.waitFor(() => expect(carol.files.images.status(sha(png))).toBe('missing'), {
      timeout: 20_000,
    });

    const alice = join(roomId, 'Alice');
    await alice.files.images.add(png);
    await vi.waitFor(() => expect(carol.files.images.status(sha(png))).toBe('ready'), {
      timeout: 20_000,
    });
    expect(sha(carol.files.images.get(sha(png))!)).toBe(sha(png));
    expect(asked).toEqual([sha(png)]);
  }, 90_000);

  it('an SVG whose hash matches, and an announcement past the size cap, are refused', async () => {
    const roomId = uniqueRoom('images-svg');
    const { carol, evil, carolId } = await carolWithAttacker(roomId);
    const svg = new TextEncoder().encode(
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    );
    const huge = 'cd'.repeat(32);
    const wants: { sha256: string; max: unknown }[] = [];
    evil.mesh.on('frame', ({ frame }) => {
      if (frame.type === 'file_control' && frame.msg.type === 'image_want')
        wants.push({ sha256: String(frame.msg.sha256), max: frame.msg.max });
    });
    answerWants(evil, carolId, (h) => {
      if (h === sha(svg)) sendBytes(evil, carolId, h, svg);
      else evil.send(carolId, control({ type: 'image_meta', sha256: h, size: 2 ** 40 }));
    });
    carol.files.images.want(sha(svg));
    carol.files.images.want(huge);
    await vi.waitFor(
      () => {
        const logs = carol.peer.logs.join('\n');
        expect(logs).toContain('bytes are not a PNG, JPEG, WebP or GIF image');
        expect(logs).toContain(`announced size ${2 ** 40} is outside 1..${IMAGE_BLOB_MAX_BYTES}`);
      },
      { timeout: 20_000 },
    );
    expect(carol.files.images.get(sha(svg))).toBeNull();
    expect(carol.files.images.get(huge)).toBeNull();
    // the cap travels in the request: a holder never sends more
    expect(wants.map((w) => w.max)).toEqual([IMAGE_BLOB_MAX_BYTES, IMAGE_BLOB_MAX_BYTES]);
    // and our own inserts are held to the same rules
    expect(await carol.files.images.add(svg)).toMatchObject({ ok: false, code: 'ERR_NOT_IMAGE' });
  }, 90_000);
});
