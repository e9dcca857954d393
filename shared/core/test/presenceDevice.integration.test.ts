/**
 * One person in two tabs, over the real relay and real WebRTC peers: two sessions signing their
 * client ids with one device key are recognised as one browser; a third member who copies that
 * signed claim into its own presence is not (the signature covers the other tab's client id).
 */
import { describe, expect, it } from 'vitest';
import { p256 } from '@noble/curves/nist.js';
import type { Session } from '../src/session';
import { makePresenceNames, setPresence, type PresenceNames } from '../src/collab/presence';
import {
  makePresenceDevices,
  signDeviceClaim,
  type PresenceDevices,
} from '../src/collab/presenceDevice';
import { clientIdOfKey } from '../src/identity';
import { uniqueRoom } from './kit/relay';
import { until, useSessionRelay } from './kit/sessions';

const net = useSessionRelay();
const join = (roomId: string, name: string): Session => net.join(roomId, name);

function devicesSeenBy(s: Session): { names: PresenceNames; devices: PresenceDevices } {
  const names = makePresenceNames(s.doc.awareness);
  const devices = makePresenceDevices(s.doc.awareness, names);
  net.track(devices);
  net.track(names);
  return { names, devices };
}

/** a browser's device key (the app keeps a WebCrypto one in IndexedDB) */
function deviceKey() {
  const secret = p256.utils.randomSecretKey();
  return {
    publicKey: p256.getPublicKey(secret, false),
    sign: async (m: Uint8Array) => p256.sign(m, secret),
  };
}

describe('presence devices', () => {
  it('groups two tabs of one browser; a member copying their claim is not merged in', async () => {
    const roomId = uniqueRoom('device');
    const bob = join(roomId, 'Bob');
    const { names, devices } = devicesSeenBy(bob);
    const alice1 = join(roomId, 'Alice');
    const alice2 = join(roomId, 'Alice');
    const mallory = join(roomId, 'Mallory');
    const key = deviceKey();
    const aliceDevice = clientIdOfKey(key.publicKey);
    for (const tab of [alice1, alice2])
      setPresence(tab.doc.awareness, {
        device: await signDeviceClaim(key.publicKey, key.sign, tab.room.clientId),
      });
    await until(
      () =>
        devices.deviceOf(alice1.room.clientId) === aliceDevice &&
        devices.deviceOf(alice2.room.clientId) === aliceDevice,
    );

    // Mallory sees Alice's claim (awareness is broadcast) and republishes it as her own
    const mAware = mallory.doc.awareness;
    await until(() =>
      [...mAware.getStates().values()].some((s) => (s as { device?: unknown }).device),
    );
    const stolen = [...mAware.getStates().entries()].find(
      ([id, s]) => id !== mAware.clientID && (s as { device?: unknown }).device,
    )![1] as { device: { key: string; sig: string } };
    setPresence(mAware, { name: 'Alice', device: stolen.device });
    await until(() => names.nameOf(mallory.room.clientId) === 'Alice');
    await until(() => devices.claimOf(mallory.room.clientId) !== 'checking');
    expect(devices.claimOf(mallory.room.clientId)).toBe('refused');
    expect(devices.deviceOf(mallory.room.clientId)).toBeUndefined();
    expect(devices.deviceOf(alice1.room.clientId)).toBe(aliceDevice);

    // signing her own id with a key of her own makes her another device, never Alice's
    const own = deviceKey();
    setPresence(mAware, {
      device: await signDeviceClaim(own.publicKey, own.sign, mallory.room.clientId),
    });
    await until(() => devices.deviceOf(mallory.room.clientId) === clientIdOfKey(own.publicKey));
  });
});
