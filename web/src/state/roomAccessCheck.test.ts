/**
 * The gate of `/r/<id>` (roomAccess.ts): which links may open a room, which are refused before
 * anything connects, and what the browser writes down to tell them apart.
 */
import { describe, expect, it } from 'vitest';
import { newSecretRoom, secretFragment } from '@peerboard/core/secret';
import {
  checkRoomAccess,
  forgetProtected,
  PROTECTED_MARKS_KEY,
  type MarkStorage,
} from './roomAccessCheck';
import { parseJoinInput } from './roomId';

function memoryStorage(): MarkStorage & { dump(): string } {
  const items = new Map<string, string>();
  return {
    getItem: (k) => items.get(k) ?? null,
    setItem: (k, v) => void items.set(k, v),
    removeItem: (k) => void items.delete(k),
    dump: () => JSON.stringify([...items]),
  };
}

describe('room links: which may open a room', () => {
  it('a valid key opens the protected room and is remembered, as a hash only', async () => {
    const storage = memoryStorage();
    const { roomId, secret } = await newSecretRoom();
    expect(await checkRoomAccess(roomId, secretFragment(secret), storage)).toEqual({
      kind: 'protected',
      secret,
    });
    expect(storage.dump()).toContain(PROTECTED_MARKS_KEY);
    expect(storage.dump()).not.toContain(roomId);
    expect(storage.dump()).not.toContain(secret);
  });

  it('the bare link of a room this browser knows as protected is refused', async () => {
    const storage = memoryStorage();
    const { roomId, secret } = await newSecretRoom();
    await checkRoomAccess(roomId, secretFragment(secret), storage);
    expect(await checkRoomAccess(roomId, '', storage)).toEqual({ kind: 'missing_key' });
    expect(await checkRoomAccess(roomId, '#', storage)).toEqual({ kind: 'missing_key' });
    expect(await checkRoomAccess(roomId, '#other=1', storage)).toEqual({ kind: 'missing_key' });
    // "Forget this room" forgets the mark too
    await forgetProtected(roomId, storage);
    expect(await checkRoomAccess(roomId, '', storage)).toEqual({ kind: 'open' });
  });

  it('a bare link this browser never saw as protected opens an open room, as before', async () => {
    const storage = memoryStorage();
    expect(await checkRoomAccess('AbCdEfGhIjKlMnOpQrStUv', '', storage)).toEqual({ kind: 'open' });
    const { roomId } = await newSecretRoom();
    expect(await checkRoomAccess(roomId, '', storage)).toEqual({ kind: 'open' });
    expect(await checkRoomAccess(roomId, '', null)).toEqual({ kind: 'open' });
  });

  it('a damaged key is refused: too short, bad characters, or the secret of another room', async () => {
    const storage = memoryStorage();
    const { roomId, secret } = await newSecretRoom();
    const other = await newSecretRoom();
    for (const fragment of [
      '#k=abc',
      '#k=',
      `#k=${secret.slice(0, 20)}`,
      `#k=${secret.slice(0, -1)}!`,
      secretFragment(other.secret),
    ])
      expect(await checkRoomAccess(roomId, fragment, storage), fragment).toEqual({
        kind: 'damaged',
      });
    // nothing was remembered for the refused links
    expect(await checkRoomAccess(roomId, '', storage)).toEqual({ kind: 'open' });
  });

  it('Join refuses a link whose key was cut off instead of opening an open room', async () => {
    const { roomId, secret } = await newSecretRoom();
    expect(parseJoinInput(`https://x.example/r/${roomId}#k=abc`)).toMatchObject({ ok: false });
    expect(parseJoinInput(`/r/${roomId}#k=${secret.slice(0, 10)}`)).toMatchObject({ ok: false });
    expect(parseJoinInput(`https://x.example/r/${roomId}#k=${secret}`)).toEqual({
      ok: true,
      roomId,
      secret,
    });
    expect(parseJoinInput(roomId)).toEqual({ ok: true, roomId, secret: null });
  });
});
