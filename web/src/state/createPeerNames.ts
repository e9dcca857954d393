/**
 * Solid bridge over makePresenceNames: the name to show for a peer and for ourselves, live.
 * A peer's link hello fixes PeerInfo.name when the link opens; a rename inside the room reaches
 * the others through presence, so the presence name wins where there is one.
 */
import { createSignal, onCleanup, type Accessor } from 'solid-js';
import type { Session } from '@peerboard/core';
import {
  makePresenceDevices,
  makePresenceNames,
  setPresence,
  type PresenceAway,
} from '@peerboard/core/collab';
import { setDisplayName } from './prefs';

export interface PeerNames {
  /** the name to show for a peer: its live presence name, else the one from its link */
  of(peer: { id: string; name: string }): string;
  /** that peer's verified browser (two tabs of one person share it), undefined when unproven */
  device(peer: { id: string }): string | undefined;
  /** that peer is idle or has its tab in the background */
  away(peer: { id: string }): PresenceAway | null;
  /** our own browser's device id, once known */
  selfDevice: Accessor<string | undefined>;
  /** our own name as the others see it now */
  self: Accessor<string>;
  /** renames us in this room and keeps the name for next time; returns the cleaned name */
  rename(name: string): string;
}

export function createPeerNames(
  session: Session,
  initial: string,
  /** the name others see in this tab ("Alice · tab 2") */
  label: (name: string) => string = (n) => n,
  selfDevice: Accessor<string | undefined> = () => undefined,
): PeerNames {
  label(initial);
  const names = makePresenceNames(session.doc.awareness);
  // bumped on every presence change: of() re-reads the awareness states under it
  const [version, setVersion] = createSignal(0);
  const [self, setSelf] = createSignal(initial);
  const devices = makePresenceDevices(session.doc.awareness, names);
  const off = names.onChange(() => setVersion((v) => v + 1));
  const offDevices = devices.onChange(() => setVersion((v) => v + 1));
  onCleanup(() => {
    off();
    offDevices();
    devices.destroy();
    names.destroy();
  });
  return {
    of(peer) {
      version();
      return names.nameOf(peer.id) ?? peer.name;
    },
    device(peer) {
      version();
      return devices.deviceOf(peer.id);
    },
    away(peer) {
      version();
      return names.presenceOf(peer.id)?.away ?? null;
    },
    selfDevice,
    self,
    rename(name) {
      const cleaned = session.rename(name);
      const shown = label(cleaned);
      if (shown !== cleaned) setPresence(session.doc.awareness, { name: shown });
      setSelf(cleaned);
      setDisplayName(cleaned);
      return cleaned;
    },
  };
}
