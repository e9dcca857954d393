import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { FIRST_SCREEN_MAX_BYTES, FIRST_SCREEN_MAX_ELEMENTS } from '@peerboard/protocol';
import { addElements, elementsMap, readBoard, type ElementDraft } from './boardModel';
import { FIRST_SCREEN_MESSAGE, makeFirstScreen, type WorldRect } from './firstScreen';

const VIEW: WorldRect = { minX: 0, minY: 0, maxX: 1000, maxY: 1000 };

const box = (x: number, y: number): ElementDraft => ({
  type: 'rect',
  x,
  y,
  w: 4,
  h: 4,
  fill: null,
  colour: '#1e1e1e',
  strokeWidth: 2,
});

/** What a peer holding `doc` answers to a joiner asking for `view`: the elements it sent. */
function answer(doc: Y.Doc, view: WorldRect | null, raw?: Uint8Array): Y.Doc | null {
  let request = raw;
  if (!request) {
    const joiner = makeFirstScreen(new Y.Doc());
    joiner.setView(view);
    request = joiner.ask('joiner', false) ?? undefined;
    if (!request) throw new Error('no request');
  }
  const message = makeFirstScreen(doc).answer('joiner', decoding.createDecoder(request));
  if (!message) return null;
  expect(message.length).toBeLessThanOrEqual(FIRST_SCREEN_MAX_BYTES + 8);
  const d = decoding.createDecoder(message);
  expect(decoding.readVarUint(d)).toBe(FIRST_SCREEN_MESSAGE);
  const update = decoding.readVarUint8Array(d);
  expect(update.length).toBeLessThanOrEqual(FIRST_SCREEN_MAX_BYTES);
  const out = new Y.Doc();
  Y.applyUpdate(out, update);
  return out;
}

const centreDistance = (x: number, y: number) => Math.hypot(x + 2 - 500, y + 2 - 500);

describe('first screen: what the answering peer sends', () => {
  it('keeps the FIRST_SCREEN_MAX_ELEMENTS elements nearest the view centre, in that order', () => {
    const doc = new Y.Doc();
    const drafts: ElementDraft[] = [];
    // a spiral-ish spread over the view (2,500 in view) and 100 outside it
    for (let i = 0; i < 2500; i++) drafts.push(box((i * 37) % 996, (i * 91) % 996));
    for (let i = 0; i < 100; i++) drafts.push(box(2000 + i * 10, 50));
    addElements(doc, drafts);
    const sent = answer(doc, VIEW)!;
    const ids = [...elementsMap(sent).keys()];
    expect(ids).toHaveLength(FIRST_SCREEN_MAX_ELEMENTS);
    const byId = new Map(readBoard(doc).map((e) => [e.id, e]));
    const d = ids.map((id) => centreDistance(byId.get(id)!.x, byId.get(id)!.y));
    // nearest first, and nothing left out was nearer than what was kept
    expect(d).toEqual([...d].sort((a, b) => a - b));
    const kept = new Set(ids);
    const left = readBoard(doc).filter((e) => !kept.has(e.id) && e.x < 1000);
    expect(left).toHaveLength(500);
    for (const e of left) expect(centreDistance(e.x, e.y)).toBeGreaterThanOrEqual(d.at(-1)!);
  });

  it('stays under FIRST_SCREEN_MAX_BYTES with big strokes, keeping as many as fit', () => {
    const doc = new Y.Doc();
    const points: number[] = [];
    for (let i = 0; i < 20_000; i++) points.push((i * 13) % 900, (i * 7) % 900, 0.5);
    const stroke: ElementDraft = {
      type: 'stroke',
      x: 10,
      y: 10,
      points,
      colour: '#1e1e1e',
      strokeWidth: 2,
    };
    addElements(
      doc,
      Array.from({ length: 10 }, () => stroke),
    );
    const sent = answer(doc, VIEW)!;
    expect(elementsMap(sent).size).toBeGreaterThan(0);
    expect(elementsMap(sent).size).toBeLessThan(10);
  });

  it('sends nothing when nothing is in view, and refuses a view no board shows', () => {
    const doc = new Y.Doc();
    addElements(doc, [box(5000, 5000)]);
    expect(answer(doc, VIEW)).toBeNull();
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 0x46);
    for (const n of [0, 0, Number.NaN, 10]) encoding.writeFloat64(e, n);
    expect(() => answer(doc, null, encoding.toUint8Array(e))).toThrow(/not a view/);
  });

  it('is not asked for by a board that has elements or has synced, nor twice on a link', () => {
    const doc = new Y.Doc();
    const screen = makeFirstScreen(doc);
    expect(screen.ask('a', false)).toBeNull(); // no view yet
    screen.setView(VIEW);
    expect(screen.ask('a', true)).toBeNull();
    expect(screen.ask('a', false)).not.toBeNull();
    expect(screen.ask('a', false)).toBeNull();
    addElements(doc, [box(1, 1)]);
    expect(screen.ask('b', false)).toBeNull();
  });
});
