/**
 * How the video we SEND to one peer is doing, as that peer reports it: the RTCP receiver reports
 * surface in our own getStats() as `remote-inbound-rtp` (fractionLost, roundTripTime, jitter of
 * each of our streams, measured at the receiver). The send caps (bitratePolicy.ts) follow this,
 * not our inbound streams: what we receive says how the OTHER side's uplink and encoder are
 * doing, and on a busy machine every inbound stream slows down at once, which used to take every
 * send cap to the floor although the network was fine.
 *
 * A busy local machine is told apart from a poor uplink by our own encoder: `outbound-rtp`
 * `qualityLimitationReason === 'cpu'` means the browser already cannot encode what we ask. Then
 * round trip and jitter (both grow with scheduling delay on a starved box, at either end) do not
 * count against the link; only loss does, and the policy lowers resolution (encoding work)
 * rather than bitrate.
 *
 * Pure functions over plain stats objects, like quality.ts.
 */
import { QUALITY_LIMITS, type Quality, type StatLike } from './quality';

export interface UplinkSample {
  /** worst loss the peer reported on any of our streams, 0..100; null before any report */
  lossPct: number | null;
  /** the largest RTCP round trip over our streams, ms; null before any report */
  rttMs: number | null;
  /** the largest jitter the peer measured on our audio, ms; null without audio reports */
  jitterMs: number | null;
  /** our video encoder towards this peer is held back by CPU */
  cpuLimited: boolean;
}

/** jitter thresholds for audio (video jitter includes frame pacing and is not used) */
export const UPLINK_JITTER_MS = { fair: 30, poor: 100 } as const;

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const max = (a: number | null, b: number): number => (a === null ? b : Math.max(a, b));

/** Read the receiver reports about our streams and our encoder's limitation from one report. */
export function readUplink(stats: Iterable<StatLike>): UplinkSample {
  let lossPct: number | null = null;
  let rttMs: number | null = null;
  let jitterMs: number | null = null;
  let cpuLimited = false;
  for (const s of stats) {
    if (s.type === 'remote-inbound-rtp') {
      if (finite(s.fractionLost))
        lossPct = max(lossPct, Math.min(1, Math.max(0, s.fractionLost)) * 100);
      if (finite(s.roundTripTime)) rttMs = max(rttMs, s.roundTripTime * 1000);
      if (s.kind === 'audio' && finite(s.jitter)) jitterMs = max(jitterMs, s.jitter * 1000);
    } else if (s.type === 'outbound-rtp' && s.kind === 'video') {
      if (s.qualityLimitationReason === 'cpu') cpuLimited = true;
    }
  }
  return { lossPct, rttMs, jitterMs, cpuLimited };
}

export function classifyUplink(s: UplinkSample): Quality {
  if (s.lossPct === null && s.rttMs === null && s.jitterMs === null) return 'unknown';
  const loss = s.lossPct ?? 0;
  // a starved encoder delays everything it sends: only loss says the path is bad then
  const rtt = s.cpuLimited ? 0 : (s.rttMs ?? 0);
  const jitter = s.cpuLimited ? 0 : (s.jitterMs ?? 0);
  if (
    loss >= QUALITY_LIMITS.poor.lossPct ||
    rtt >= QUALITY_LIMITS.poor.rttMs ||
    jitter >= UPLINK_JITTER_MS.poor
  )
    return 'poor';
  if (
    loss >= QUALITY_LIMITS.fair.lossPct ||
    rtt >= QUALITY_LIMITS.fair.rttMs ||
    jitter >= UPLINK_JITTER_MS.fair
  )
    return 'fair';
  return 'good';
}
