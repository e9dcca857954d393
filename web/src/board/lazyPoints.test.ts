/**
 * Strokes loaded from the document decode their points on first use (core lazyStroke.ts). The
 * board must not be able to tell: bounds, the scene's index and hit tests, SVG export and
 * level of detail give the same answers for a stroke read from `pts` as for the same numbers
 * held as a plain array.
 */
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import {
  addElement,
  readBoard,
  readElement,
  type BoardElement,
  type StrokeElement,
} from '@peerboard/core/collab';
import { seededRandom } from '../../../shared/core/test/kit/seededRandom';
import { boardToSvg } from './exportBoard';
import { elementBounds, elementFrame } from './geometry';
import { hitElement, hitElementAlong } from './hitTest';
import { traceThinStroke } from './render/lod';
import { makeScene } from './render/scene';

/** a board of scribbles as a peer's update brings it: every stroke read lazily from `pts` */
function loadedBoard(count: number): StrokeElement[] {
  const r = seededRandom(14);
  const doc = new Y.Doc();
  for (let i = 0; i < count; i++) {
    const points: number[] = [];
    let x = 0;
    let y = 0;
    for (let n = 2 + Math.floor(r() * 40); n > 0; n--) {
      points.push(x, y, 0.25 + r() / 2);
      x += (r() - 0.5) * 30;
      y += (r() - 0.5) * 30;
    }
    const drawn = { x: r() * 2000, y: r() * 1200, colour: '#1e1e1e', strokeWidth: 1 + r() * 6 };
    addElement(doc, { type: 'stroke', ...drawn, points });
  }
  const peer = new Y.Doc();
  Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
  return readBoard(peer).filter((el): el is StrokeElement => el.type === 'stroke');
}

/** the level-of-detail polyline of a stroke, flat [x, y, ...] */
function thinStroke(el: StrokeElement, tol: number): number[] {
  const out: number[] = [];
  const at = (x: number, y: number) => void out.push(x, y);
  traceThinStroke({ moveTo: at, lineTo: at }, el, tol);
  return out;
}

/** the same element with its points as a plain array (how drafts and older boards hold them) */
function eager(el: StrokeElement): StrokeElement {
  const r = readElement({ ...el, points: [...el.points] }, el.id);
  if (!r.ok || r.value.type !== 'stroke') throw new Error('not a stroke');
  expect(Object.getOwnPropertyDescriptor(r.value, 'points')?.get).toBeUndefined();
  return r.value;
}

describe('strokes loaded with undecoded points', () => {
  test('bounds, frames, scene hits and marquee match the same strokes as plain arrays', () => {
    const lazy = loadedBoard(60);
    expect(lazy).toHaveLength(60);
    for (const el of lazy)
      expect(Object.getOwnPropertyDescriptor(el, 'points')?.get).toBeTypeOf('function');
    const lazyScene = makeScene();
    // measured for the index before anything reads a point
    lazyScene.reset(lazy);
    const plain = lazy.map(eager);
    const plainScene = makeScene();
    plainScene.reset(plain);
    for (let i = 0; i < lazy.length; i++) {
      expect(elementBounds(lazy[i]!)).toEqual(elementBounds(plain[i]!));
      expect(elementFrame(lazy[i]!)).toEqual(elementFrame(plain[i]!));
    }
    expect(lazyScene.bounds()).toEqual(plainScene.bounds());
    const r = seededRandom(7);
    let hits = 0;
    for (let i = 0; i < 400; i++) {
      const p = { x: r() * 2100, y: r() * 1300 };
      const ids = (els: BoardElement[]) => els.map((e) => e.id);
      const near = lazyScene.hitAll(p, 6);
      hits += near.length;
      expect(ids(near)).toEqual(ids(plainScene.hitAll(p, 6)));
      expect(lazyScene.hitTop(p, 6)?.id).toBe(plainScene.hitTop(p, 6)?.id);
    }
    expect(hits).toBeGreaterThan(0); // the probe points do land on ink
    const box = { minX: 200, minY: 100, maxX: 1400, maxY: 900 };
    expect(lazyScene.inside(box).map((e) => e.id)).toEqual(plainScene.inside(box).map((e) => e.id));
  });

  test('hit tests along a drag, export and level of detail see the same points', () => {
    const lazy = loadedBoard(25);
    const plain = lazy.map(eager);
    for (let i = 0; i < lazy.length; i++) {
      const [a, b] = [lazy[i]!, plain[i]!];
      const from = { x: a.x - 5, y: a.y - 5 };
      const to = { x: a.x + 20, y: a.y + 12 };
      expect(hitElementAlong(a, from, to, 4)).toBe(hitElementAlong(b, from, to, 4));
      expect(hitElement(a, { x: a.x, y: a.y }, 1)).toBe(true); // its first point is ink
      expect(thinStroke(a, 2)).toEqual(thinStroke(b, 2));
    }
    expect(boardToSvg(loadedBoard(25))).toBe(boardToSvg(plain));
  });
});
