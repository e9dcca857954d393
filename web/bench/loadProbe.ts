/**
 * Node probe of a board load (not part of `pnpm bench`): the app's apply path for a peer's
 * SyncStep2 (one-decode schema check, observeBoard's readElement per element, the renderer's
 * scene + grid index) against `Y.applyUpdate` of the same update alone, in CPU time.
 *
 *   node --import tsx web/bench/loadProbe.ts [--strokes 10000] [--runs 7] [--base DIR]
 *
 * `--base DIR`: a checkout of another commit (with its node_modules) whose collab code and scene
 * are loaded into the same process and run interleaved with this one, round by round in turns:
 * on a shared, loaded machine the per-round ratio (this / base) is far steadier than two
 * processes run one after the other. Add `--cpu-prof` to node to profile.
 */
import path from 'node:path';
import * as Y from 'yjs';
import * as collab from '@peerboard/core/collab';
import { makeScene } from '../src/board/render/scene';
import { boardUpdate } from '../../shared/core/test/kit/syntheticBoard';
import { options, positiveInt } from './args';

/**
 * CPU time of this process (all its threads: the collector's helpers too), in ms. Wall time on
 * a machine shared with other jobs measures them as much as the code; CPU time much less so.
 */
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const o = options(process.argv.slice(2), { strokes: '10000', runs: '7', base: '' });
const strokes = positiveInt('strokes', o.strokes);
const runs = positiveInt('runs', o.runs);
const update = boardUpdate(strokes);

type Collab = Pick<typeof collab, 'applyRecorded' | 'checkDocUpdate' | 'observeBoard'>;
interface Code {
  name: string;
  collab: Collab;
  makeScene: typeof makeScene;
}

/** with node --expose-gc: a full collection before each timed step, so no step pays for garbage
 * an earlier one left (the figures then vary far less from run to run) */
const settle = (): void => (globalThis as { gc?: () => void }).gc?.();

function appPath(code: Code): number {
  const doc = new Y.Doc();
  const scene = code.makeScene();
  code.collab.observeBoard(doc, (change) => scene.apply(change));
  const structs = code.collab.checkDocUpdate.structs!;
  settle();
  const t = cpuMs();
  code.collab.applyRecorded(doc, update, 'peer', {
    root: structs.root,
    onRead: (records) => {
      const r = structs.check(doc, records, update.length);
      if (!r.ok) throw new Error(r.message);
    },
  });
  const ms = cpuMs() - t;
  if (scene.size !== strokes) throw new Error(`${code.name}: scene has ${scene.size}`);
  return ms;
}

function alone(): number {
  settle();
  const t = cpuMs();
  Y.applyUpdate(new Y.Doc(), update);
  return cpuMs() - t;
}

const codes: Code[] = [{ name: 'this', collab, makeScene }];
if (o.base) {
  const dir = path.resolve(o.base);
  codes.push({
    name: 'base',
    collab: (await import(path.join(dir, 'shared/core/src/collab/index.ts'))) as Collab,
    makeScene: (
      (await import(path.join(dir, 'web/src/board/render/scene.ts'))) as {
        makeScene: typeof makeScene;
      }
    ).makeScene,
  });
}

const times = new Map<string, number[]>([
  ['Y.applyUpdate', []],
  ...codes.map((c): [string, number[]] => [c.name, []]),
]);
for (let i = 0; i < runs; i++) {
  // the order turns each round, so neither code always runs right after the other's garbage
  const order = i % 2 === 0 ? codes : [...codes].reverse();
  times.get('Y.applyUpdate')!.push(alone());
  for (const c of order) times.get(c.name)!.push(appPath(c));
}
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const ref = times.get('Y.applyUpdate')!;
console.log(
  `${strokes} strokes, ${(update.length / 1e6).toFixed(2)} MB, ${runs} rounds (CPU ms of the process):`,
);
for (const [name, xs] of times) {
  const perRound = xs.map((x, i) => x / ref[i]!);
  console.log(
    `${name.padEnd(14)} min ${Math.min(...xs).toFixed(0)} median ${med(xs).toFixed(0)}; ` +
      `/ Y.applyUpdate same round: median ${med(perRound).toFixed(2)}x`,
  );
}
if (o.base) {
  const a = times.get('this')!;
  const b = times.get('base')!;
  const ratio = a.map((x, i) => x / b[i]!);
  console.log(
    `this / base, same round: median ${med(ratio).toFixed(2)}x (${ratio.map((r) => r.toFixed(2)).join(' ')})`,
  );
}
