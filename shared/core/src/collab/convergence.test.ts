/**
 * Seeded property tests: three peers edit concurrently over an in-memory mesh that delivers
 * packets in random order (FIFO per link, like a data channel) and randomly drops links, with
 * a hostile fourth peer injecting garbage and junk doc content. After reconnecting and flushing,
 * all honest docs must be identical.
 */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import {
  addElement,
  clearBoard,
  deleteElements,
  elementsMap,
  readBoard,
  reorderElements,
  updateElement,
  type ElementDraft,
} from './boardModel';
import { makeMemoryNetwork } from '../../test/kit/memoryNetwork';
import { seededRandom } from '../../test/kit/seededRandom';
import { makeTestPeer, type TestPeer } from '../../test/kit/testPeers';
import { makeBoardUndo } from './undo';

const IDS = ['p0', 'p1', 'p2'] as const;
const COLOURS = ['#000000', '#ff0000', '#00ff00', '#0000ff'];

const coord = fc.integer({ min: -1000, max: 1000 });
const peerIx = fc.integer({ min: 0, max: 2 });
const draft: fc.Arbitrary<ElementDraft> = fc.oneof(
  fc.record({
    type: fc.constant('stroke' as const),
    x: coord,
    y: coord,
    points: fc
      .array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 1, maxLength: 10 })
      .map((a) => a.flatMap((v) => [v, -v, 0.5])),
    colour: fc.constantFrom(...COLOURS),
    strokeWidth: fc.integer({ min: 1, max: 10 }),
  }),
  fc.record({
    type: fc.constantFrom('rect' as const, 'ellipse' as const),
    x: coord,
    y: coord,
    w: coord,
    h: coord,
    colour: fc.constantFrom(...COLOURS),
    strokeWidth: fc.integer({ min: 1, max: 10 }),
    fill: fc.constantFrom(null, '#ffffff'),
  }),
  fc.record({
    type: fc.constant('text' as const),
    x: coord,
    y: coord,
    w: coord,
    h: coord,
    text: fc.string({ maxLength: 20 }),
    colour: fc.constantFrom(...COLOURS),
    strokeWidth: fc.constant(1),
    fontSize: fc.integer({ min: 8, max: 40 }),
  }),
);

type Op =
  | { kind: 'add'; peer: number; draft: ElementDraft }
  | { kind: 'move'; peer: number; pick: number; x: number; y: number }
  | { kind: 'recolour'; peer: number; pick: number; colour: string }
  | { kind: 'delete'; peer: number; pick: number }
  | { kind: 'front'; peer: number; pick: number }
  | { kind: 'clear'; peer: number }
  | { kind: 'undo'; peer: number }
  | { kind: 'deliver'; n: number }
  | { kind: 'toggleLink'; a: number; b: number }
  | { kind: 'garbage'; to: number; channel: 'sync' | 'awareness'; bytes: Uint8Array }
  | { kind: 'junkDoc'; to: number; value: unknown };

const honestOp: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('add' as const), peer: peerIx, draft }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('move' as const),
      peer: peerIx,
      pick: fc.nat(),
      x: coord,
      y: coord,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('recolour' as const),
      peer: peerIx,
      pick: fc.nat(),
      colour: fc.constantFrom(...COLOURS),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('delete' as const), peer: peerIx, pick: fc.nat() }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('front' as const), peer: peerIx, pick: fc.nat() }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('clear' as const), peer: peerIx }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('undo' as const), peer: peerIx }) },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('deliver' as const),
      n: fc.integer({ min: 1, max: 30 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('toggleLink' as const), a: peerIx, b: peerIx }),
  },
);

const hostileOp: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('garbage' as const),
    to: peerIx,
    channel: fc.constantFrom('sync' as const, 'awareness' as const),
    bytes: fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      // well-formed y-protocols envelope around random bytes: reaches Y.applyUpdate
      fc.tuple(fc.integer({ min: 0, max: 2 }), fc.uint8Array({ maxLength: 200 })).map(([t, p]) => {
        const e = encoding.createEncoder();
        encoding.writeVarUint(e, t);
        encoding.writeVarUint8Array(e, p);
        return encoding.toUint8Array(e);
      }),
    ),
  }),
  fc.record({
    kind: fc.constant('junkDoc' as const),
    to: peerIx,
    value: fc.oneof(fc.jsonValue(), fc.constant(Number.NaN), fc.constant('x'.repeat(100_000))),
  }),
);

const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, val: unknown) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(Object.entries(val).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : val,
  );

let live: { peers: TestPeer[]; evilDoc: Y.Doc } | null = null;
afterEach(() => {
  live?.peers.forEach((p) => p.destroy());
  live?.evilDoc.destroy();
  live = null;
});

function run(ops: Op[], seed: number, antiEntropy: boolean): void {
  const net = makeMemoryNetwork(seededRandom(seed));
  const peers = IDS.map((id) => makeTestPeer(net, id));
  const undos = peers.map((p) => makeBoardUndo(p.doc, { captureTimeoutMs: 0 }));
  const evilDoc = new Y.Doc();
  live = { peers, evilDoc };
  for (let i = 0; i < 3; i++) for (let j = i + 1; j < 3; j++) net.connect(IDS[i]!, IDS[j]!);
  for (const id of IDS) net.connect('evil', id); // evil has no provider: it only injects
  const pickId = (peer: number, pick: number): string | undefined => {
    const ids = Array.from(elementsMap(peers[peer]!.doc).keys()).sort();
    return ids.length ? ids[pick % ids.length] : undefined;
  };

  for (const op of ops) {
    switch (op.kind) {
      case 'add':
        addElement(peers[op.peer]!.doc, op.draft);
        break;
      case 'move': {
        const id = pickId(op.peer, op.pick);
        if (id) updateElement(peers[op.peer]!.doc, id, { x: op.x, y: op.y });
        break;
      }
      case 'recolour': {
        const id = pickId(op.peer, op.pick);
        if (id) updateElement(peers[op.peer]!.doc, id, { colour: op.colour });
        break;
      }
      case 'delete': {
        const id = pickId(op.peer, op.pick);
        if (id) deleteElements(peers[op.peer]!.doc, [id]);
        break;
      }
      case 'front': {
        const id = pickId(op.peer, op.pick);
        if (id) reorderElements(peers[op.peer]!.doc, [id], 'front');
        break;
      }
      case 'clear':
        clearBoard(peers[op.peer]!.doc);
        break;
      case 'undo':
        undos[op.peer]!.undo();
        break;
      case 'deliver':
        for (let i = 0; i < op.n; i++) net.deliverOne();
        break;
      case 'toggleLink': {
        if (op.a === op.b) break;
        const [a, b] = [IDS[op.a]!, IDS[op.b]!];
        if (net.transport(a).peers().includes(b)) net.disconnect(a, b);
        else net.connect(a, b);
        break;
      }
      case 'garbage':
        net.inject('evil', IDS[op.to]!, op.channel, op.bytes);
        break;
      case 'junkDoc': {
        // a valid Yjs update with hostile content, sent to one peer only (equivocation)
        const before = Y.encodeStateVector(evilDoc);
        evilDoc.transact(() => {
          const m = elementsMap(evilDoc);
          m.set(`junk${m.size}`, op.value);
          const fake = new Y.Map<unknown>();
          m.set(`fake${m.size}`, fake);
          fake.set('type', 'rect');
          fake.set('x', op.value);
        });
        const e = encoding.createEncoder();
        syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(evilDoc, before));
        net.inject('evil', IDS[op.to]!, 'sync', encoding.toUint8Array(e));
        break;
      }
    }
    for (const p of peers) readBoard(p.doc); // rendering mid-way never throws
  }

  for (let i = 0; i < 3; i++) for (let j = i + 1; j < 3; j++) net.connect(IDS[i]!, IDS[j]!);
  net.flush();
  if (antiEntropy) {
    for (const p of peers) p.provider.resync(); // heals a hostile peer's equivocation
    net.flush();
  }

  const boards = peers.map((p) => readBoard(p.doc));
  expect(boards[1]).toEqual(boards[0]);
  expect(boards[2]).toEqual(boards[0]);
  // raw content too (junk included), with keys sorted: map iteration order is local
  const raw = peers.map((p) => canonical(elementsMap(p.doc).toJSON()));
  expect(raw[1]).toEqual(raw[0]);
  expect(raw[2]).toEqual(raw[0]);
  const sv = peers.map((p) => Array.from(Y.encodeStateVector(p.doc)).join());
  expect(sv[1]).toEqual(sv[0]);
  expect(sv[2]).toEqual(sv[0]);
  for (const u of undos) u.destroy();
}

describe('convergence (seeded property tests)', () => {
  it('random concurrent edits delivered in random order converge on 3 peers', () => {
    fc.assert(
      fc.property(fc.array(honestOp, { minLength: 5, maxLength: 120 }), fc.nat(), (ops, seed) => {
        run(ops, seed, false);
        live?.peers.forEach((p) => expect(p.errors).toEqual([]));
      }),
      { seed: 20240917, numRuns: 120 },
    );
  });

  it('a peer sending garbage sync/awareness frames and junk content cannot break the others', () => {
    const ops = fc.array(
      fc.oneof({ weight: 3, arbitrary: honestOp }, { weight: 1, arbitrary: hostileOp }),
      {
        minLength: 5,
        maxLength: 120,
      },
    );
    fc.assert(
      fc.property(ops, fc.nat(), (o, seed) => run(o, seed, true)),
      { seed: 4242, numRuns: 120 },
    );
  });
});
