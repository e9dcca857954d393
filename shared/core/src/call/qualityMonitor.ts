/**
 * Polls getStats() of each call peer's connection and reports good/fair/poor when it changes.
 * Polling starts with the first peer and stops with the last, so an idle room costs nothing.
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

export const QUALITY_POLL_MS = 2_000;

export interface QualityMonitor {
  /** the peers to measure and whether video is expected from each */
  setPeers(peers: { id: string; expectVideo: boolean }[]): void;
  quality(id: string): Quality;
  /** the last measurement behind quality(id) (loss, RTT, bitrate); null before one */
  sample(id: string): QualitySample | null;
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
        const now = readCounters(report.values() as Iterable<Record<string, unknown>>, Date.now());
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
      if (next.length > 0) timer ??= setInterval(() => void poll(), intervalMs);
      else {
        clearInterval(timer);
        timer = undefined;
      }
    },
    quality: (id) => quality.get(id) ?? 'unknown',
    sample: (id) => samples.get(id) ?? null,
    destroy() {
      destroyed = true;
      clearInterval(timer);
      peers = [];
    },
  };
}
