import { describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { addElement, elementsMap } from './boardModel';
import { makeStep2Cache } from './step2Cache';

const rect = {
  type: 'rect' as const,
  x: 0,
  y: 0,
  w: 10,
  h: 10,
  colour: '#112233',
  strokeWidth: 2,
  fill: null,
};

/** Applies a SyncStep2 message to a fresh doc the way a joiner does. */
function joinWith(message: Uint8Array, into = new Y.Doc()): Y.Doc {
  syncProtocol.readSyncMessage(decoding.createDecoder(message), { length: 0 } as never, into, 'x');
  return into;
}

describe('SyncStep2 cache', () => {
  it('newcomers asking together share one encode; any change is in the next answer', () => {
    const doc = new Y.Doc();
    for (let i = 0; i < 20; i++) addElement(doc, { ...rect, x: i });
    const cache = makeStep2Cache(doc);
    const empty = Y.encodeStateVector(new Y.Doc());
    const first = cache.message(empty);
    const second = cache.message(empty.slice());
    expect(cache.stats()).toEqual({ encodes: 1, reused: 1 });
    expect(elementsMap(joinWith(second)).size).toBe(20);

    // a joiner that already has part of the board gets only the rest (its own encode)
    const partial = joinWith(first);
    addElement(doc, { ...rect, x: 99 });
    const diff = cache.message(Y.encodeStateVector(partial));
    expect(elementsMap(joinWith(diff, partial)).size).toBe(21);
    // the board changed since `first`: the next newcomer gets the change, not the old answer
    expect(elementsMap(joinWith(cache.message(empty))).size).toBe(21);
    expect(cache.stats()).toEqual({ encodes: 3, reused: 1 });
    cache.destroy();
    cache.destroy();
  });
});
