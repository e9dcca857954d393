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
  type StatsCounters,
} from './quality';

export const QUALITY_POLL_MS = 2_000;

export interface QualityMonitor {
  /** the peers to measure and whether video is expected from each */
  setPeers(peers: { id: string; expectVideo: boolean }[]): void;
  quality(id: string): Quality;
  destroy(): void;
}

export function makeQualityMonitor(
  room: Room,
  onChange: () => void,
  intervalMs = QUALITY_POLL_MS,
): QualityMonitor {
  let peers: { id: string; expectVideo: boolean }[] = [];
  const prev = new Map<string, StatsCounters>();
  const quality = new Map<string, Quality>();
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
        const q = classifyQuality(sampleBetween(prev.get(id) ?? null, now), expectVideo);
        prev.set(id, now);
        if (quality.get(id) !== q) {
          quality.set(id, q);
          changed = true;
        }
      }
    } finally {
      busy = false;
    }
    if (changed && !destroyed) onChange();
  };

  return {
    setPeers(next) {
      if (destroyed) return;
      peers = next;
      const ids = new Set(next.map((p) => p.id));
      for (const id of [...prev.keys()]) if (!ids.has(id)) prev.delete(id);
      for (const id of [...quality.keys()]) if (!ids.has(id)) quality.delete(id);
      if (next.length > 0) timer ??= setInterval(() => void poll(), intervalMs);
      else {
        clearInterval(timer);
        timer = undefined;
      }
    },
    quality: (id) => quality.get(id) ?? 'unknown',
    destroy() {
      destroyed = true;
      clearInterval(timer);
      peers = [];
    },
  };
}
