/**
 * The engine as other apps get it: build @peerboard/protocol and @peerboard/core, pack them
 * (pnpm pack applies publishConfig: exports point at dist/ and workspace:* becomes a version),
 * install both tarballs with npm into an empty folder and use them from a plain Node ESM script.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const work = mkdtempSync(path.join(tmpdir(), 'peerboard-pack-'));
const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

afterAll(() => rmSync(work, { recursive: true, force: true }));

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

describe('@peerboard/core as a package', () => {
  it('packs, installs into an empty folder and runs from a plain Node ESM script', () => {
    for (const pkg of ['protocol', 'core']) {
      const dir = path.join(root, 'shared', pkg);
      run('npx', ['-y', 'pnpm@10', 'run', 'build'], dir);
      run('npx', ['-y', 'pnpm@10', 'pack', '--pack-destination', work], dir);
    }
    const tarballs = readdirSync(work).filter((f) => f.endsWith('.tgz'));
    expect(tarballs.sort()).toEqual(['peerboard-core-0.1.0.tgz', 'peerboard-protocol-0.1.0.tgz']);
    const app = path.join(work, 'app');
    run('mkdir', ['-p', app], work);
    writeFileSync(path.join(app, 'package.json'), '{ "name": "app", "private": true, "type": "module" }');
    writeFileSync(path.join(app, 'main.js'), script);
    run('npm', ['install', '--no-audit', '--no-fund', ...tarballs.map((t) => `../${t}`)], app);
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
