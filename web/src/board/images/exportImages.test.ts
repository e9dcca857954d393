import { SaxesParser } from 'saxes';
import { describe, expect, test } from 'vitest';
import type { BoardElement } from '@peerboard/core/collab';
import { boardToSvg } from '../exportBoard';

const SHA = 'ab'.repeat(32);
const image: BoardElement = {
  id: 'i',
  author: 1,
  z: 'a0',
  type: 'image',
  x: 10,
  y: 20,
  w: 300,
  h: 200,
  colour: '#000000',
  strokeWidth: 1,
  sha256: SHA,
  mime: 'image/png',
  naturalW: 600,
  naturalH: 400,
};
const bytes = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

const wellFormed = (xml: string): void => {
  const parser = new SaxesParser();
  parser.on('error', (e) => {
    throw e;
  });
  parser.write(xml).close();
};

describe('SVG export of images', () => {
  test('an image whose bytes are here is embedded as a data URI of its raster type', () => {
    const svg = boardToSvg([image], (sha) => (sha === SHA ? bytes : null));
    wellFormed(svg);
    expect(svg).toContain(
      `<image x="10" y="20" width="300" height="200" preserveAspectRatio="none" href="data:image/png;base64,${Buffer.from(bytes).toString('base64')}"/>`,
    );
  });

  test('one whose bytes are not here is a grey box, never an empty reference', () => {
    const svg = boardToSvg([image], () => null);
    wellFormed(svg);
    expect(svg).not.toContain('<image');
    expect(svg).toContain('<rect x="10" y="20" width="300" height="200" fill="#e6e8ee"/>');
  });
});
