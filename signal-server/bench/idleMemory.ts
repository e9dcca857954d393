/**
 * Where an idle joined connection's memory goes: the real server in this process (run with
 * --expose-gc), idle pairs joined by forked load processes in steps, and after each step a full
 * GC and process.memoryUsage() / V8 heap statistics, per connection added. With --snapshot, the
 * heap objects that grew with the connections, by constructor (count and bytes per connection).
 *
 *   node --expose-gc --import tsx signal-server/bench/idleMemory.ts --step 5000 --steps 3 [--snapshot]
 */
import { getHeapSnapshot, getHeapStatistics } from 'node:v8';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { sleep } from '@peerboard/bench-kit';
import { defaultConfig } from '../src/config';
import { startServer } from '../src/server';
import { forkLoad, type LoadProcess } from './lib/loadRunner';
import { loopbackSources } from './lib/loopbackSources';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { values: v } = parseArgs({
  options: {
    step: { type: 'string', default: '5000' },
    steps: { type: 'string', default: '3' },
    snapshot: { type: 'boolean', default: false },
  },
});
const step = 2 * Math.floor(Number(v.step) / 2);
const steps = Number(v.steps);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');

interface Sample {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  mallocked: number;
}
async function sample(): Promise<Sample> {
  for (let i = 0; i < 3; i++) {
    gc!();
    await sleep(100);
  }
  const m = process.memoryUsage();
  const h = getHeapStatistics();
  return { ...m, mallocked: h.malloced_memory };
}

/** Self size and count per constructor name in a heap snapshot. */
async function heapByConstructor(): Promise<Map<string, { count: number; bytes: number }>> {
  let text = '';
  for await (const chunk of getHeapSnapshot()) text += chunk;
  const snap = JSON.parse(text) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const out = new Map<string, { count: number; bytes: number }>();
  for (let i = 0; i < snap.nodes.length; i += fields.length) {
    const type = types[snap.nodes[i + typeAt!]!]!;
    const name = `${type}:${type === 'string' ? '' : snap.strings[snap.nodes[i + nameAt!]!]}`;
    const e = out.get(name) ?? { count: 0, bytes: 0 };
    e.count++;
    e.bytes += snap.nodes[i + sizeAt!]!;
    out.set(name, e);
  }
  return out;
}

const config = {
  ...defaultConfig(),
  host: '127.0.0.1',
  port: 0,
  logLevel: 'silent' as const,
  staticDir: '/nonexistent-peerboard-dist',
};
config.limits = { ...config.limits, maxConnections: 1e7, maxRooms: 1e7 };
config.perAddress = { maxConnections: 1e7, maxRooms: 1e7 };
const server = await startServer(config, pino({ level: 'silent' }));
const url = `ws://127.0.0.1:${server.port}/ws`;
const loads: LoadProcess[] = [];
try {
  let prev = await sample();
  let heapPrev = v.snapshot ? await heapByConstructor() : null;
  const kib = (b: number) => (b / 1024).toFixed(3);
  console.log(
    'connections | KiB per connection added: rss heapUsed external arrayBuffers malloced',
  );
  for (let s = 1; s <= steps; s++) {
    const load = forkLoad(
      {
        mode: 'idle',
        url,
        pairs: step / 2,
        roomPrefix: `idle-${s}`,
        localAddresses: loopbackSources(s - 1, 4),
      },
      ROOT,
    );
    loads.push(load);
    await load.ready;
    const now = await sample();
    const d = (k: keyof Sample) => kib((now[k] - prev[k]) / step);
    console.log(
      `${s * step} | ${d('rss')} ${d('heapUsed')} ${d('external')} ${d('arrayBuffers')} ${d('mallocked')}`,
    );
    prev = now;
    if (heapPrev !== null) {
      const heapNow = await heapByConstructor();
      const grown = [...heapNow]
        .map(([name, e]) => {
          const before = heapPrev!.get(name) ?? { count: 0, bytes: 0 };
          return {
            name,
            count: (e.count - before.count) / step,
            bytes: (e.bytes - before.bytes) / step,
          };
        })
        .filter((g) => g.bytes >= 4)
        .sort((a, b) => b.bytes - a.bytes)
        .slice(0, 25);
      for (const g of grown)
        console.log(
          `    ${g.name.padEnd(48)} ${g.count.toFixed(2)} objects ${g.bytes.toFixed(0)} B`,
        );
      heapPrev = heapNow;
    }
  }
} finally {
  await Promise.all(loads.map((l) => l.finish()));
  await server.close();
}
