/**
 * Per-peer connection quality from RTCPeerConnection.getStats(): packet loss and bitrate of the
 * inbound RTP streams since the last sample, and the RTT of the selected candidate pair, folded
 * into good / fair / poor. Pure functions over plain stats objects so they run in unit tests.
 *
 * Thresholds follow the usual guidance for interactive media: loss under 2 % and RTT under
 * 250 ms is fine; over 8 % loss or 500 ms RTT is noticeably broken. Bitrate only downgrades when
 * video is expected and arrives at a trickle (a frozen picture), not for audio-only calls.
 */

export type Quality = 'good' | 'fair' | 'poor' | 'unknown';

export interface QualitySample {
  /** 0..100 over the last interval; null when nothing was expected */
  lossPct: number | null;
  rttMs: number | null;
  /** inbound kbit/s over the last interval; null on the first sample */
  bitrateKbps: number | null;
}

/** Cumulative counters of one getStats() call, kept to diff against the next one. */
export interface StatsCounters {
  at: number;
  packetsReceived: number;
  packetsLost: number;
  bytesReceived: number;
  rttMs: number | null;
}

export type StatLike = Record<string, unknown> & { type?: unknown };

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** Sum the inbound RTP counters and find the selected pair's RTT in one report. */
export function readCounters(stats: Iterable<StatLike>, at: number): StatsCounters {
  let packetsReceived = 0;
  let packetsLost = 0;
  let bytesReceived = 0;
  let rttMs: number | null = null;
  let nominatedRtt: number | null = null;
  for (const s of stats) {
    if (s.type === 'inbound-rtp') {
      packetsReceived += num(s.packetsReceived);
      packetsLost += Math.max(0, num(s.packetsLost));
      bytesReceived += num(s.bytesReceived);
    } else if (s.type === 'candidate-pair' && typeof s.currentRoundTripTime === 'number') {
      // the pair in use is `selected` (Firefox) or nominated + succeeded (Chromium)
      if (s.selected === true) rttMs = s.currentRoundTripTime * 1000;
      else if (s.nominated === true && s.state === 'succeeded')
        nominatedRtt = s.currentRoundTripTime * 1000;
    }
  }
  return { at, packetsReceived, packetsLost, bytesReceived, rttMs: rttMs ?? nominatedRtt };
}

export function sampleBetween(prev: StatsCounters | null, now: StatsCounters): QualitySample {
  if (!prev || now.at <= prev.at) return { lossPct: null, rttMs: now.rttMs, bitrateKbps: null };
  const received = Math.max(0, now.packetsReceived - prev.packetsReceived);
  const lost = Math.max(0, now.packetsLost - prev.packetsLost);
  const expected = received + lost;
  const seconds = (now.at - prev.at) / 1000;
  return {
    lossPct: expected > 0 ? (lost / expected) * 100 : null,
    rttMs: now.rttMs,
    bitrateKbps: (Math.max(0, now.bytesReceived - prev.bytesReceived) * 8) / 1000 / seconds,
  };
}

export const QUALITY_LIMITS = {
  fair: { lossPct: 2, rttMs: 250 },
  poor: { lossPct: 8, rttMs: 500 },
  /** below this, a video stream that should be flowing is effectively frozen */
  minVideoKbps: 30,
} as const;

export function classifyQuality(s: QualitySample, expectVideo: boolean): Quality {
  if (s.lossPct === null && s.rttMs === null && s.bitrateKbps === null) return 'unknown';
  const loss = s.lossPct ?? 0;
  const rtt = s.rttMs ?? 0;
  if (loss >= QUALITY_LIMITS.poor.lossPct || rtt >= QUALITY_LIMITS.poor.rttMs) return 'poor';
  if (expectVideo && s.bitrateKbps !== null && s.bitrateKbps < QUALITY_LIMITS.minVideoKbps)
    return 'poor';
  if (loss >= QUALITY_LIMITS.fair.lossPct || rtt >= QUALITY_LIMITS.fair.rttMs) return 'fair';
  return 'good';
}
