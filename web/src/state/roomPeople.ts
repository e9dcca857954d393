/**
 * The People list by person, pure: the room's peers whose verified device (see
 * core/collab/presenceDevice.ts) is the same are one person with a tab count, and peers on our
 * own device are our other tabs. A peer without a verified device is always a person of its own.
 */
export interface RoomPerson<P extends { id: string }> {
  /** the row's link state, name and code come from this tab (the first one listed) */
  lead: P;
  tabs: number;
  /** every tab is away */
  away: boolean;
}

export function groupRoomPeers<P extends { id: string }>(
  peers: readonly P[],
  deviceOf: (peer: P) => string | undefined,
  isAway: (peer: P) => boolean,
  selfDevice: string | undefined,
): { others: RoomPerson<P>[]; ownTabs: number } {
  let ownTabs = 1;
  const groups = new Map<string, P[]>();
  for (const peer of peers) {
    const device = deviceOf(peer);
    if (device !== undefined && device === selfDevice) {
      ownTabs++;
      continue;
    }
    const key = device === undefined ? `peer:${peer.id}` : `device:${device}`;
    const list = groups.get(key);
    if (list) list.push(peer);
    else groups.set(key, [peer]);
  }
  const others = [...groups.values()].map((list) => {
    const active = list.filter((p) => !isAway(p));
    return { lead: active[0] ?? list[0]!, tabs: list.length, away: active.length === 0 };
  });
  return { others, ownTabs };
}
