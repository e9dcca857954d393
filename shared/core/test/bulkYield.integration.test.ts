/**
 * Control frames are handled before the file data queued ahead of them (issue 18 item 2,
 * receive-side yielding: peers/yieldingQueue.ts). Real relay, real @roamhq/wrtc peers; the
 * sender is a process of its own (kit/bulkSender.ts) so it keeps sending while the receiver is
 * busy. The receiver takes BUSY_MS of main-thread work per file_data frame (what hashing and
 * writing a block costs a slow page), so a burst of FRAMES frames is all received long before
 * it is handled; the sender's chat frame follows the burst once the burst has crossed.
 *
 * Handled inside their message events, the chat waited for every frame that arrived before it
 * (it was handled after all FRAMES). Queued and drained in tasks of their own, the chat is
 * handled in the first task after it arrives: within a few frames, long before the burst ends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  FAST,
  joinRoom,
  startRelay,
  uniqueRoom,
  waitFor,
  type Relay,
  type TestPeer,
} from './kit/relay';

const FRAMES = 40;
const BUSY_MS = 100;
/** frames the receiver may handle between the chat's arrival and its handling */
const AT_MOST_BEHIND = 8;

const CORE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
let relay: Relay;
let receiver: TestPeer | null = null;
let sender: ChildProcess | null = null;

beforeAll(async () => {
  relay = await startRelay();
});
afterAll(async () => {
  sender?.stdin?.write('bye\n');
  sender?.kill();
  receiver?.room.destroy();
  await relay.close();
});

const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // the receiving page's main thread hashing and writing a block
  }
};

it('a chat frame sent behind a burst of file data is handled before the burst is', async () => {
  const roomId = uniqueRoom('bulk-yield');
  const reports: string[] = [];
  sender = spawn(process.execPath, ['--import', 'tsx', 'test/kit/bulkSender.ts'], {
    cwd: CORE_DIR,
    env: {
      ...process.env,
      PEER_CONFIG: JSON.stringify({
        url: relay.url,
        roomId,
        name: 'Alice',
        timing: FAST,
        frames: FRAMES,
        bytes: 16 * 1024,
        settleMs: 300,
      }),
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  sender.stdout?.on('data', (d: Buffer) => {
    for (const line of d.toString().split('\n')) if (line.startsWith('{')) reports.push(line);
  });
  receiver = joinRoom(relay.url, roomId, 'Bob');
  let handled = 0;
  let handledAtChat: number | null = null;
  receiver.room.onFrame('file_data', () => {
    busy(BUSY_MS);
    handled++;
  });
  receiver.room.onFrame('chat', () => {
    handledAtChat ??= handled;
  });
  await waitFor('the sender has a link with the bulk channel', () =>
    reports.some((r) => r.includes('"ready"')),
  );
  sender.stdin?.write('go\n');
  await waitFor('the chat frame is handled', () => handledAtChat !== null, 30_000);
  expect(handledAtChat).toBeLessThanOrEqual(AT_MOST_BEHIND);
  await waitFor('the whole burst is handled', () => handled === FRAMES, 30_000);
}, 60_000);
