/**
 * Polls getStats() of each call peer's connection and reports good/fair/poor when it changes.
 * Polling starts with the first peer and stops with the last, so an idle room costs nothing.
 *
 * One report, two views: quality()/sample() are what we RECEIVE from the peer (inbound-rtp:
 * the tile's badge), uplink() is what the peer reports of what we SEND (remote-inbound-rtp,
 * uplink.ts: the send caps).
 */
import type { Room } from '../room';
import {
  classifyQuality,
  readCounters,
  sampleBetween,
  type Quality,
  type QualitySample,
  type StatsCounters,
} from './quality';
import { classifyUplink, readUplink, type UplinkSample } from './uplink';

export interface UplinkView {
  quality: Quality;
  cpuLimited: boolean;
  sample: UplinkSample | null;
}

export const QUALITY_POLL_MS = 2_000;

export interface QualityMonitor {
  /** the peers to measure and whether video is expected from each */
  setPeers(peers: { id: string; expectVideo: boolean }[]): void;
  quality(id: string): Quality;
  /** the last measurement behind quality(id) (loss, RTT, bitrate); null before one */
  sample(id: string): QualitySample | null;
  /** how the peer receives our stream, by its receiver reports; unknown before one */
  uplink(id: string): UplinkView;
  destroy(): void;
}

export function makeQualityMonitor(
  room: Room,
  onChange: () => void,
  intervalMs = QUALITY_POLL_MS,
  /** after every poll, changed or not (the bitrate tuner's hysteresis runs on time) */
  onPoll?: () => void,
): QualityMonitor {
  let peers: { id: string; expectVideo: boolean }[] = [];
  const prev = new Map<string, StatsCounters>();
  const quality = new Map<string, Quality>();
  const samples = new Map<string, QualitySample>();
  const uplinks = new Map<string, UplinkSample>();
  let timer: ReturnType<typeof setInterval> | undefined;
  let busy = false;
  let destroyed = false;

  const poll = async () => {
    if (busy) return; // a slow getStats must not pile up calls
    busy = true;
    let changed = false;
    try {
      for (const { id, expectVideo } of peers) {
        const report = await room.media.getStats(id);
        if (destroyed) return;
        if (!report) continue;
        const stats = [...(report.values() as Iterable<Record<string, unknown>>)];
        const now = readCounters(stats, Date.now());
        uplinks.set(id, readUplink(stats));
        const sample = sampleBetween(prev.get(id) ?? null, now);
        const q = classifyQuality(sample, expectVideo);
        prev.set(id, now);
        samples.set(id, sample);
        if (quality.get(id) !== q) {
          quality.set(id, q);
          changed = true;
        }
      }
    } finally {
      busy = false;
    }
    if (destroyed) return;
    if (changed) onChange();
    onPoll?.();
  };

  return {
    setPeers(next) {
      if (destroyed) return;
      peers = next;
      const ids = new Set(next.map((p) => p.id));
      for (const id of [...prev.keys()]) if (!ids.has(id)) prev.delete(id);
      for (const id of [...quality.keys()]) if (!ids.has(id)) quality.delete(id);
      for (const id of [...samples.keys()]) if (!ids.has(id)) samples.delete(id);
      for (const id of [...uplinks.keys()]) if (!ids.has(id)) uplinks.delete(id);
      if (next.length > 0) timer ??= setInterval(() => void poll(), intervalMs);
      else {
        clearInterval(timer);
        timer = undefined;
      }
    },
    quality: (id) => quality.get(id) ?? 'unknown',
    sample: (id) => samples.get(id) ?? null,
    uplink(id) {
      const s = uplinks.get(id) ?? null;
      return {
        quality: s ? classifyUplink(s) : 'unknown',
        cpuLimited: s?.cpuLimited ?? false,
        sample: s,
      };
    },
    destroy() {
      destroyed = true;
      clearInterval(timer);
      peers = [];
    },
  };
}
