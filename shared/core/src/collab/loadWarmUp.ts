/**
 * A small board loaded once, into a document nobody sees, before a big one arrives: the way a
 * peer's board comes in (update gate, schema check, one-decode apply, observeBoard's near-first
 * reading and its drain) runs first on a board the JIT can learn from. On a 10,000-stroke board
 * that way in took ~300-380 ms the first time in a process and ~180-250 the second (Node), and
 * a joiner's first board is always its first time. The app runs this in idle time while it
 * connects: a board cannot arrive before a data channel is open, which takes longer than this.
 */
import * as Y from 'yjs';
import { addElements, type ElementDraft } from './boardModel';
import { observeBoard, READ_FIRST_AT, type BoardChange } from './boardObserver';
import { makeDocUpdates } from './docUpdates';
import { makeUpdateGate } from './updateGate';

/** enough new elements for observeBoard's near-first reading (READ_FIRST_AT) */
export const WARM_UP_ELEMENTS = READ_FIRST_AT + 64;
const COLOURS = ['#1e1e1e', '#e03131', '#1971c2'];

/** a pen's line: 24 points a few pixels apart, as a mouse draws them */
function line(i: number): number[] {
  const points: number[] = [];
  for (let k = 0; k < 24; k++) points.push(k * 3, Math.round(Math.sin(k / 4 + i) * 40) / 4, 0.5);
  return points;
}

/** strokes in rows, with a shape every tenth element (a board is rarely strokes only) */
function drafts(): ElementDraft[] {
  return Array.from({ length: WARM_UP_ELEMENTS }, (_, i): ElementDraft => {
    const x = (i % 24) * 150;
    const y = Math.floor(i / 24) * 100;
    const colour = COLOURS[i % COLOURS.length]!;
    return i % 10 === 9
      ? { type: 'rect', x, y, w: 120, h: 60, colour, strokeWidth: 2, fill: null }
      : { type: 'stroke', x, y, colour, strokeWidth: 2 + (i % 3) * 2, points: line(i) };
  });
}

/**
 * The warm-up board as a peer would send it (the first of two steps, each a task of its own:
 * making it also warms the way a local edit is checked and stored).
 */
export function warmUpUpdate(): Uint8Array {
  const source = new Y.Doc();
  addElements(source, drafts());
  const update = Y.encodeStateAsUpdate(source);
  source.destroy();
  return update;
}

/**
 * Loads `update` (warmUpUpdate's) into a scratch document the way a peer's board comes in;
 * `onChange` gets what observeBoard reports (a renderer warms its own scene with it). Returns
 * how many elements were reported.
 */
export function warmUpBoardLoad(
  update: Uint8Array = warmUpUpdate(),
  onChange: (change: BoardChange) => void = () => {},
): number {
  const doc = new Y.Doc();
  const updates = makeDocUpdates(doc);
  const gate = makeUpdateGate(doc, updates);
  let reported = 0;
  const observer = observeBoard(
    doc,
    (change) => {
      reported += change.added.length;
      onChange(change);
    },
    // about half of the board "in view": both the near-first reading and the drain run
    { readFirst: () => ({ minX: 0, minY: 0, maxX: 1800, maxY: 1200 }) },
  );
  try {
    if (!gate.offer('warm-up', update, true)) throw new Error('the warm-up board was refused');
    observer.drain();
  } finally {
    observer();
    gate.destroy();
    updates.destroy();
    doc.destroy();
  }
  return reported;
}
