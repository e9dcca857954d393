/**
 * `peerboard send` -> `peerboard receive` throughput (issue 16), beside a same-run raw figure.
 *
 * - raw: two @roamhq/wrtc peer connections in this process, candidates handed over directly,
 *   one ordered data channel blasting the same number of bytes in 64 KiB messages (bufferedAmount
 *   kept under 1 MiB): what WebRTC in Node does with nothing on top.
 * - cli: the compiled dist/cli.js, `serve` as the relay, `receive --yes` and `send` as two more
 *   processes on the same machine, timed from starting both until the receiver exits (joining,
 *   hashing, the transfer, writing to disk, the receiver's own SHA-256 check and its 1 s of
 *   quiet before exiting). The same run with a 1-byte file gives those fixed costs, so the
 *   "transfer" column is (file - fixed) time: what each extra byte costs.
 *
 * - cli -> chromium (cliChromium.ts): `send` to headless Chromium receiving through the app's
 *   UI, Accept -> verified, beside a raw @roamhq/wrtc -> Chromium data channel of the same run.
 *
 *   pnpm bench cli [--mib 256] [--rounds 2] [--chromium-mib 64] [--skip-chromium] [--skip-cli]
 *   (the chromium row needs the built app: npx -y pnpm@10 --filter @peerboard/web build)
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { createRequire } from 'node:module';
import fs from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { fmt, formatTable, ratio, type Benchmark } from '@peerboard/bench-kit';
import { cliToChromium } from './cliChromium';

const SERVER_DIR = fileURLToPath(new URL('..', import.meta.url));
const CLI = path.join(SERVER_DIR, 'dist', 'cli.js');
const MiB = 1024 * 1024;
const require = createRequire(import.meta.url);

/** What we use of @roamhq/wrtc (this package has no DOM types). */
interface Channel {
  readyState: string;
  bufferedAmount: number;
  binaryType: string;
  send(data: Uint8Array): void;
  onopen: (() => void) | null;
  onmessage: ((e: { data: ArrayBuffer }) => void) | null;
}
interface Pc {
  createDataChannel(label: string, o: { ordered: boolean }): Channel;
  createOffer(): Promise<unknown>;
  createAnswer(): Promise<unknown>;
  setLocalDescription(d: unknown): Promise<void>;
  setRemoteDescription(d: unknown): Promise<void>;
  addIceCandidate(c: unknown): Promise<void>;
  localDescription: unknown;
  onicecandidate: ((e: { candidate: unknown }) => void) | null;
  ondatachannel: ((e: { channel: Channel }) => void) | null;
  close(): void;
}
const { RTCPeerConnection } = require('@roamhq/wrtc') as {
  RTCPeerConnection: new (c: { iceServers: [] }) => Pc;
};

/** MB/s of one raw data channel carrying `total` bytes. */
async function rawBlast(total: number): Promise<number> {
  const a = new RTCPeerConnection({ iceServers: [] });
  const b = new RTCPeerConnection({ iceServers: [] });
  a.onicecandidate = (e) => void (e.candidate && b.addIceCandidate(e.candidate).catch(() => {}));
  b.onicecandidate = (e) => void (e.candidate && a.addIceCandidate(e.candidate).catch(() => {}));
  const ca = a.createDataChannel('raw', { ordered: true });
  let got = 0;
  let done: () => void = () => {};
  const received = new Promise<void>((r) => (done = r));
  b.ondatachannel = (e) => {
    e.channel.binaryType = 'arraybuffer';
    e.channel.onmessage = (m) => {
      got += m.data.byteLength;
      if (got >= total) done();
    };
  };
  const open = new Promise<void>((r) => (ca.onopen = r));
  await a.setLocalDescription(await a.createOffer());
  await b.setRemoteDescription(a.localDescription);
  await b.setLocalDescription(await b.createAnswer());
  await a.setRemoteDescription(b.localDescription);
  await open;
  const message = new Uint8Array(64 * 1024);
  randomFillSync(message);
  const t0 = performance.now();
  for (let sent = 0; sent < total; sent += message.length) {
    // @roamhq/wrtc does not fire bufferedamountlow reliably: wait by looking
    while (ca.bufferedAmount > MiB) await new Promise((r) => setTimeout(r, 1));
    ca.send(message.subarray(0, Math.min(message.length, total - sent)));
  }
  await received;
  const seconds = (performance.now() - t0) / 1000;
  a.close();
  b.close();
  return total / 1e6 / seconds;
}

function runCli(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, exited, out: () => out };
}

async function startServe(
  staticDir = '/nonexistent-peerboard-dist',
): Promise<{ child: ChildProcess; port: number }> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const s = runCli(['serve', '--port', String(port), '--host', '127.0.0.1'], {
    LOG_LEVEL: 'info',
    STATIC_DIR: staticDir,
  });
  for (let i = 0; i < 200 && !s.out().includes('"msg":"listening"'); i++)
    await new Promise((r) => setTimeout(r, 50));
  if (!s.out().includes('"msg":"listening"')) throw new Error(`serve did not start: ${s.out()}`);
  return { child: s.child, port };
}

/** Seconds from starting `receive` and `send` until `receive` has exited with everything in. */
async function cliOnce(port: number, file: string, dir: string, room: string): Promise<number> {
  await fs.rm(dir, { recursive: true, force: true });
  const link = `http://127.0.0.1:${port}/r/${room}`;
  const t0 = performance.now();
  const receiver = runCli(['receive', link, '--dir', dir, '--yes']);
  const sender = runCli(['send', file, link]);
  const code = await receiver.exited;
  const seconds = (performance.now() - t0) / 1000;
  const sent = await sender.exited;
  if (code !== 0 || sent !== 0)
    throw new Error(`receive exited ${code}, send ${sent}:\n${receiver.out()}\n${sender.out()}`);
  return seconds;
}

async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      mib: { type: 'string', default: '256' },
      rounds: { type: 'string', default: '2' },
      'chromium-mib': { type: 'string', default: '64' },
      'skip-chromium': { type: 'boolean', default: false },
      'skip-cli': { type: 'boolean', default: false },
    },
  });
  const mib = Number(values.mib);
  const chromiumMib = Number(values['chromium-mib']);
  const rounds = Number(values.rounds);
  execFileSync(
    path.join(SERVER_DIR, 'node_modules/.bin/vite'),
    ['build', '-c', 'vite.cli.config.ts', '--logLevel', 'warn'],
    { cwd: SERVER_DIR, stdio: 'inherit' },
  );
  console.log(
    `load average before: ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}`,
  );
  const tmp = await fs.mkdtemp(path.join(tmpdir(), 'peerboard-cli-bench-'));
  const serve = await startServe();
  try {
    const big = path.join(tmp, 'big.bin');
    const tiny = path.join(tmp, 'tiny.bin');
    const handle = await fs.open(big, 'w');
    const block = new Uint8Array(MiB);
    for (let i = 0; i < mib; i++) await handle.write(randomFillSync(block));
    await handle.close();
    await fs.writeFile(tiny, 'x');
    const rows: (string | number)[][] = [];
    for (let r = 0; r < (values['skip-cli'] ? 0 : rounds); r++) {
      console.log(`round ${r + 1}: raw blast, then the CLI with 1 byte, then with ${mib} MiB`);
      const raw = await rawBlast(mib * MiB);
      const fixed = await cliOnce(serve.port, tiny, path.join(tmp, 'out'), `bench-t${r}`);
      const whole = await cliOnce(serve.port, big, path.join(tmp, 'out'), `bench-b${r}`);
      const mb = (mib * MiB) / 1e6;
      const transfer = mb / Math.max(0.001, whole - fixed);
      console.log(
        `round ${r + 1}: raw ${fmt(raw)} MB/s; cli ${fmt(whole)} s for ${mib} MiB, ${fmt(fixed)} s for 1 byte`,
      );
      rows.push([
        `${r + 1}`,
        fmt(raw),
        fmt(mb / whole),
        fmt(transfer),
        ratio(transfer, raw),
        fmt(fixed),
      ]);
    }
    console.log(
      `load average after: ${loadavg()
        .map((n) => n.toFixed(2))
        .join(' ')}`,
    );
    if (rows.length > 0)
      console.log(
        formatTable(
          [
            'round',
            'raw wrtc MB/s',
            'cli end to end MB/s',
            'cli transfer MB/s',
            'transfer / raw',
            'fixed s (1 byte)',
          ],
          rows,
        ),
      );
    if (!values['skip-chromium']) await chromiumRows(tmp, chromiumMib, rounds);
  } finally {
    serve.child.kill('SIGTERM');
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

async function chromiumRows(tmp: string, mib: number, rounds: number): Promise<void> {
  const file = path.join(tmp, 'for-chromium.bin');
  const handle = await fs.open(file, 'w');
  const block = new Uint8Array(MiB);
  for (let i = 0; i < mib; i++) await handle.write(randomFillSync(block));
  await handle.close();
  const web = await startServe(path.join(SERVER_DIR, '..', 'web', 'dist'));
  try {
    const rows: (string | number)[][] = [];
    for (let r = 0; r < rounds; r++) {
      const got = await cliToChromium({
        origin: `http://127.0.0.1:${web.port}`,
        file,
        runCli: (args) => runCli(args),
      });
      console.log(
        `cli -> chromium round ${r + 1}: raw ${fmt(got.rawMBs)} MB/s, app ${fmt(got.appMBs)} MB/s`,
      );
      rows.push([
        `${r + 1}`,
        fmt(got.rawMBs),
        fmt(got.appMBs),
        ratio(got.appMBs, got.rawMBs),
        fmt(got.endToEndS),
      ]);
    }
    console.log(
      `load average after: ${loadavg()
        .map((n) => n.toFixed(2))
        .join(' ')}`,
    );
    console.log(`\ncli -> chromium, ${mib} MiB (the app's UI, Accept -> verified):`);
    console.log(
      formatTable(
        [
          'round',
          'raw wrtc -> chromium MB/s',
          'cli -> chromium app MB/s',
          'app / raw',
          'send start -> verified s',
        ],
        rows,
      ),
    );
  } finally {
    web.child.kill('SIGTERM');
  }
}

export const cliBenchmark: Benchmark = {
  name: 'cli',
  description:
    'peerboard send -> peerboard receive, and -> Chromium through the app, throughput beside raw ' +
    '@roamhq/wrtc data channels of the same run',
  run,
};
