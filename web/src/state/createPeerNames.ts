/**
 * Solid bridge over makePresenceNames: the name to show for a peer and for ourselves, live.
 * A peer's link hello fixes PeerInfo.name when the link opens; a rename inside the room reaches
 * the others through presence, so the presence name wins where there is one.
 */
import { createSignal, onCleanup, type Accessor } from 'solid-js';
import type { Session } from '@peerboard/core';
import { makePresenceNames, setPresence } from '@peerboard/core/collab';
import { setDisplayName } from './prefs';

export interface PeerNames {
  /** the name to show for a peer: its live presence name, else the one from its link */
  of(peer: { id: string; name: string }): string;
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
): PeerNames {
  label(initial);
  const names = makePresenceNames(session.doc.awareness);
  // bumped on every presence change: of() re-reads the awareness states under it
  const [version, setVersion] = createSignal(0);
  const [self, setSelf] = createSignal(initial);
  const off = names.onChange(() => setVersion((v) => v + 1));
  onCleanup(() => {
    off();
    names.destroy();
  });
  return {
    of(peer) {
      version();
      return names.nameOf(peer.id) ?? peer.name;
    },
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
