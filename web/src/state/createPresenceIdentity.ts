/**
 * How this tab shows up to the others: a colour nobody else present has (colourAssignment.ts),
 * kept per browser across reloads and shared by its tabs, and a "· tab 2" after the name when this browser already has
 * the room open in another tab (a Web Lock per tab number, released when the tab closes).
 */
import { createSignal, onCleanup, type Accessor } from 'solid-js';
import type { Session } from '@peerboard/core';
import {
  remotePresences,
  setPresence,
  signDeviceClaim,
  type PresenceDevices,
  type PresenceNames,
} from '@peerboard/core/collab';
import { makeActivity } from './activity';
import { nextColour, type ColourPeer, type ColourState } from './colourAssignment';
import { loadDeviceKey } from './deviceKey';

export interface PresenceIdentity {
  /** the name others see for `name` in this tab */
  label(name: string): string;
  /** this browser's device id once its key is loaded (tabs of one browser share it) */
  device: Accessor<string | undefined>;
  /** the session's tracker (session.presence): whose presence is whose, their verified devices */
  names: PresenceNames;
  devices: PresenceDevices;
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
  // the session's, made before recolour's listener: a newcomer's owner is known when it looks
  const { names, devices } = session.presence;
  const [device, setDevice] = createSignal<string | undefined>();

  const recolour = (): void => {
    const own = device();
    const peers: ColourPeer[] = [];
    remotePresences(awareness).forEach((p, clientId) => {
      const owner = names.ownerOf(clientId);
      const sameDevice =
        own !== undefined && owner !== undefined && devices.deviceOf(owner) === own;
      peers.push({ clientId, colour: p.colour, since: p.since, sameDevice });
    });
    const next = nextColour(me, peers);
    if (next === me.colour) return;
    me.colour = next;
    setPresence(awareness, { colour: next });
  };
  awareness.on('change', recolour);
  const offDevices = devices.onChange(recolour);
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
  // the signed claim that lets the others show our tabs as one person
  let gone = false;
  void loadDeviceKey().then(async (key) => {
    if (!key || gone) return;
    const claim = await signDeviceClaim(key.publicKey, key.sign, session.room.clientId);
    if (gone) return;
    setPresence(awareness, { device: claim });
    setDevice(key.id);
    recolour(); // our other tabs are recognisable now
  });
  const activity = makeActivity({
    inputs: window,
    visibility: document,
    onChange: (away) => setPresence(awareness, { away }),
  });
  onCleanup(() => {
    gone = true;
    activity.destroy();
    awareness.off('change', recolour);
    offDevices();
    stopTab();
  });
  return { label, device, names, devices };
}
