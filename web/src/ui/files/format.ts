/** Human-readable sizes, speeds and durations for the Files panel. */
const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '–';
  let i = 0;
  while (n >= 1000 && i < UNITS.length - 1) {
    n /= 1000;
    i++;
  }
  return `${i === 0 ? n : n < 10 ? n.toFixed(1) : Math.round(n)} ${UNITS[i]}`;
}

export function formatSpeed(bytesPerSecond: number | null): string {
  return bytesPerSecond !== null && bytesPerSecond > 0 ? `${formatBytes(bytesPerSecond)}/s` : '';
}

export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '';
  if (seconds < 1) return 'almost done';
  if (seconds < 60) return `${Math.ceil(seconds)} s left`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min ${Math.round(seconds % 60)} s left`;
  return `${Math.floor(m / 60)} h ${m % 60} min left`;
}

/**
 * What a receiving file says while it has no speed: right after it starts nothing has been
 * measured yet ("starting"); once bytes flowed and then stopped for a few seconds it is
 * waiting for data. Nobody paused anything, so neither says "paused".
 */
export function idleText(t: { stalled: boolean }): string {
  return t.stalled ? 'waiting for data…' : 'starting…';
}
