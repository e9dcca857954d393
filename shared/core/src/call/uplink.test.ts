import { describe, expect, it } from 'vitest';
import { classifyUplink, readUplink, UPLINK_JITTER_MS, type UplinkSample } from './uplink';
import { QUALITY_LIMITS } from './quality';

const sample = (p: Partial<UplinkSample>): UplinkSample => ({
  lossPct: null,
  rttMs: null,
  jitterMs: null,
  cpuLimited: false,
  ...p,
});

describe('uplink: the receiver reports of what we send', () => {
  it('reads the worst remote-inbound loss and RTT, audio jitter only, and a CPU-limited encoder', () => {
    const s = readUplink([
      {
        type: 'remote-inbound-rtp',
        kind: 'audio',
        fractionLost: 0.01,
        roundTripTime: 0.04,
        jitter: 0.012,
      },
      {
        type: 'remote-inbound-rtp',
        kind: 'video',
        fractionLost: 0.05,
        roundTripTime: 0.06,
        jitter: 0.4,
      },
      { type: 'outbound-rtp', kind: 'video', qualityLimitationReason: 'cpu' },
      { type: 'outbound-rtp', kind: 'video', qualityLimitationReason: 'none' },
      // what we receive does not count here: it is the other side's uplink
      { type: 'inbound-rtp', kind: 'video', packetsLost: 900, packetsReceived: 100, jitter: 3 },
    ]);
    expect(s.lossPct).toBeCloseTo(5, 5);
    expect(s.rttMs).toBeCloseTo(60, 5);
    expect(s.jitterMs).toBeCloseTo(12, 5); // video jitter includes frame pacing: not used
    expect(s.cpuLimited).toBe(true);
  });

  it('is unknown before any receiver report, whatever our inbound streams look like', () => {
    const s = readUplink([
      { type: 'inbound-rtp', kind: 'video', packetsLost: 500, packetsReceived: 10 },
      { type: 'outbound-rtp', kind: 'video', qualityLimitationReason: 'bandwidth' },
      { type: 'remote-inbound-rtp', kind: 'video', fractionLost: 'x', roundTripTime: null },
    ]);
    expect(s).toEqual(sample({}));
    expect(classifyUplink(s)).toBe('unknown');
  });

  it('classifies loss, RTT and audio jitter at the thresholds', () => {
    expect(classifyUplink(sample({ lossPct: 0, rttMs: 20, jitterMs: 5 }))).toBe('good');
    expect(classifyUplink(sample({ lossPct: QUALITY_LIMITS.fair.lossPct }))).toBe('fair');
    expect(classifyUplink(sample({ lossPct: QUALITY_LIMITS.poor.lossPct }))).toBe('poor');
    expect(classifyUplink(sample({ rttMs: QUALITY_LIMITS.fair.rttMs }))).toBe('fair');
    expect(classifyUplink(sample({ rttMs: QUALITY_LIMITS.poor.rttMs }))).toBe('poor');
    expect(classifyUplink(sample({ jitterMs: UPLINK_JITTER_MS.fair }))).toBe('fair');
    expect(classifyUplink(sample({ jitterMs: UPLINK_JITTER_MS.poor }))).toBe('poor');
  });

  it('a busy machine (our encoder CPU-limited) is not a poor link: delay does not count, loss does', () => {
    const slow = { rttMs: 900, jitterMs: 300 };
    expect(classifyUplink(sample(slow))).toBe('poor');
    expect(classifyUplink(sample({ ...slow, cpuLimited: true }))).toBe('good');
    expect(classifyUplink(sample({ ...slow, lossPct: 10, cpuLimited: true }))).toBe('poor');
  });
});
