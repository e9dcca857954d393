/**
 * Page-side entry of the Chromium benchmarks, bundled by core-browser.ts (bundlePageScript) and
 * added to a blank page: it publishes `window.__corePage`, driven by the benchmark through
 * page.evaluate. Two pages in two contexts connect one raw RTCPeerConnection (SDP handed over by
 * the benchmark, complete with candidates: no relay in the path) and run the scheduler sweep of
 * core-drive.ts over its data channel; on app pages roomSend/roomServe run the room-level bulk
 * benchmark (core-room-drive.ts) on the app's own room. `rawPairMs` is the join benchmark's
 * reference: two peer connections in this one page.
 */
import {
  connectPair,
  runSender,
  serveReceiver,
  type BenchChannel,
  type SweepConfig,
  type SweepResult,
} from './core-drive';
import { runRoomSender, serveRoomReceiver, type RoomBulkConfig } from './core-room-drive';
import type { Room } from '@peerboard/core';

let pc: RTCPeerConnection | null = null;
let channel: Promise<RTCDataChannel> | null = null;
let stopServing: (() => void) | null = null;

/** the app's room, published by the app on `?debug` pages (state/createRoomState.ts) */
const appRoom = (): Room => {
  const hook = (window as unknown as { __peerboard?: { room: Room } }).__peerboard;
  if (!hook) throw new Error('no window.__peerboard: open the room with ?debug');
  return hook.room;
};

async function gathered(p: RTCPeerConnection): Promise<string> {
  if (p.iceGatheringState !== 'complete')
    await new Promise<void>((resolve) =>
      p.addEventListener('icegatheringstatechange', () => {
        if (p.iceGatheringState === 'complete') resolve();
      }),
    );
  return JSON.stringify(p.localDescription);
}

const opened = (ch: RTCDataChannel) =>
  new Promise<RTCDataChannel>((resolve) => {
    if (ch.readyState === 'open') resolve(ch);
    else ch.addEventListener('open', () => resolve(ch));
  });

const api = {
  /** initiator: creates the channel and returns the offer */
  async offer(): Promise<string> {
    pc = new RTCPeerConnection({ iceServers: [] });
    channel = opened(pc.createDataChannel('bench', { ordered: true }));
    await pc.setLocalDescription(await pc.createOffer());
    return gathered(pc);
  },
  async answer(offer: string): Promise<string> {
    const p = (pc = new RTCPeerConnection({ iceServers: [] }));
    channel = new Promise((resolve) =>
      p.addEventListener('datachannel', (e) => void opened(e.channel).then(resolve)),
    );
    await p.setRemoteDescription(JSON.parse(offer) as RTCSessionDescriptionInit);
    await p.setLocalDescription(await p.createAnswer());
    return gathered(p);
  },
  async accept(answer: string): Promise<void> {
    await pc!.setRemoteDescription(JSON.parse(answer) as RTCSessionDescriptionInit);
  },
  /** resolves with the negotiated sctp.maxMessageSize once the channel is open */
  async open(): Promise<number> {
    await channel!;
    return pc!.sctp?.maxMessageSize ?? 0;
  },
  async serve(): Promise<void> {
    stopServing = serveReceiver((await channel!) as unknown as BenchChannel);
  },
  async send(cfg: SweepConfig): Promise<SweepResult> {
    return runSender((await channel!) as unknown as BenchChannel, cfg);
  },
  async rawPairMs(): Promise<number> {
    const pair = await connectPair(RTCPeerConnection);
    pair.close();
    return pair.connectMs;
  },
  roomServe(): void {
    stopServing = serveRoomReceiver(appRoom());
  },
  roomSend(peer: string, cfg: RoomBulkConfig) {
    return runRoomSender(appRoom(), peer, cfg);
  },
  close(): void {
    stopServing?.();
    pc?.close();
    pc = channel = stopServing = null;
  },
};

export type CorePage = typeof api;
(window as unknown as { __corePage: CorePage }).__corePage = api;
