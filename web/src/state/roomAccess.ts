/** Forgetting a room on this device; the access decision itself is in roomAccessCheck.ts. */
import { forgetRoomStores, type BoardPersistence } from '@peerboard/core/collab';
import { chatReadKey } from './createChatState';
import { forgetRoomDownloads } from './resumeKeeping';
import { browserStorage, forgetProtected, type MarkStorage } from './roomAccessCheck';

/**
 * "Forget this room on this device": the live store (`persistence`, cleared first so its open
 * connection does not block the deletion), both kinds of stored document, unfinished downloads
 * (resume records and their partial files), the chat read marker and the protected mark. Every step runs; then it rejects if a store could not be deleted
 * (e.g. another tab of the room holds it open).
 */
export async function forgetRoomOnDevice(o: {
  roomId: string;
  secret: string | null;
  persistence: BoardPersistence;
  storage?: MarkStorage | null;
}): Promise<void> {
  const storage = o.storage === undefined ? browserStorage() : o.storage;
  const failures: unknown[] = [];
  await o.persistence.clearData().catch((e: unknown) => failures.push(e));
  await forgetRoomStores(o.roomId, o.secret).catch((e: unknown) => failures.push(e));
  await forgetRoomDownloads(o.roomId, o.secret).catch((e: unknown) => failures.push(e));
  try {
    storage?.removeItem(chatReadKey(o.roomId));
  } catch {
    // disabled storage holds nothing
  }
  await forgetProtected(o.roomId, storage);
  if (failures.length > 0)
    throw new Error(`could not delete the room's store: ${String(failures[0])}`);
}
