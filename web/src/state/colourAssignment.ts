/**
 * Presence colours that differ within a room, pure (createPresenceIdentity.ts runs it). Each
 * browser keeps a preferred colour across reloads; it shows that colour unless someone already
 * present has it, in which case the newcomer moves to the least-used colour of the palette.
 *
 * Who is the newcomer: each presence says when it joined (`since`); the later one gives way,
 * ties broken by client id, so both sides agree without a round trip (and however slowly the
 * link opened). A presence without `since` counts as there from the start.
 *
 * Tabs of one browser (the same verified device) are one person with one colour: a later tab
 * takes the colour of the first tab of its browser, and never gives way to its own tabs.
 */
import { PEER_PALETTE } from '@peerboard/core/collab';

/** The least-used palette colour among `taken`; ties go to the first after `seed`. */
export function leastUsedColour(taken: readonly string[], seed: number): string {
  const counts = new Map<string, number>(PEER_PALETTE.map((c) => [c, 0]));
  for (const c of taken) if (counts.has(c)) counts.set(c, counts.get(c)! + 1);
  const n = PEER_PALETTE.length;
  let best: string = PEER_PALETTE[((seed % n) + n) % n]!;
  for (let i = 0; i < n; i++) {
    const c = PEER_PALETTE[(((seed + i) % n) + n) % n]!;
    if (counts.get(c)! < counts.get(best)!) best = c;
  }
  return best;
}

export interface ColourPeer {
  clientId: number;
  colour: string;
  /** when it joined (ms since the epoch); absent = before anyone */
  since?: number;
  /** another tab of our own browser (a verified device claim) */
  sameDevice?: boolean;
}

export interface ColourState {
  clientId: number;
  colour: string;
  since: number;
}

/** True when `p` came before `q` (and so keeps a colour they share). */
const cameFirst = (p: ColourPeer, q: ColourPeer): boolean => {
  const a = p.since ?? 0;
  const b = q.since ?? 0;
  return a < b || (a === b && p.clientId < q.clientId);
};

/** Our next colour: the same one, or a free one if we are the one who must give way. */
export function nextColour(me: ColourState, peers: readonly ColourPeer[]): string {
  let firstTab: ColourPeer | null = null;
  for (const p of peers)
    if (p.sameDevice && cameFirst(p, me) && (!firstTab || cameFirst(p, firstTab))) firstTab = p;
  if (firstTab) return firstTab.colour;
  const others = peers.filter((p) => !p.sameDevice);
  const mustYield = others.some((p) => p.colour === me.colour && cameFirst(p, me));
  if (!mustYield) return me.colour;
  return leastUsedColour(
    others.map((p) => p.colour),
    me.clientId,
  );
}
