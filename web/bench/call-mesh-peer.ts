/**
 * One light participant of `call-mesh --mix` as its own process (call-mesh-peers.ts starts
 * them): the core engine (makeSession over @roamhq/wrtc) in the call with the call kit's
 * synthetic camera and microphone (shared/core/test/kit/callKit.ts) at a set size and rate. One
 * process per peer, so the five Node peers of a 1+5 mix are five event loops and five wrtc
 * stacks, as five laptops would be, not one process that became the bottleneck.
 *
 * Config: env MIX_PEER (JSON, PeerConfig). Reports JSON lines on stdout:
 *   {t:'ready', id}                                       in the call
 *   {t:'stats', at, frames: {[peerId]: n}, bytesSent, framesEncoded}
 *       every 500 ms: decoded frames per remote stream (with `count`), video bytes sent and
 *       frames encoded over all links, at = this process's Date.now()
 *   {t:'error', msg}
 * Leaves the call and exits when stdin closes.
 */
import type { Session } from '@peerboard/core';
import { makeFakeDevices, makeFrameCounter } from '../../shared/core/test/kit/callKit';
import { quietSession } from '../../shared/core/test/kit/relay';

export interface PeerConfig {
  url: string;
  roomId: string;
  name: string;
  secret?: string;
  width: number;
  height: number;
  fps: number;
  /** count the frames decoded from every other participant (costs a sink per stream) */
  count: boolean;
}

const config = JSON.parse(process.env.MIX_PEER ?? '') as PeerConfig;
const out = (line: object) => process.stdout.write(JSON.stringify(line) + '\n');

const fake = makeFakeDevices({ width: config.width, height: config.height, fps: config.fps });
const session: Session = quietSession(config.url, config.roomId, config.name, {
  secret: config.secret,
  call: { devices: fake.devices, log: () => {} },
});
const counters = new Map<string, ReturnType<typeof makeFrameCounter>>();

/** video bytes sent and frames encoded, summed over every link */
async function sent(): Promise<{ bytesSent: number; framesEncoded: number }> {
  let bytesSent = 0;
  let framesEncoded = 0;
  for (const id of session.room.openPeers()) {
    const report = await session.room.media.getStats(id);
    report?.forEach(
      (s: { type?: string; kind?: string; bytesSent?: number; framesEncoded?: number }) => {
        if (s.type !== 'outbound-rtp' || s.kind !== 'video') return;
        bytesSent += s.bytesSent ?? 0;
        framesEncoded += s.framesEncoded ?? 0;
      },
    );
  }
  return { bytesSent, framesEncoded };
}

const timer = setInterval(() => {
  if (config.count)
    for (const p of session.call.snapshot().participants)
      if (p.id !== session.room.clientId && !counters.has(p.id))
        counters.set(p.id, makeFrameCounter(session.call, p.id));
  const at = Date.now();
  void sent().then((totals) =>
    out({
      t: 'stats',
      at,
      frames: Object.fromEntries([...counters].map(([id, c]) => [id, c.frames()])),
      ...totals,
    }),
  );
}, 500);

session.call.start().then(
  () => out({ t: 'ready', id: session.room.clientId }),
  (e: unknown) => out({ t: 'error', msg: String(e) }),
);

process.stdin.resume();
process.stdin.on('end', () => {
  clearInterval(timer);
  for (const c of counters.values()) c.stop();
  session.destroy();
  fake.stopAll();
  // wrtc keeps native threads alive after the last connection closes
  setTimeout(() => process.exit(0), 200);
});
