import { describe, expect, test } from 'vitest';
import type { BoardElement } from '@peerboard/core/collab';
import { selectionGrouping, selectionStyle, stylePatch } from './styleSelection';

const base = { author: 1, z: 'a0', x: 0, y: 0, colour: '#1e1e1e', strokeWidth: 4 };
const rect: BoardElement = { ...base, id: 'r', type: 'rect', w: 10, h: 10, fill: null };
const filled: BoardElement = { ...rect, id: 'f', fill: '#1e1e1e', fillStyle: 'semi' };
const text: BoardElement = {
  ...base,
  id: 't',
  type: 'text',
  w: 10,
  h: 10,
  text: 'hi',
  fontSize: 28,
};
const stroke: BoardElement = { ...base, id: 's', type: 'stroke', points: [0, 0, 0.5] };
const measure = (t: string, size: number) => ({ w: t.length * size, h: size });

describe('style buttons on a selection', () => {
  test('colour and width restyle shapes; a width on text is its font size', () => {
    expect(stylePatch(rect, { colour: '#e03131' }, measure)).toEqual({ colour: '#e03131' });
    expect(stylePatch(rect, { strokeWidth: 8 }, measure)).toEqual({ strokeWidth: 8 });
    expect(stylePatch(text, { strokeWidth: 8 }, measure)).toEqual({ fontSize: 44, w: 88, h: 44 });
    expect(stylePatch(stroke, { fill: 'solid' }, measure)).toEqual({});
  });

  test('fill takes the shape colour, follows a recolour, and none clears it', () => {
    expect(stylePatch(rect, { fill: 'solid' }, measure)).toEqual({
      fill: '#1e1e1e',
      fillStyle: 'solid',
    });
    expect(stylePatch(filled, { colour: '#2f9e44' }, measure)).toEqual({
      colour: '#2f9e44',
      fill: '#2f9e44',
      fillStyle: 'semi',
    });
    expect(stylePatch(filled, { fill: 'none' }, measure)).toEqual({
      fill: null,
      fillStyle: 'solid',
    });
    expect(stylePatch(rect, { opacity: 0.5 }, measure)).toEqual({ opacity: 0.5 });
  });

  test('the toolbar shows what the selection shares, nothing where it differs', () => {
    expect(selectionStyle([rect, filled])).toEqual({
      colour: '#1e1e1e',
      strokeWidth: 4,
      opacity: 1,
    });
    expect(selectionStyle([rect])).toMatchObject({ fill: 'none' });
    expect(selectionStyle([filled])).toMatchObject({ fill: 'semi' });
    // text of 28 px is the Medium width (4); strokes have no fill, so it is the rect's
    expect(selectionStyle([text, rect, stroke])).toEqual({
      colour: '#1e1e1e',
      strokeWidth: 4,
      fill: 'none',
      opacity: 1,
    });
    expect(selectionStyle([rect, { ...stroke, colour: '#e03131' }]).colour).toBeUndefined();
    expect(selectionStyle([])).toEqual({});
  });
});

describe('the selection and groups (what Group and Ungroup offer)', () => {
  test('loose elements: nothing to ungroup; one whole group: nothing to group; else both', () => {
    const inA = (id: string): BoardElement => ({ ...rect, id, group: 'A' });
    expect(selectionGrouping([rect])).toBe('none');
    expect(selectionGrouping([rect, stroke])).toBe('none');
    expect(selectionGrouping([inA('1'), inA('2')])).toBe('whole');
    expect(selectionGrouping([inA('1'), rect])).toBe('some');
    expect(selectionGrouping([inA('1'), { ...rect, id: '3', group: 'B' }])).toBe('some');
    expect(selectionGrouping([])).toBe('none');
  });
});
