/**
 * Regression test: leaving and rejoining the call many times, quickly, from every side.
 *
 * The bug (call benchmark, Chromium): after Bob left and rejoined a few times, his new video
 * never reached Alice. Each leave removed the senders (removeTrack) and each join added new
 * ones, so every cycle left two dead m= sections in the SDP; after four cycles the offer passed
 * the 32 KiB signal limit, the receiving link dropped it, and simple-peer waited forever for
 * its answer with every later renegotiation queued behind it. A second bug hid behind it here
 * in Node: senders paused while a peer was away were looked up under the stream of our earlier
 * join, so after we ourselves had rejoined in between, resuming them failed ("Cannot replace
 * track that was never added") and that peer got nothing from us.
 *
 * Three real peers (relay + @roamhq/wrtc), seeded random cycles: who leaves (one, two or all),
 * how long they stay out (0-150 ms, often less than a renegotiation takes), and whether a join
 * is abandoned while the devices are being asked for. Every few cycles, and at the end, every
 * pair in the call must receive fresh video from each other within a generous bound, and the
 * connections must not have grown: no connection has more m= sections or transceivers at the
 * end than after the first join.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startRelay, type Relay } from './kit/relay';
import { seededRandom } from './kit/seededRandom';
import { makeRoom, type Room } from '../src/room';
import { makeCall, type Call } from '../src/call/call';
import {
  makeFakeDevices,
  makeFrameCounter,
  makeRecordingWrtc,
  mediaSections,
  waitFor,
} from './kit/callKit';

const SEEDS = [1, 2, 3];
const CYCLES = 14;
/**
 * data + audio + video, or + another audio and video when both sides of a pair added their
 * tracks at the same moment (the answerer could not reuse the offerer's transceivers yet)
 */
const MAX_SECTIONS = 5;

let server: Relay;
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  server = await startRelay();
});

afterAll(async () => {
  for (const f of cleanups.splice(0)) f();
  await server?.close();
});

interface Peer {
  name: string;
  room: Room;
  call: Call;
}

describe('call: repeated leave/rejoin from every side', () => {
  for (const seed of SEEDS)
    it(`seed ${seed}: media keeps reaching everyone, the SDP does not grow`, async () => {
      const random = seededRandom(seed);
      const rec = makeRecordingWrtc();
      const fake = makeFakeDevices();
      cleanups.push(fake.stopAll);
      const logs: string[] = [];
      const join = (name: string): Peer => {
        const log = (m: string, d?: unknown) =>
          logs.push(`${name}: ${m}${d instanceof Error ? ` ${d.message}` : ''}`);
        const room = makeRoom({
          roomId: `call-churn-${seed}`,
          name,
          signalingUrl: `ws://127.0.0.1:${server.port}/ws`,
          WebSocket,
          wrtc: rec.wrtc,
          log,
        });
        const call = makeCall(room, { devices: fake.devices, statsIntervalMs: 1000, log });
        cleanups.push(() => {
          call.destroy();
          room.destroy();
        });
        return { name, room, call };
      };
      const peers = ['Ann', 'Bob', 'Cy'].map(join);
      await waitFor('mesh of 3', () => peers.every((p) => p.room.openPeers().length === 2));
      for (const p of peers) await p.call.start();

      const counters = peers.flatMap((to) =>
        peers
          .filter((from) => from !== to)
          .map((from) => ({
            label: `${from.name} -> ${to.name}`,
            counter: makeFrameCounter(to.call, from.room.clientId),
          })),
      );
      cleanups.push(() => counters.forEach((c) => c.counter.stop()));

      /** every pair gets fresh decoded video; a stall names the pair and shows recent logs */
      const settled = async (when: string) => {
        const before = counters.map((c) => c.counter.frames());
        try {
          await waitFor(`video on every pair ${when}`, () =>
            counters.every((c, i) => c.counter.frames() > before[i]! + 5),
          );
        } catch (e) {
          const stalled = counters.filter((c, i) => c.counter.frames() <= before[i]! + 5);
          throw new Error(
            `${String(e)}; stalled: ${stalled.map((c) => c.label).join(', ')}\n` +
              logs.slice(-30).join('\n'),
          );
        }
        for (const p of peers)
          expect(p.call.snapshot().participants.map((x) => x.hasStream)).toEqual([
            true,
            true,
            true,
          ]);
      };
      await settled('after everyone joined');
      const open = () => rec.connections.filter((c) => c.connectionState === 'connected');
      const size = (pc: RTCPeerConnection) => ({
        sections: mediaSections(pc.localDescription?.sdp),
        transceivers: pc.getTransceivers().length,
      });
      const sizes = new Map(open().map((pc) => [pc, size(pc)]));
      expect(sizes.size).toBe(6); // both ends of three pairs

      for (let cycle = 0; cycle < CYCLES; cycle++) {
        const r = random();
        const out = r < 0.5 ? [peers[Math.floor(random() * 3)]!] : r < 0.8 ? peers.slice(1) : peers;
        for (const p of out) p.call.leave();
        await new Promise((res) => setTimeout(res, Math.floor(random() * 150)));
        for (const p of out) {
          if (random() < 0.2) {
            // changed their mind while the devices were being asked for
            const pending = p.call.start();
            p.call.leave();
            await pending;
            expect(p.call.snapshot().phase).toBe('idle');
          }
          await p.call.start();
          expect(p.call.snapshot().phase).toBe('in_call');
        }
        if (cycle % 4 === 3) await settled(`after cycle ${cycle}`);
      }
      await settled('at the end');

      expect(open()).toEqual([...sizes.keys()]);
      for (const [pc, first] of sizes) {
        expect(size(pc)).toEqual(first);
        expect(first.sections).toBeLessThanOrEqual(MAX_SECTIONS);
      }
      // the data links were never re-created by all this
      for (const p of peers) expect(p.room.diagnostics().linksCreated).toBe(2);
    });
});
