import { describe, expect, it } from 'vitest';
import { readElement, type BoardElement } from '@peerboard/core/collab';
import { makeImageBlobs, sha256Hex } from '@peerboard/core/transfer';
import { encodeClipboard, parseClipboard } from '../clipboard';
import {
  clipboardImages,
  CLIPBOARD_IMAGES_MAX_BYTES,
  readClipboardImages,
} from './clipboardImages';

function png(n: number, seed: number): Uint8Array {
  const b = Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) % 251);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return b;
}

async function imageEl(bytes: Uint8Array): Promise<BoardElement> {
  const r = readElement({
    id: 'i',
    type: 'image',
    author: 1,
    z: 'a0',
    x: 0,
    y: 0,
    w: 10,
    h: 10,
    colour: '#000000',
    strokeWidth: 1,
    sha256: await sha256Hex(bytes),
    mime: 'image/png',
    naturalW: 10,
    naturalH: 10,
  });
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

/** the room side of makeImageBlobs, with nobody in it (only add/get are used here) */
const emptyRoom = {
  clientId: 'me',
  onFrame: () => () => {},
  send: () => false,
  broadcast: () => 0,
  on: () => () => {},
  openPeers: () => [],
} as unknown as Parameters<typeof makeImageBlobs>[0]['room'];

describe('image bytes in the board clipboard', () => {
  it('a copy carries the bytes and a paste in another room gets them back', async () => {
    const bytes = png(5000, 1);
    const el = await imageEl(bytes);
    const text = encodeClipboard(
      [el],
      clipboardImages([el], () => bytes),
    );
    const drafts = parseClipboard(text);
    expect(drafts.ok && drafts.value[0]).toMatchObject({
      type: 'image',
      sha256: el.type === 'image' && el.sha256,
    });
    const other = makeImageBlobs({ room: emptyRoom, log: () => {} });
    for (const b of readClipboardImages(text)) await other.add(b);
    expect(other.get(el.type === 'image' ? el.sha256 : '')).toEqual(bytes);
    other.destroy();
  });

  it('bytes listed under another hash are kept under their own only: the element never shows them', async () => {
    const real = png(3000, 2);
    const el = await imageEl(real);
    const forged = png(3000, 3);
    const sha = el.type === 'image' ? el.sha256 : '';
    const text = encodeClipboard([el], { [sha]: Buffer.from(forged).toString('base64') });
    const other = makeImageBlobs({ room: emptyRoom, log: () => {} });
    for (const b of readClipboardImages(text)) await other.add(b);
    expect(other.get(sha)).toBeNull();
    expect(other.get(await sha256Hex(forged))).toEqual(forged);
    other.destroy();
  });

  it('stays within the cap and ignores junk entries', async () => {
    const half = CLIPBOARD_IMAGES_MAX_BYTES / 2;
    const list = [png(half + 10, 4), png(100, 5), png(half, 6)];
    const els = await Promise.all(list.map(imageEl));
    const bySha = new Map(els.map((e, i) => [(e as { sha256: string }).sha256, list[i]!]));
    const map = clipboardImages(els, (sha) => bySha.get(sha) ?? null);
    // the third would pass the cap
    expect(Object.keys(map ?? {})).toEqual(
      els.slice(0, 2).map((e) => (e as { sha256: string }).sha256),
    );
    const junk = JSON.stringify({
      type: 'peerboard/elements',
      version: 1,
      elements: [],
      images: { 'not-a-hash': 'AAAA', ['ab'.repeat(32)]: 42, ['cd'.repeat(32)]: '%%%' },
    });
    expect(readClipboardImages(junk)).toEqual([]);
  }, 30_000);
});
