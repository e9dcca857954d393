/**
 * A peer in a process of its own that sends a burst of file data and then one chat frame, for
 * bulkYield.integration.test.ts: its own process, so it keeps sending while the receiver's
 * main thread is busy (in one process a busy receiver would hold the sender too).
 * PEER_CONFIG (JSON): url, roomId, name, timing, frames, bytes, settleMs.
 * Reports JSON lines: {t:'ready'} once a link is open with file data on the bulk channel,
 * {t:'sent', frames} after the burst is in the channel, {t:'chat'} once the chat frame is sent.
 * Takes `go` on stdin to start the burst.
 */
import { createInterface } from 'node:readline';
import { out, roomFromPeerConfig, type ChildRoomConfig } from './childRoom';

interface Config extends ChildRoomConfig {
  frames: number;
  bytes: number;
  settleMs: number;
}

const { config, room } = roomFromPeerConfig<Config>(() => undefined);

const bulkLink = () => room.diagnostics().links.find((l) => l.open && l.bulkChannel);
const ready = setInterval(() => {
  if (bulkLink()) {
    clearInterval(ready);
    out({ t: 'ready' });
  }
}, 20);

async function burst() {
  const to = bulkLink()!.id;
  const transferId = new Uint8Array(16).fill(7);
  const sends: Promise<void>[] = [];
  for (let index = 0; index < config.frames; index++)
    sends.push(
      room.send(
        to,
        { type: 'file_data', transferId, index, data: new Uint8Array(config.bytes) },
        'bulk',
      ),
    );
  await Promise.all(sends);
  out({ t: 'sent', frames: config.frames });
  // the burst is in the channel; let it cross loopback before the chat follows
  await new Promise((r) => setTimeout(r, config.settleMs));
  room.send(to, { type: 'chat', data: new TextEncoder().encode('behind the file?') });
  out({ t: 'chat' });
}

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() === 'go') void burst();
  if (line.trim() === 'bye') {
    room.destroy();
    process.exit(0);
  }
});
