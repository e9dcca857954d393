/**
 * Document layout reference (part of `pnpm bench board --parts layout`): how long Yjs takes to
 * apply the same board stored three ways. `Y.applyUpdate` pays per Yjs item (issue 14).
 *
 * - a key per field (protocol 1, boards stored before): element id -> Y.Map, one item per
 *   field (~9 per stroke);
 * - base value (the app since protocol 2): element id -> Y.Map holding one `base` value with
 *   all the fields (two items per element: the map and its base); later edits add own keys;
 * - one value per element: element id -> a plain object (one item per element; concurrent
 *   edits of different fields of one element would no longer merge): the floor.
 */
import * as Y from 'yjs';
import { readBoard, storedFields } from '@peerboard/core/collab';
import { fmt, formatTable, summary } from '@peerboard/bench-kit';

type Fields = Record<string, unknown>;

function fieldsOf(update: Uint8Array): [string, Fields][] {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return readBoard(doc).map((el) => [el.id, Object.fromEntries(storedFields(el))]);
}

function encode(fill: (doc: Y.Doc) => void): Uint8Array {
  const doc = new Y.Doc();
  doc.transact(() => fill(doc));
  return Y.encodeStateAsUpdate(doc);
}

function layouts(update: Uint8Array): [string, Uint8Array][] {
  const elements = fieldsOf(update);
  const perField = encode((doc) => {
    const map = doc.getMap<unknown>('elements');
    for (const [id, fields] of elements) {
      const yel = new Y.Map<unknown>();
      for (const [k, v] of Object.entries(fields)) yel.set(k, v);
      map.set(id, yel);
    }
  });
  const oneValue = encode((doc) => {
    const map = doc.getMap<unknown>('elements');
    for (const [id, fields] of elements) map.set(id, fields);
  });
  return [
    ['a key per field (protocol 1)', perField],
    ['base value (the app)', update],
    ['one value per element', oneValue],
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
      ['stored as', 'update MB', 'apply p50 ms', 'min ms', 'vs a key per field'],
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
