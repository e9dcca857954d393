/**
 * The start of a peer that runs as a process of its own (peerProcess.ts, bulkSender.ts): its
 * configuration from PEER_CONFIG (JSON), a real room over `ws` + @roamhq/wrtc, and `out()` for
 * the JSON lines it reports on stdout.
 */
import { createRequire } from 'node:module';
import { WebSocket } from 'ws';
import { makeRoom, type Room } from '../../src/room';
import type { RoomTiming } from '../../src/types';

export interface ChildRoomConfig {
  url: string;
  roomId: string;
  name: string;
  timing: Partial<RoomTiming>;
}

export const out = (line: object): void => {
  process.stdout.write(JSON.stringify(line) + '\n');
};

/** Reads PEER_CONFIG and joins its room; `log` gets the room's log lines. */
export function roomFromPeerConfig<C extends ChildRoomConfig>(
  log: (msg: string) => void,
): { config: C; room: Room } {
  const config = JSON.parse(process.env.PEER_CONFIG ?? '') as C;
  const wrtc: unknown = createRequire(import.meta.url)('@roamhq/wrtc');
  const room = makeRoom({
    roomId: config.roomId,
    name: config.name,
    signalingUrl: config.url,
    WebSocket,
    wrtc,
    timing: config.timing,
    log,
  });
  return { config, room };
}
