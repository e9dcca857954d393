/**
 * A stable colour per peer, derived from its id so every participant sees the same colour for
 * the same person (the board's cursors will reuse it). Mid-tone hues readable on both themes.
 */
const PALETTE = [
  '#e5484d', // red
  '#f76b15', // orange
  '#d6a600', // amber
  '#30a46c', // green
  '#12a594', // teal
  '#0090ff', // blue
  '#6e56cf', // violet
  '#d6409f', // pink
] as const;

export function peerColor(id: string): string {
  // FNV-1a: cheap and well spread over short ids.
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return PALETTE[(hash >>> 0) % PALETTE.length]!;
}

/** One or two letters for an avatar. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = words[0] ?? '?';
  const second = words[1];
  const letters = second ? first[0]! + second[0]! : first.slice(0, 2);
  return letters.toUpperCase();
}
