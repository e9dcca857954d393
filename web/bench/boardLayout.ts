/**
 * Document layout reference (part of `pnpm bench board --parts layout`), not the app's code
 * path: how long Yjs takes to apply the same board stored three ways, to size the one change
 * that could bring a 50,000-stroke load under 1 s (issue 14). `Y.applyUpdate` pays per Yjs
 * item, and the app stores an element as a Y.Map with one item per field (~9 per stroke).
 *
 * - per field (the app today): element id -> Y.Map, one item per field;
 * - one value: element id -> a plain object of the same fields (one item per element; two
 *   people's concurrent edits of different fields of one element would no longer merge);
 * - base + edits: the one-value base, plus a second map keyed `id/field` holding fields changed
 *   after creation (per-field merge kept for edits); here 10% of the elements have two edits.
 */
import * as Y from 'yjs';
import { fmt, formatTable, summary } from '@peerboard/bench-kit';

type Fields = Record<string, unknown>;

function fieldsOf(update: Uint8Array): [string, Fields][] {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  const out: [string, Fields][] = [];
  doc.getMap<Y.Map<unknown>>('elements').forEach((el, id) => out.push([id, el.toJSON()]));
  return out;
}

function encode(fill: (doc: Y.Doc) => void): Uint8Array {
  const doc = new Y.Doc();
  doc.transact(() => fill(doc));
  return Y.encodeStateAsUpdate(doc);
}

function layouts(update: Uint8Array): [string, Uint8Array][] {
  const elements = fieldsOf(update);
  const oneValue = encode((doc) => {
    const map = doc.getMap<unknown>('elements');
    for (const [id, fields] of elements) map.set(id, fields);
  });
  const baseEdits = encode((doc) => {
    const map = doc.getMap<unknown>('elements');
    const edits = doc.getMap<unknown>('edits');
    elements.forEach(([id, fields], i) => {
      map.set(id, fields);
      if (i % 10 !== 0) return;
      edits.set(`${id}/x`, (fields.x as number) + 10);
      edits.set(`${id}/colour`, '#e03131');
    });
  });
  return [
    ['per field (the app today)', update],
    ['one value per element', oneValue],
    ['base + edits (10% edited twice)', baseEdits],
  ];
}

function applyTimes(update: Uint8Array, runs: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const doc = new Y.Doc();
    const t0 = performance.now();
    Y.applyUpdate(doc, update);
    times.push(performance.now() - t0);
    doc.destroy();
  }
  return times;
}

export function boardLayoutReport(update: Uint8Array, strokes: number, runs: number): void {
  const rows = layouts(update);
  // one warm-up each, then the runs interleaved so drift hits every layout alike
  const times = rows.map(([, u]) => (applyTimes(u, 1), [] as number[]));
  for (let r = 0; r < runs; r++) rows.forEach(([, u], i) => times[i]!.push(...applyTimes(u, 1)));
  const base = summary(times[0]!).p50;
  console.log(
    `\ndocument layout reference, ${strokes} strokes, Y.applyUpdate in Node, ${runs} runs:`,
  );
  console.log(
    formatTable(
      ['stored as', 'update MB', 'apply p50 ms', 'min ms', 'vs per field'],
      rows.map(([name, u], i) => {
        const s = summary(times[i]!);
        return [
          name,
          fmt(u.byteLength / 1e6, 2),
          fmt(s.p50, 1),
          fmt(Math.min(...times[i]!), 1),
          `${fmt(s.p50 / base, 2)}x`,
        ];
      }),
    ),
  );
}
