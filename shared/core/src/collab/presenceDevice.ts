/**
 * "The same person in two tabs": each browser keeps one P-256 key (the device key, in the app's
 * IndexedDB) and every tab signs its own room client id with it. A receiver checks the signature
 * against the client id of the peer whose link delivered the state (makePresenceNames' owner),
 * never against anything written inside the state, so a peer that copies Alice's claim into its
 * own presence shows a signature over Alice's id, not its own, and stays a separate person.
 */
import type { Awareness } from 'y-protocols/awareness';
import { base64url } from '@peerboard/protocol';
import { clientIdOfKey, verifySignature } from '../identity';
import { fromBase64url } from '../identity/identity';
import type { Unsubscribe } from '../types';
import type { PresenceNames } from './presence';
import { readDevice, type PresenceDevice } from './presenceExtras';

const DOMAIN = 'peerboard-device-v1\n';

/** The id tabs of one browser share: the hash of its device key, as a client id is of its key. */
export const deviceIdOf = (publicKey: Uint8Array): string => clientIdOfKey(publicKey);

/** What the device key signs for a tab whose room client id is `clientId`. */
export const deviceMessage = (clientId: string): Uint8Array =>
  new TextEncoder().encode(DOMAIN + clientId);

/** The presence `device` field for this tab. */
export async function signDeviceClaim(
  publicKey: Uint8Array,
  sign: (message: Uint8Array) => Promise<Uint8Array>,
  clientId: string,
): Promise<PresenceDevice> {
  return { key: base64url(publicKey), sig: base64url(await sign(deviceMessage(clientId))) };
}

/** The device id (hash of the key) when `claim` is a valid signature over `clientId`, else null. */
export async function verifyDeviceClaim(
  claim: PresenceDevice,
  clientId: string,
): Promise<string | null> {
  const key = fromBase64url(claim.key);
  const sig = fromBase64url(claim.sig);
  if (!key || !sig) return null;
  return (await verifySignature(key, sig, deviceMessage(clientId))) ? clientIdOfKey(key) : null;
}

export interface PresenceDevices {
  /** the verified device of a room peer (PeerInfo.id), undefined when unknown or unproven */
  deviceOf(peerId: string): string | undefined;
  /** where the check of that peer's claim stands ('none': it made no claim) */
  claimOf(peerId: string): 'none' | 'checking' | 'verified' | 'refused';
  /** fires when a verification finished or a peer's claim went away */
  onChange(fn: () => void): Unsubscribe;
  destroy(): void;
}

/**
 * Verified devices of the room's peers. Verification is asynchronous (WebCrypto) and cached per
 * (peer, claim): awareness states change on every pointer move, claims almost never.
 */
export function makePresenceDevices(awareness: Awareness, names: PresenceNames): PresenceDevices {
  const verified = new Map<string, string | null>(); // peer id -> device id, null = refused
  const checked = new Map<string, string>(); // peer id -> the claim last checked for it
  const listeners = new Set<() => void>();
  let destroyed = false;
  const emit = (): void => {
    for (const fn of listeners) fn();
  };

  const scan = (): void => {
    const claims = new Map<string, PresenceDevice>();
    awareness.getStates().forEach((state, id) => {
      const owner = id === awareness.clientID ? undefined : names.ownerOf(id);
      const claim = owner ? readDevice((state as { device?: unknown }).device) : null;
      if (owner && claim) claims.set(owner, claim);
    });
    let changed = false;
    for (const peer of [...checked.keys()])
      if (!claims.has(peer)) {
        checked.delete(peer);
        changed = verified.delete(peer) || changed;
      }
    for (const [peer, claim] of claims) {
      const tag = `${claim.key}.${claim.sig}`;
      if (checked.get(peer) === tag) continue;
      checked.set(peer, tag);
      verified.delete(peer);
      void verifyDeviceClaim(claim, peer).then((device) => {
        if (destroyed || checked.get(peer) !== tag) return;
        verified.set(peer, device);
        emit();
      });
    }
    if (changed) emit();
  };
  awareness.on('change', scan);
  scan();

  return {
    deviceOf: (peerId) => verified.get(peerId) ?? undefined,
    claimOf(peerId) {
      if (!checked.has(peerId)) return 'none';
      const v = verified.get(peerId);
      return v === undefined ? 'checking' : v === null ? 'refused' : 'verified';
    },
    onChange(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      awareness.off('change', scan);
      listeners.clear();
    },
  };
}
