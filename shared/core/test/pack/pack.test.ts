/**
 * The packages as other apps get them: build @peerboard/protocol, @peerboard/core and
 * @peerboard/yjs, pack them (pnpm pack applies publishConfig: exports point at dist/ and
 * workspace:* becomes a version), install the tarballs with npm into an empty folder and use
 * them from plain Node ESM scripts (the Yjs provider over the real relay, with ws + @roamhq/wrtc
 * from the registry as a newcomer would install them).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRelay, type Relay } from '../kit/relay';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const work = mkdtempSync(path.join(tmpdir(), 'peerboard-pack-'));
const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

// two installed apps (one with @roamhq/wrtc): removing them takes a while on a busy machine
afterAll(() => rm(work, { recursive: true, force: true }), 120_000);

const script = `
import * as Y from 'yjs';
import { makeRoom, makeSession } from '@peerboard/core';
import { addElement, readBoard } from '@peerboard/core/collab';
import { makeTransfers, bytesSource } from '@peerboard/core/transfer';
import { makeChat } from '@peerboard/core/chat';
import { makeCall } from '@peerboard/core/call';
import { deriveRoomId, newRoomSecret } from '@peerboard/core/secret';
import { parseWireFrame, encodeWireFrame } from '@peerboard/protocol/wire';
const doc = new Y.Doc();
const added = addElement(doc, { type: 'rect', x: 1, y: 2, w: 3, h: 4, colour: '#112233', strokeWidth: 2, fill: null });
const frame = parseWireFrame(encodeWireFrame({ type: 'ping', seq: 7, t: 1 }));
const secret = newRoomSecret();
console.log(JSON.stringify({
  factories: [makeRoom, makeSession, makeTransfers, makeChat, makeCall, bytesSource].map((f) => typeof f),
  added: added.ok,
  board: readBoard(doc).length,
  ping: frame.ok && frame.value.type,
  roomId: (await deriveRoomId(secret)).length,
}));
`;

// two Y.Docs in one process, each with its own provider (so its own peer): B gets A's text
const yjsScript = `
import * as Y from 'yjs';
import WebSocket from 'ws';
import wrtc from '@roamhq/wrtc';
import { PeerboardProvider } from '@peerboard/yjs';
const [signaling, room] = process.argv.slice(2);
const open = (doc) => new PeerboardProvider(room, doc, { signaling, WebSocket, wrtc, log: () => {} });
const a = new Y.Doc();
const b = new Y.Doc();
const pa = open(a);
const pb = open(b);
a.getText('t').insert(0, 'hello from a packed provider');
const got = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error('no sync in 30 s')), 30_000);
  const check = () => {
    if (b.getText('t').toString() === '') return;
    clearTimeout(timer);
    resolve(b.getText('t').toString());
  };
  b.on('update', check);
  check();
});
pa.destroy();
pb.destroy();
console.log(JSON.stringify({ got }));
process.exit(0);
`;

const tarballs = () => readdirSync(work).filter((f) => f.endsWith('.tgz'));

beforeAll(() => {
  for (const pkg of ['protocol', 'core', 'yjs']) {
    const dir = path.join(root, 'shared', pkg);
    run('npx', ['-y', 'pnpm@10', 'run', 'build'], dir);
    run('npx', ['-y', 'pnpm@10', 'pack', '--pack-destination', work], dir);
  }
}, 900_000);

describe('@peerboard/core as a package', () => {
  it('packs, installs into an empty folder and runs from a plain Node ESM script', () => {
    expect(tarballs().sort()).toEqual([
      'peerboard-core-0.1.0.tgz',
      'peerboard-protocol-0.1.0.tgz',
      'peerboard-yjs-0.1.0.tgz',
    ]);
    const engine = tarballs().filter((t) => !t.includes('yjs'));
    const app = path.join(work, 'app');
    run('mkdir', ['-p', app], work);
    writeFileSync(
      path.join(app, 'package.json'),
      '{ "name": "app", "private": true, "type": "module" }',
    );
    writeFileSync(path.join(app, 'main.js'), script);
    run('npm', ['install', '--no-audit', '--no-fund', ...engine.map((t) => `../${t}`)], app);
    const out = JSON.parse(run('node', ['main.js'], app)) as Record<string, unknown>;
    expect(out).toEqual({
      factories: Array(6).fill('function'),
      added: true,
      board: 1,
      ping: 'ping',
      roomId: 43,
    });
  });
});

describe('@peerboard/yjs as a package', () => {
  let relay: Relay;
  beforeAll(async () => {
    relay = await startRelay();
  });
  afterAll(() => relay.close());

  it('installs beside yjs, ws and @roamhq/wrtc from the registry and syncs two docs over the relay', () => {
    const app = path.join(work, 'yjs-app');
    run('mkdir', ['-p', app], work);
    writeFileSync(
      path.join(app, 'package.json'),
      '{ "name": "yjs-app", "private": true, "type": "module" }',
    );
    writeFileSync(path.join(app, 'main.js'), yjsScript);
    run(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        ...tarballs().map((t) => `../${t}`),
        'yjs',
        'ws',
        '@roamhq/wrtc',
      ],
      app,
    );
    const out = JSON.parse(run('node', ['main.js', relay.url, 'packed-yjs'], app)) as unknown;
    expect(out).toEqual({ got: 'hello from a packed provider' });
  });
});
