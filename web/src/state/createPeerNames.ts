/**
 * Solid bridge over makePresenceNames: the name to show for a peer and for ourselves, live.
 * A peer's link hello fixes PeerInfo.name when the link opens; a rename inside the room reaches
 * the others through presence, so the presence name wins where there is one.
 */
import { createSignal, onCleanup, type Accessor } from 'solid-js';
import type { Session } from '@peerboard/core';
import {
  peerColor,
  setPresence,
  type PresenceAway,
  type PresenceDevices,
  type PresenceNames,
} from '@peerboard/core/collab';
import { setDisplayName } from './prefs';

export interface PeerNames {
  /** the name to show for a peer: its live presence name, else the one from its link */
  of(peer: { id: string; name: string }): string;
  /** that peer's verified browser (two tabs of one person share it), undefined when unproven */
  device(peer: { id: string }): string | undefined;
  /** that peer is idle or has its tab in the background */
  away(peer: { id: string }): PresenceAway | null;
  /** that peer's presence colour (its cursor's), undefined until it published one */
  colour(peer: { id: string }): string | undefined;
  /** our own presence colour as the others see it now */
  selfColour: Accessor<string>;
  /** one colour per person everywhere (People list, board, call): presence, else from the id */
  personColour(p: { id: string; self?: boolean }): string;
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
  label: (name: string) => string,
  selfDevice: Accessor<string | undefined>,
  /** the session's tracker (session.presence), which the session destroys */
  presence: { names: PresenceNames; devices: PresenceDevices },
): PeerNames {
  label(initial);
  const { names, devices } = presence;
  const awareness = session.doc.awareness;
  // bumped on every presence change: of() re-reads the awareness states under it
  const [version, setVersion] = createSignal(0);
  const [self, setSelf] = createSignal(initial);
  const off = names.onChange(() => setVersion((v) => v + 1));
  const offDevices = devices.onChange(() => setVersion((v) => v + 1));
  onCleanup(() => {
    off();
    offDevices();
  });
  const api: PeerNames = {
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
    colour(peer) {
      version();
      return names.presenceOf(peer.id)?.colour;
    },
    selfColour() {
      version();
      const own = awareness.getLocalState() as { colour?: unknown } | null;
      return typeof own?.colour === 'string' ? own.colour : session.colour;
    },
    personColour(p) {
      return p.self ? api.selfColour() : (api.colour(p) ?? peerColor(p.id));
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
  return api;
}
