/**
 * Presence entries grouped by person: the tabs of one browser (one verified device, see
 * core/collab/presenceDevice.ts) are one person with a tab count. An entry without a verified
 * device is a person of its own, so nobody can join someone else's entry by claiming a name.
 */
export interface PresenceEntry {
  clientId: number;
  name: string;
  colour: string;
  /** verified device id, absent when unproven */
  device?: string;
  /** the room peer whose link brought it (PeerInfo.id) */
  peerId?: string;
  away?: 'idle' | 'hidden' | null;
  /** publishes a viewport (can be followed) */
  followable: boolean;
}

export interface PersonGroup {
  /** stable key for lists: the device, else the lone client id */
  key: string;
  name: string;
  colour: string;
  tabs: number;
  /** every tab is away (one active tab makes the person active) */
  away: boolean;
  /** the tab to follow: an active one that publishes its view, else any that does */
  followId: number | null;
  clientIds: number[];
  /** room peers of its tabs (the People list and header avatars name people by these) */
  peerIds: string[];
}

/** strip the "· tab 2" a second tab adds to its name where devices are unknown */
export const baseName = (name: string): string => name.replace(/ · tab \d+$/, '');

export function groupPeople(entries: readonly PresenceEntry[]): PersonGroup[] {
  const byKey = new Map<string, PresenceEntry[]>();
  for (const e of entries) {
    const key = e.device ? `d:${e.device}` : `c:${e.clientId}`;
    const list = byKey.get(key);
    if (list) list.push(e);
    else byKey.set(key, [e]);
  }
  const out: PersonGroup[] = [];
  for (const [key, list] of byKey) {
    const sorted = [...list].sort((a, b) => a.clientId - b.clientId);
    const active = sorted.filter((e) => !e.away);
    const lead = active[0] ?? sorted[0]!;
    const follow = active.find((e) => e.followable) ?? sorted.find((e) => e.followable) ?? null;
    out.push({
      key,
      name: list.length > 1 ? baseName(lead.name) : lead.name,
      colour: lead.colour,
      tabs: list.length,
      away: active.length === 0,
      followId: follow?.clientId ?? null,
      clientIds: sorted.map((e) => e.clientId),
      peerIds: sorted.flatMap((e) => (e.peerId ? [e.peerId] : [])),
    });
  }
  return out;
}

export const tabsLabel = (tabs: number): string => (tabs > 1 ? `${tabs} tabs` : '');
