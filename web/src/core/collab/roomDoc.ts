/**
 * The room's shared document: one Y.Doc per room holding the board and the chat, its awareness
 * (cursors, selections, typing), peer-to-peer sync over the room's data channels and local
 * persistence. Board and chat features take `RoomDoc` rather than building their own, so there
 * is exactly one doc, one provider and one IndexedDB store per room.
 */
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import type { Room } from '../room';
import { makeBoardPersistence, type BoardPersistence } from './persistence';
import { makeCollabProvider, type CollabProvider } from './provider';
import { makeRoomTransport } from './roomTransport';

export interface RoomDoc {
  readonly doc: Y.Doc;
  readonly awareness: Awareness;
  readonly provider: CollabProvider;
  readonly persistence: BoardPersistence;
  destroy(): void;
}

export function makeRoomDoc(room: Room): RoomDoc {
  const doc = new Y.Doc();
  const awareness = new Awareness(doc);
  // Load the stored board first so it renders before any peer answers; peers sync in parallel.
  const persistence = makeBoardPersistence(room.roomId, doc);
  const provider = makeCollabProvider({ doc, awareness, transport: makeRoomTransport(room) });
  let destroyed = false;
  return {
    doc,
    awareness,
    provider,
    persistence,
    destroy() {
      if (destroyed) return;
      destroyed = true;
      provider.destroy();
      persistence.destroy();
      awareness.destroy();
      doc.destroy();
    },
  };
}
