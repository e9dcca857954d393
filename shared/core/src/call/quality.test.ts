import { describe, expect, it } from 'vitest';
import { classifyQuality, readCounters, sampleBetween, type StatsCounters } from './quality';
import { makeSpeakingGate, rms } from './speaking';
import { acquireCallMedia, describeMediaError, type MediaDevicesLike } from './media';

const counters = (at: number, rx: number, lost: number, bytes: number, rtt: number | null) =>
  ({
    at,
    packetsReceived: rx,
    packetsLost: lost,
    bytesReceived: bytes,
    rttMs: rtt,
  }) satisfies StatsCounters;

describe('connection quality', () => {
  it('reads inbound counters and the selected pair RTT from a stats report', () => {
    const c = readCounters(
      [
        {
          type: 'inbound-rtp',
          kind: 'audio',
          packetsReceived: 100,
          packetsLost: 2,
          bytesReceived: 1000,
        },
        {
          type: 'inbound-rtp',
          kind: 'video',
          packetsReceived: 300,
          packetsLost: -1,
          bytesReceived: 9000,
        },
        { type: 'candidate-pair', nominated: false, state: 'succeeded', currentRoundTripTime: 9 },
        { type: 'candidate-pair', nominated: true, state: 'succeeded', currentRoundTripTime: 0.05 },
        { type: 'outbound-rtp', packetsSent: 5 },
      ],
      1,
    );
    expect(c).toEqual({
      at: 1,
      packetsReceived: 400,
      packetsLost: 2,
      bytesReceived: 10_000,
      rttMs: 50,
    });
  });

  it('computes loss and bitrate over the interval, not since the start', () => {
    const s = sampleBetween(counters(0, 1000, 500, 0, 20), counters(2000, 1990, 510, 250_000, 20));
    expect(s.lossPct).toBeCloseTo(1, 5); // 10 lost of 1000 expected
    expect(s.bitrateKbps).toBeCloseTo(1000, 5); // 250 kB in 2 s
    expect(sampleBetween(null, counters(0, 1, 0, 0, 30))).toEqual({
      lossPct: null,
      rttMs: 30,
      bitrateKbps: null,
    });
  });

  it('classifies good / fair / poor at the thresholds', () => {
    const q = (lossPct: number | null, rttMs: number | null, kbps: number | null, video = true) =>
      classifyQuality({ lossPct, rttMs, bitrateKbps: kbps }, video);
    expect(q(null, null, null)).toBe('unknown');
    expect(q(0, 20, 800)).toBe('good');
    expect(q(1.9, 249, 800)).toBe('good');
    expect(q(2, 20, 800)).toBe('fair');
    expect(q(0, 250, 800)).toBe('fair');
    expect(q(8, 20, 800)).toBe('poor');
    expect(q(0, 500, 800)).toBe('poor');
    expect(q(0, 20, 5)).toBe('poor'); // video frozen
    expect(q(0, 20, 5, false)).toBe('good'); // audio only: low bitrate is normal
  });
});

describe('speaking gate', () => {
  it('starts above the on level, holds through short pauses, stops after the hold', () => {
    const gate = makeSpeakingGate({ onLevel: 0.1, offLevel: 0.05, holdMs: 300 });
    expect(gate(0.01, 0)).toBe(false);
    expect(gate(0.07, 10)).toBe(false); // between levels: not enough to start
    expect(gate(0.2, 100)).toBe(true);
    expect(gate(0.07, 200)).toBe(true); // between levels: keeps speaking
    expect(gate(0.0, 300)).toBe(true); // quiet, within hold of the last loud sample (200)
    expect(gate(0.0, 501)).toBe(false);
  });

  it('rms of silence is 0 and of a full-scale square wave is 1', () => {
    expect(rms(new Float32Array(8))).toBe(0);
    expect(rms(Float32Array.from([1, -1, 1, -1]))).toBe(1);
  });
});

describe('getting media', () => {
  const named = (name: string) => Object.assign(new Error(name), { name });
  const fakeStream = { getTracks: () => [] } as unknown as MediaStream;

  it('falls back to audio only when there is no camera, with a notice', async () => {
    const asked: MediaStreamConstraints[] = [];
    const md: MediaDevicesLike = {
      getUserMedia: async (c) => {
        asked.push(c);
        if (c.video) throw named('NotFoundError');
        return fakeStream;
      },
    };
    const r = await acquireCallMedia(md);
    expect(r.ok && r.value.notice).toMatch(/audio only/);
    expect(asked).toEqual([
      { audio: true, video: true },
      { audio: true, video: false },
    ]);
  });

  it('does not retry after a denied permission and explains it plainly', async () => {
    let calls = 0;
    const md: MediaDevicesLike = {
      getUserMedia: async () => {
        calls++;
        throw named('NotAllowedError');
      },
    };
    const r = await acquireCallMedia(md);
    expect(calls).toBe(1);
    expect(r).toMatchObject({ ok: false, code: 'permission_denied' });
    expect(!r.ok && r.message).toMatch(/allow/i);
  });

  it('no devices at all -> no_devices; busy device -> device_busy', async () => {
    const none: MediaDevicesLike = {
      getUserMedia: async () => Promise.reject(named('NotFoundError')),
    };
    expect(await acquireCallMedia(none)).toMatchObject({ ok: false, code: 'no_devices' });
    expect(describeMediaError(named('NotReadableError')).code).toBe('device_busy');
    expect(describeMediaError('weird').code).toBe('unknown');
    expect(describeMediaError(named('NotAllowedError'), 'screen').message).toMatch(/cancelled/);
  });
});
