/**
 * Which pages in the room are on another protocol version, from the room's `peer_close` reason
 * 'version' (both ends of such a link report it): the others whose page is out of date, each
 * listed once however often its page comes back and is cut off again, and whether this page is
 * out of date (someone spoke a newer version). Framework-free; createVersionNotices.ts mirrors
 * it into Solid.
 */
import { PROTOCOL_VERSION } from '@peerboard/protocol';
import type { Room } from '@peerboard/core';

export interface OutdatedPeer {
  id: string;
  /** its name as the relay introduced it (its link never got far enough to say more) */
  name: string;
}

export interface VersionNotices {
  /** people whose page is older than ours, in the order they were cut off, less dismissed ones */
  outdatedPeers(): OutdatedPeer[];
  /** someone in the room runs a newer Peerboard: this page has to reload to join them */
  selfOutdated(): boolean;
  /** hides that person's notice for the rest of this visit, even if their page retries */
  dismiss(id: string): void;
  destroy(): void;
}

export function makeVersionNotices(room: Pick<Room, 'on'>, onChange: () => void): VersionNotices {
  const outdated = new Map<string, OutdatedPeer>();
  const dismissed = new Set<string>();
  let selfOutdated = false;
  const offs = [
    room.on('peer_close', (p) => {
      if (p.reason !== 'version') return;
      if (p.version > PROTOCOL_VERSION) {
        if (selfOutdated) return;
        selfOutdated = true;
        return onChange();
      }
      if (outdated.has(p.id) || dismissed.has(p.id)) return;
      outdated.set(p.id, { id: p.id, name: p.name });
      onChange();
    }),
    // a link opened, so that page speaks our version now: it reloaded
    room.on('peer_open', ({ id }) => {
      dismissed.delete(id);
      if (outdated.delete(id)) onChange();
    }),
  ];
  return {
    outdatedPeers: () => [...outdated.values()],
    selfOutdated: () => selfOutdated,
    dismiss(id) {
      dismissed.add(id);
      if (outdated.delete(id)) onChange();
    },
    destroy() {
      for (const off of offs.splice(0)) off();
    },
  };
}
