/**
 * Twelve clearly different mid-tone hues, readable on both themes. peerColor picks one from a
 * peer's id (avatars); the web app gives each person in a room a different one for presence.
 */
export const PEER_PALETTE = [
  '#e5484d', // red
  '#f76b15', // orange
  '#c99400', // gold
  '#82a300', // lime
  '#2f9e44', // green
  '#0894b3', // cyan (no teal: it read as a second green)
  '#0b68cb', // blue
  '#5b5bd6', // indigo
  '#8e4ec6', // purple
  '#d6409f', // pink
  '#a0522d', // brown
  '#607080', // slate
] as const;
const PALETTE = PEER_PALETTE;

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
