/**
 * The README's "your own P2P app" example (shared/core/examples/checklist.mjs) runs, so it cannot
 * rot: Ann opens it in this process, Bob runs the command-line version in a child Node process,
 * both over the real relay and real WebRTC. Bob's item reaches Ann, Ann's tick reaches Bob's
 * terminal, and when Bob's input ends he leaves the room.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import type { Session, SessionOptions } from '../src/session';
import { startRelay, uniqueRoom, wrtc, type Relay } from './kit/relay';

interface Checklist {
  session: Session;
  add(text: string): void;
  toggle(index: number): void;
  remove(index: number): void;
  list(): { text: string; done: boolean }[];
  onChange(fn: () => void): () => void;
  leave(): void;
}

const examples = new URL('../examples/', import.meta.url);
const WAIT = { timeout: 45_000, interval: 50 };
/** the child compiles core's TypeScript through tsx before it joins: slow on a busy machine */
const CHILD_START = { timeout: 90_000, interval: 100 };
let relay: Relay;
let child: ChildProcessWithoutNullStreams | undefined;
let ann: Checklist | undefined;

beforeAll(async () => {
  relay = await startRelay();
});
afterAll(async () => {
  ann?.leave();
  child?.kill();
  await relay?.close();
});

describe('examples/checklist.mjs', () => {
  it('two people share a checklist: one in this process, one from the command line', async () => {
    const { openChecklist } = (await import(
      /* @vite-ignore */ new URL('checklist.mjs', examples).href
    )) as { openChecklist(options: SessionOptions): Checklist };
    const roomId = uniqueRoom('checklist');
    ann = openChecklist({
      roomId,
      name: 'Ann',
      signalingUrl: relay.url,
      WebSocket,
      wrtc,
      log: () => {},
    });
    let annChanges = 0;
    ann.onChange(() => annChanges++);
    ann.add('bring chairs');

    const cli = fileURLToPath(new URL('checklist-cli.mjs', examples));
    child = spawn(
      process.execPath,
      ['--import', 'tsx', cli, relay.url, roomId, 'Bob', 'buy milk'],
      {
        cwd: fileURLToPath(new URL('../', import.meta.url)),
      },
    );
    let out = '';
    let errOut = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (errOut += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child?.on('exit', resolve));

    const list = ann;
    await vi.waitFor(() => {
      expect(
        list
          .list()
          .map((i) => i.text)
          .sort(),
      ).toEqual(['bring chairs', 'buy milk']);
    }, CHILD_START);
    expect(annChanges).toBeGreaterThanOrEqual(2);
    await vi.waitFor(() => expect(out).toMatch(/\[ \] bring chairs/), WAIT);

    list.toggle(list.list().findIndex((i) => i.text === 'buy milk'));
    await vi.waitFor(() => expect(out).toMatch(/\[x\] buy milk/), WAIT);
    child.stdin.write('+ fold the tables\n');
    await vi.waitFor(
      () => expect(list.list().map((i) => i.text)).toContain('fold the tables'),
      WAIT,
    );

    const bobId = list.session.room.openPeers()[0];
    expect(bobId).toBeDefined();
    child.stdin.end();
    expect(await exited).toBe(0);
    await vi.waitFor(() => expect(list.session.room.openPeers()).toEqual([]), WAIT);
    expect(errOut).toBe('');
  }, 180_000);
});
