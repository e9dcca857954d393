import { expect, test } from 'vitest';
import type { BoardElement } from '@peerboard/core/collab';
import { inPaintOrder } from './overlay';
import { makeScene } from './scene';

const rectEl = (id: string, z: string): BoardElement => ({
  id,
  author: 1,
  z,
  type: 'rect',
  x: 0,
  y: 0,
  w: 20,
  h: 20,
  fill: '#ffffff',
  colour: '#1e1e1e',
  strokeWidth: 2,
});

test('elements in motion are painted in their current z order, before the scene re-sorts', () => {
  const scene = makeScene();
  scene.apply({ added: [rectEl('a', 'a1'), rectEl('b', 'a2')], updated: [], removed: [] });
  expect(inPaintOrder(['b', 'a', 'gone'], scene).map((e) => e.el.id)).toEqual(['a', 'b']);
  // a peer brings `a` to front while both are dragged; nothing has called scene.ordered() yet
  scene.apply({ added: [], updated: [rectEl('a', 'a3')], removed: [] });
  expect(inPaintOrder(['a', 'b'], scene).map((e) => e.el.id)).toEqual(['b', 'a']);
});
