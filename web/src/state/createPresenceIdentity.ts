/**
 * How this tab shows up to the others: a colour nobody else present has (colourAssignment.ts),
 * kept per browser across reloads, and a "· tab 2" after the name when this browser already has
 * the room open in another tab (a Web Lock per tab number, released when the tab closes).
 */
import { onCleanup } from 'solid-js';
import type { Session } from '@peerboard/core';
import { remotePresences, setPresence } from '@peerboard/core/collab';
import { nextColour, type ColourPeer, type ColourState } from './colourAssignment';

export interface PresenceIdentity {
  /** the name others see for `name` in this tab */
  label(name: string): string;
}

/** The first free tab number of this room in this browser; 1 where Web Locks are missing. */
function claimTabNumber(roomId: string, onNumber: (n: number) => void): () => void {
  const locks = (navigator as { locks?: LockManager }).locks;
  let release: (() => void) | null = null;
  let stopped = false;
  if (!locks) return () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  const tryNumber = (n: number): void => {
    if (stopped || n > 20) return;
    void locks
      .request(`peerboard-tab:${roomId}:${n}`, { ifAvailable: true }, (lock) => {
        if (!lock) {
          tryNumber(n + 1);
          return undefined;
        }
        onNumber(n);
        return held; // kept until this tab leaves the room
      })
      .catch(() => undefined);
  };
  tryNumber(1);
  return () => {
    stopped = true;
    release?.();
  };
}

export function createPresenceIdentity(session: Session, roomId: string): PresenceIdentity {
  const awareness = session.doc.awareness;
  const me: ColourState = {
    clientId: awareness.clientID,
    colour: session.colour,
    since: Date.now(),
  };
  setPresence(awareness, { since: me.since });
  let tab = 1;
  let baseName = '';

  const recolour = (): void => {
    const peers: ColourPeer[] = [];
    remotePresences(awareness).forEach((p, clientId) => {
      peers.push({ clientId, colour: p.colour, since: p.since });
    });
    const next = nextColour(me, peers);
    if (next === me.colour) return;
    me.colour = next;
    setPresence(awareness, { colour: next });
  };
  awareness.on('change', recolour);
  recolour();

  const label = (name: string): string => {
    baseName = name;
    return tab > 1 ? `${name} · tab ${tab}` : name;
  };
  const stopTab = claimTabNumber(roomId, (n) => {
    tab = n;
    const current = awareness.getLocalState() as { name?: unknown } | null;
    if (n > 1 && typeof current?.name === 'string')
      setPresence(awareness, { name: label(baseName || current.name) });
  });
  onCleanup(() => {
    awareness.off('change', recolour);
    stopTab();
  });
  return { label };
}
