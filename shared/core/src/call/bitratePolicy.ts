/**
 * How hard each of our video senders may push, in a mesh where every receiver costs us one more
 * encode and one more upload of the same picture. Pure: (what we send, how many receive it, how
 * the link to this receiver is doing) -> the encoding limits for RTCRtpSender.setParameters.
 *
 * Why caps and not targets: the browser's own congestion control still picks the rate under the
 * cap; the cap stops six encoders from each asking for a 720p/2.5 Mbit/s stream a laptop cannot
 * encode five times (CPU) or upload five times (a home uplink is often 5-10 Mbit/s).
 *
 * - Camera: bitrate, then resolution, then frame rate step down as receivers are added (a face in
 *   a 6-person grid is a ~300 px tile: half resolution loses nothing visible).
 * - Screen (content hint `detail`): resolution stays (text must stay readable); the bitrate cap
 *   is higher and the frame rate drops instead (a slide or code changes rarely).
 * - A link the receiver reports as fair/poor (uplink.ts: its RTCP reports about our stream)
 *   takes the budget one or two steps lower for that receiver only: the others keep theirs,
 *   since every receiver has its own encoder in a mesh.
 * - Our own encoder limited by CPU (a busy machine, not a bad link): the bitrate stays, the
 *   encoding work goes down instead: half the resolution for a camera, half the frames for a
 *   screen (its text must stay readable). Held like a worse quality (settleCpu).
 *
 * Hysteresis (settleQuality): a worse measurement applies at once, a better one only after it
 * has held for QUALITY_UPGRADE_HOLD_MS, so a link that wobbles around a threshold does not
 * make the encoder restart its resolution every poll.
 */
import type { Quality } from './quality';

export type SendKind = 'camera' | 'screen';

export interface EncodingLimits {
  /** bits per second */
  maxBitrate: number;
  /** >= 1; 1 = full resolution */
  scaleResolutionDownBy: number;
  maxFramerate: number;
}

/** per receiver count (index = receivers - 1, the last entry for all larger meshes) */
const CAMERA: readonly EncodingLimits[] = [
  { maxBitrate: 1_500_000, scaleResolutionDownBy: 1, maxFramerate: 30 }, // 1 receiver
  { maxBitrate: 900_000, scaleResolutionDownBy: 1, maxFramerate: 30 }, // 2
  { maxBitrate: 600_000, scaleResolutionDownBy: 1.5, maxFramerate: 24 }, // 3
  { maxBitrate: 450_000, scaleResolutionDownBy: 2, maxFramerate: 20 }, // 4
  { maxBitrate: 300_000, scaleResolutionDownBy: 2, maxFramerate: 15 }, // 5 and more
];

const SCREEN: readonly EncodingLimits[] = [
  { maxBitrate: 2_500_000, scaleResolutionDownBy: 1, maxFramerate: 15 },
  { maxBitrate: 2_000_000, scaleResolutionDownBy: 1, maxFramerate: 12 },
  { maxBitrate: 1_500_000, scaleResolutionDownBy: 1, maxFramerate: 10 },
  { maxBitrate: 1_200_000, scaleResolutionDownBy: 1, maxFramerate: 8 },
  { maxBitrate: 1_000_000, scaleResolutionDownBy: 1, maxFramerate: 5 },
];

/** below these the picture is not worth sending (the browser drops frames on its own) */
export const ENCODING_FLOOR = { maxBitrate: 100_000, maxFramerate: 5 } as const;

/**
 * The whole upload of one kind, over all receivers: past 5 (camera) or 4 (screen) receivers the
 * per-receiver cap shrinks so that joining members, even listen-only ones that cost themselves
 * nothing, cannot push our upload past a home uplink (the floor wins past 20 receivers).
 */
export const UPLINK_BUDGET: Record<SendKind, number> = { camera: 2_000_000, screen: 4_000_000 };

/** a 640x480 camera goes no smaller than 160x120: below that a face is not a face */
const MAX_CAMERA_SCALE = 4;

/** how much of the receiver-count budget a fair / poor link gets */
const QUALITY_FACTOR: Record<Quality, number> = { good: 1, unknown: 1, fair: 0.6, poor: 0.35 };

export function encodingFor(
  kind: SendKind,
  receivers: number,
  quality: Quality,
  cpuLimited = false,
): EncodingLimits {
  const table = kind === 'screen' ? SCREEN : CAMERA;
  const base = table[Math.min(Math.max(receivers, 1), table.length) - 1] ?? table[0]!;
  const f = QUALITY_FACTOR[quality];
  const share = UPLINK_BUDGET[kind] / Math.max(receivers, 1);
  const maxBitrate = Math.max(
    ENCODING_FLOOR.maxBitrate,
    Math.floor(Math.min(base.maxBitrate * f, share)),
  );
  if (kind === 'screen')
    // text stays sharp: fewer frames, never fewer pixels
    return {
      maxBitrate,
      scaleResolutionDownBy: 1,
      maxFramerate: Math.max(
        ENCODING_FLOOR.maxFramerate,
        Math.round((base.maxFramerate * f) / (cpuLimited ? 2 : 1)),
      ),
    };
  const slower = quality === 'poor' || cpuLimited;
  return {
    maxBitrate,
    scaleResolutionDownBy: Math.min(
      MAX_CAMERA_SCALE,
      base.scaleResolutionDownBy * (quality === 'poor' ? 2 : 1) * (cpuLimited ? 2 : 1),
    ),
    maxFramerate: slower ? Math.min(base.maxFramerate, 15) : base.maxFramerate,
  };
}

export const sameEncoding = (a: EncodingLimits | null, b: EncodingLimits): boolean =>
  a !== null &&
  a.maxBitrate === b.maxBitrate &&
  a.scaleResolutionDownBy === b.scaleResolutionDownBy &&
  a.maxFramerate === b.maxFramerate;

/** a better quality must hold this long before the budget goes back up */
export const QUALITY_UPGRADE_HOLD_MS = 10_000;

const RANK: Record<Quality, number> = { poor: 0, fair: 1, unknown: 2, good: 2 };

export interface SettledQuality {
  /** what the policy uses */
  applied: Quality;
  /** the worst of the better qualities seen since `since` (the hold); null when none */
  better: Quality | null;
  since: number;
}

/** a CPU limit must be gone this long before the resolution goes back up */
export const CPU_RELEASE_HOLD_MS = 20_000;

/**
 * Whether the CPU limit still applies: from the first report of it until none has come for
 * CPU_RELEASE_HOLD_MS. Lowering the resolution usually ends the limit at once, so without the
 * hold the encoder would go back up, hit the limit again and flap every poll.
 */
export function settleCpu(
  lastLimitedAt: number | null,
  limitedNow: boolean,
  now: number,
  holdMs = CPU_RELEASE_HOLD_MS,
): { applied: boolean; lastLimitedAt: number | null } {
  if (limitedNow) return { applied: true, lastLimitedAt: now };
  if (lastLimitedAt !== null && now - lastLimitedAt < holdMs)
    return { applied: true, lastLimitedAt };
  return { applied: false, lastLimitedAt: null };
}

/** One measurement into the hysteresis: worse applies now, better after the hold. */
export function settleQuality(
  prev: SettledQuality | null,
  measured: Quality,
  now: number,
  holdMs = QUALITY_UPGRADE_HOLD_MS,
): SettledQuality {
  if (!prev) return { applied: measured, better: null, since: now };
  const r = RANK[measured];
  if (r <= RANK[prev.applied])
    return { applied: r < RANK[prev.applied] ? measured : prev.applied, better: null, since: now };
  // better than what is applied: the hold starts at the first such sample, and what is applied
  // after it is the worst quality seen during it
  const better = prev.better === null || RANK[prev.better] > r ? measured : prev.better;
  const since = prev.better === null ? now : prev.since;
  if (now - since >= holdMs) return { applied: better, better: null, since: now };
  return { applied: prev.applied, better, since };
}
