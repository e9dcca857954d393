/**
 * The `peerboard` command end to end: the compiled dist/cli.js in child processes, against the
 * relay started by `peerboard serve` itself, with real WebRTC (@roamhq/wrtc) between the CLI
 * processes and the in-test sessions (@peerboard/core over the same relay).
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { FILE_BLOCK_CHUNKS, FILE_CHUNK_BYTES } from '@peerboard/protocol';
import type { Session } from '@peerboard/core';
import { addElement, readBoard } from '@peerboard/core/collab';
import { newSecretRoom } from '@peerboard/core/secret';
import { bytesSource } from '@peerboard/core/transfer';
import { freePort, quietSession, uniqueRoom } from '../../../shared/core/test/kit/relay';
import { exportBounds } from '../../../web/src/board/exportBoard';
import { buildCli, cli, killClis, type CliRun } from '../kit/cliProcess';

/** bytes in a transfer block: what a resume keeps or fetches again, at least */
const BLOCK = FILE_BLOCK_CHUNKS * FILE_CHUNK_BYTES;

const sha256 = async (file: string) =>
  createHash('sha256')
    .update(await fs.readFile(file))
    .digest('hex');

let relay: CliRun;
let port: number;
let tmp: string;
const sessions: Session[] = [];
const wsUrl = () => `ws://127.0.0.1:${port}/ws`;
const origin = () => `http://127.0.0.1:${port}`;

async function serve(env: Record<string, string> = {}): Promise<{ run: CliRun; port: number }> {
  const p = await freePort();
  const run = cli(['serve', '--port', String(p), '--host', '127.0.0.1'], {
    LOG_LEVEL: 'info',
    STATIC_DIR: '/nonexistent-peerboard-dist',
    ...env,
  });
  await run.printed('"msg":"listening"');
  return { run, port: p };
}

function session(roomId: string, name: string, secret?: string): Session {
  const s = quietSession(wsUrl(), roomId, name, { secret });
  sessions.push(s);
  return s;
}

beforeAll(async () => {
  buildCli();
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'peerboard-cli-'));
  ({ run: relay, port } = await serve());
}, 120_000);

afterEach(() => {
  for (const s of sessions.splice(0)) s.destroy();
});

afterAll(async () => {
  killClis();
  await fs.rm(tmp, { recursive: true, force: true });
  void relay;
});

describe('peerboard send -> peerboard receive', () => {
  it('moves files and a folder (its tree kept) through a protected link, SHA-256 equal on both sides', async () => {
    const { roomId, secret } = await newSecretRoom();
    const link = `${origin()}/r/${roomId}#k=${secret}`;
    const src = path.join(tmp, 'send');
    await fs.mkdir(path.join(src, 'album', 'deep'), { recursive: true });
    const big = path.join(src, 'big.bin');
    await fs.writeFile(big, randomBytes(3 * 1024 * 1024 + 17));
    await fs.writeFile(path.join(src, 'album', 'one.txt'), 'first');
    await fs.writeFile(path.join(src, 'album', 'deep', 'two.txt'), 'second');
    await fs.mkdir(path.join(src, 'album', 'empty'));
    const out = path.join(tmp, 'received');

    const sender = cli(['send', big, path.join(src, 'album'), link]);
    const receiver = cli(['receive', link, '--dir', out, '--yes']);
    expect(await receiver.exited, receiver.stderr()).toBe(0);
    expect(await sender.exited, sender.stderr()).toBe(0);

    expect(await sha256(path.join(out, 'big.bin'))).toBe(await sha256(big));
    // the folder arrives as a folder: its tree kept, the empty directory too
    expect(await fs.readFile(path.join(out, 'album', 'one.txt'), 'utf8')).toBe('first');
    expect(await fs.readFile(path.join(out, 'album', 'deep', 'two.txt'), 'utf8')).toBe('second');
    expect((await fs.readdir(out)).sort()).toEqual(['.peerboard', 'album', 'big.bin']);
    expect((await fs.readdir(path.join(out, 'album'))).sort()).toEqual([
      'deep',
      'empty',
      'one.txt',
    ]);
    expect(await fs.readdir(path.join(out, 'album', 'empty'))).toEqual([]);
    expect(receiver.stdout()).toContain('verified');
    expect(sender.stdout()).toContain('All accepted copies are verified.');
  }, 90_000);
});

describe('an interrupted peerboard receive', () => {
  it('a rerun reopens the part and the sender sends only the blocks that were missing', async () => {
    const roomId = uniqueRoom('resume');
    const link = `${origin()}/r/${roomId}`;
    // killed past 8 blocks: 32 MiB still to come then (seconds here, ~30x the 20 ms poll on a
    // fast idle machine); 96 MiB took ~6 s longer in CI and proved nothing more
    const size = 40 * 1024 * 1024;
    const data = randomBytes(size);
    const out = path.join(tmp, 'resumed');
    const part = path.join(out, 'long.bin.part');
    // the sender is core itself, so the test sees every byte it reads to serve a receiver
    let served = 0;
    const sender = session(roomId, 'sender');
    const id = sender.transfers.offer({
      ...bytesSource(data, 'long.bin'),
      read: async (offset, length) => {
        served += length;
        return data.subarray(offset, offset + length);
      },
    });
    await vi.waitFor(() => expect(sender.transfers.get(id)?.sha256).toMatch(/^[0-9a-f]{64}$/), {
      timeout: 30_000,
    });
    served = 0; // hashing read the file once; from here on, reads are what receivers asked for

    const first = cli(['receive', link, '--dir', out, '--yes']);
    // killed with at least a few blocks on disk, long before the end
    await expect
      .poll(async () => (await fs.stat(part).catch(() => null))?.size ?? 0, {
        timeout: 60_000,
        interval: 20,
      })
      .toBeGreaterThan(8 * BLOCK);
    first.child.kill('SIGKILL');
    await first.exited;
    const partBytes = (await fs.stat(part)).size;
    expect(partBytes).toBeLessThan(size);
    // every kept byte is a whole verified block: the rerun may keep exactly these
    const keptBlocks = Math.floor(partBytes / BLOCK);
    const record = await fs.readFile(path.join(out, '.peerboard', 'resume.json'), 'utf8');
    expect(record).toContain('long.bin.part');

    served = 0;
    const second = cli(['receive', link, '--dir', out, '--yes']);
    expect(await second.exited, second.stderr()).toBe(0);
    expect(second.stdout()).toMatch(/long\.bin: continuing from .* kept on disk/);
    expect(served).toBeLessThanOrEqual(size - keptBlocks * BLOCK);
    expect(served).toBeGreaterThan(0);
    expect(await sha256(path.join(out, 'long.bin'))).toBe(
      createHash('sha256').update(data).digest('hex'),
    );
    expect((await fs.readdir(out)).sort()).toEqual(['.peerboard', 'long.bin']);
    const left = JSON.parse(
      await fs.readFile(path.join(out, '.peerboard', 'resume.json'), 'utf8'),
    ) as { rows: unknown[] };
    expect(left.rows).toEqual([]);
  }, 180_000);
});

describe('a resume record that points outside --dir', () => {
  it('is refused: the file outside stays untouched and the download starts afresh inside', async () => {
    const roomId = uniqueRoom('place');
    const link = `${origin()}/r/${roomId}`;
    const data = randomBytes(2 * 1024 * 1024 + 5);
    const sha = createHash('sha256').update(data).digest('hex');
    const base = path.join(tmp, 'place');
    const out = path.join(base, 'in');
    const file = path.join(base, 'note.bin');
    await fs.mkdir(path.join(out, '.peerboard'), { recursive: true });
    await fs.writeFile(file, data);
    // someone who can write D's records points ours at a file outside D
    const victim = path.join(base, 'victim.part');
    await fs.writeFile(victim, 'not yours to touch');
    const body = { sha256: sha, size: data.length, chunk: 1, block: 1, name: 'note.bin' };
    const row = {
      key: `open:${roomId}|${sha}`,
      room: `open:${roomId}`,
      body: { ...body, mime: '', sender: 'x', bytes: 10 },
      place: '../victim.part',
    };
    await fs.writeFile(
      path.join(out, '.peerboard', 'resume.json'),
      JSON.stringify({ rows: [row] }),
    );

    const sender = cli(['send', file, link]);
    const receiver = cli(['receive', link, '--dir', out, '--yes']);
    expect(await receiver.exited, receiver.stderr()).toBe(0);
    expect(await sender.exited, sender.stderr()).toBe(0);
    expect(receiver.stdout()).not.toContain('continuing from');
    expect(await fs.readFile(victim, 'utf8')).toBe('not yours to touch');
    expect(await fs.readdir(base)).toEqual(expect.arrayContaining(['victim.part']));
    expect((await fs.readdir(base)).sort()).toEqual(['in', 'note.bin', 'victim.part']);
    expect(await sha256(path.join(out, 'note.bin'))).toBe(sha);
  }, 90_000);
});

describe('peerboard export', () => {
  it('writes the board a session drew as JSON and as SVG', async () => {
    const roomId = uniqueRoom('export');
    const drawer = session(roomId, 'Drawer');
    const rect = addElement(drawer.doc.doc, {
      type: 'rect',
      x: 10,
      y: 20,
      w: 100,
      h: 50,
      colour: '#1e66f5',
      strokeWidth: 4,
      fill: null,
    });
    const text = addElement(drawer.doc.doc, {
      type: 'text',
      x: 0,
      y: 200,
      w: 200,
      h: 30,
      colour: '#000000',
      strokeWidth: 1,
      text: 'hello <board> & co',
      fontSize: 24,
    });
    expect(rect.ok && text.ok).toBe(true);
    const link = `${origin()}/r/${roomId}`;
    const json = path.join(tmp, 'board.json');
    const svg = path.join(tmp, 'board.svg');

    const a = cli(['export', link, '--format', 'json', '-o', json]);
    expect(await a.exited, a.stderr()).toBe(0);
    const b = cli(['export', link, '-o', svg]);
    expect(await b.exited, b.stderr()).toBe(0);

    const parsed = JSON.parse(await fs.readFile(json, 'utf8')) as { elements: unknown[] };
    expect(parsed.elements).toEqual(readBoard(drawer.doc.doc));
    expect(parsed.elements).toHaveLength(2);
    const doc = await fs.readFile(svg, 'utf8');
    expect(doc).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(doc).toContain('stroke="#1e66f5"');
    expect(doc).toContain('hello &lt;board&gt; &amp; co');
  }, 60_000);

  it('renders PNG through resvg', async () => {
    const roomId = uniqueRoom('png');
    const drawer = session(roomId, 'Drawer');
    addElement(drawer.doc.doc, {
      type: 'ellipse',
      x: 0,
      y: 0,
      w: 80,
      h: 40,
      colour: '#d20f39',
      strokeWidth: 3,
      fill: '#fab387',
    });
    const png = path.join(tmp, 'board.png');
    const run = cli(['export', `${origin()}/r/${roomId}`, '--format', 'png', '-o', png]);
    expect(await run.exited, run.stderr()).toBe(0);
    const bytes = await fs.readFile(png);
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // the SVG export's bounds (shape + stroke + padding) at zoom 2
    const b = exportBounds(readBoard(drawer.doc.doc));
    expect(bytes.readUInt32BE(16)).toBe(Math.round((b.maxX - b.minX) * 2));
    expect(bytes.readUInt32BE(20)).toBe(Math.round((b.maxY - b.minY) * 2));
  }, 60_000);
});

describe('peerboard keep', () => {
  it('keeps a protected board sealed on disk and gives it to a session that joins after a restart', async () => {
    const { roomId, secret } = await newSecretRoom();
    const link = `${origin()}/r/${roomId}#k=${secret}`;
    const data = path.join(tmp, 'keeper');
    const keeper = cli(['keep', link, '--data', data]);
    await keeper.printed('Ready.');

    const drawer = session(roomId, 'Drawer', secret);
    // edits after the keeper synced travel (and are stored) one update each
    await expect.poll(() => drawer.doc.provider.syncedPeers().length, { timeout: 30_000 }).toBe(1);
    await expect.poll(() => fs.readdir(data), { timeout: 20_000 }).toHaveLength(1);
    const [file] = await fs.readdir(data);
    expect(file).toMatch(/^sealed-[0-9a-f]{32}\.log$/);
    const logFile = path.join(data, file!);
    const before = await records(logFile);
    const plan = 'launch plan: meet at the blue door';
    addElement(drawer.doc.doc, {
      type: 'text',
      x: 5,
      y: 5,
      w: 300,
      h: 30,
      colour: '#000000',
      strokeWidth: 1,
      text: plan,
      fontSize: 20,
    });
    drawer.chat.send('chat survives too');
    await expect
      .poll(() => records(logFile), { timeout: 20_000 })
      .toBeGreaterThanOrEqual(before + 2);
    drawer.destroy();

    keeper.child.kill('SIGINT');
    expect(await keeper.exited).toBe(130);
    const onDisk = await fs.readFile(logFile);
    expect(onDisk.includes(Buffer.from('launch plan'))).toBe(false);
    expect(onDisk.includes(Buffer.from('chat survives'))).toBe(false);
    expect(onDisk.includes(Buffer.from(roomId))).toBe(false);

    const again = cli(['keep', link, '--data', data]);
    await again.printed('Ready.');
    const late = session(roomId, 'Late', secret);
    await expect
      .poll(() => readBoard(late.doc.doc).map((e) => (e.type === 'text' ? e.text : e.type)), {
        timeout: 30_000,
      })
      .toEqual([plan]);
    await expect
      .poll(() => late.chat.messages().map((m) => m.text), { timeout: 10_000 })
      .toEqual(['chat survives too']);
    again.child.kill('SIGINT');
    expect(await again.exited).toBe(130);
  }, 120_000);
});

/** How many whole records the keeper's log holds. */
async function records(file: string): Promise<number> {
  const raw = await fs.readFile(file);
  let at = 0;
  let n = 0;
  while (at + 4 <= raw.length) {
    at += 4 + raw.readUInt32BE(at);
    if (at <= raw.length) n++;
  }
  return n;
}

describe('errors and exit codes', () => {
  it('a damaged protected link: exit 2 and what to do, before any connection', async () => {
    const { roomId, secret } = await newSecretRoom();
    const run = cli(['receive', `${origin()}/r/${roomId}#k=${secret.slice(0, 10)}`, '--yes']);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toContain('its key is incomplete (cut off?). Ask for the full link.');
    const other = await newSecretRoom();
    const wrong = cli([
      'export',
      `${origin()}/r/${roomId}#k=${other.secret}`,
      '-o',
      path.join(tmp, 'x.json'),
    ]);
    expect(await wrong.exited).toBe(2);
    expect(wrong.stderr()).toContain('its key does not belong to this room');
    const junk = cli(['send', path.join(tmp, 'board.json'), 'not a link']);
    expect(await junk.exited).toBe(2);
    expect(junk.stderr()).toContain('is not a usable room link');
  }, 60_000);

  it('an unreachable relay: exit 3 naming the relay', async () => {
    const dead = await freePort();
    const run = cli([
      'export',
      `http://127.0.0.1:${dead}/r/${uniqueRoom('x')}`,
      '-o',
      path.join(tmp, 'y.json'),
      '--connect-timeout',
      '2',
    ]);
    expect(await run.exited).toBe(3);
    expect(run.stderr()).toContain(`Cannot reach the relay at ws://127.0.0.1:${dead}/ws`);
  }, 60_000);

  it('a full room: exit 4', async () => {
    const small = await serve({ MAX_PEERS_PER_ROOM: '1' });
    const roomId = uniqueRoom('full');
    const s = quietSession(`ws://127.0.0.1:${small.port}/ws`, roomId, 'First');
    sessions.push(s);
    await expect.poll(() => s.room.snapshot().signaling, { timeout: 10_000 }).toBe('open');
    const run = cli([
      'receive',
      `http://127.0.0.1:${small.port}/r/${roomId}`,
      '--yes',
      '--connect-timeout',
      '3',
    ]);
    expect(await run.exited).toBe(4);
    expect(run.stderr()).toContain('is full');
    small.run.child.kill('SIGTERM');
    expect(await small.run.exited).toBe(0);
  }, 60_000);

  it('receive without --yes when nobody can answer y/N: exit 2', async () => {
    const run = cli(['receive', `${origin()}/r/${uniqueRoom('tty')}`]);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toContain('pass --yes');
  }, 60_000);
});
