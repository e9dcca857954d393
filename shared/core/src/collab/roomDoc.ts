/**
 * The room's shared document: one Y.Doc per room holding the board and the chat, its awareness
 * (cursors, selections, typing), peer-to-peer sync over the room's data channels and local
 * persistence. Board and chat features take `RoomDoc` rather than building their own, so there
 * is exactly one doc, one provider and one IndexedDB store per room (sealed for a protected room).
 */
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import type { Room } from '../room';
import { makeDocUpdates, type DocUpdates } from './docUpdates';
import { makeBoardPersistence, type BoardPersistence } from './persistence';
import { makeCollabProvider, type CollabProvider } from './provider';
import { makeRoomTransport } from './roomTransport';
import type { DocUpdateCheck } from './docSchema';
import { elementsMap } from './boardModel';
import { readLegacyPoints } from './elements';
import { migrateStrokePoints } from './strokePoints';
import { makeFirstScreen, type FirstScreen } from './firstScreen';

export interface RoomDoc {
  readonly doc: Y.Doc;
  readonly awareness: Awareness;
  readonly provider: CollabProvider;
  /** the doc's update tap (peers' bytes go in through applyRemote) */
  readonly updates: DocUpdates;
  readonly persistence: BoardPersistence;
  /** a joiner's preview of what its view shows, before the board syncs (firstScreen.ts) */
  readonly firstScreen: FirstScreen;
  destroy(): void;
}

export interface RoomDocOptions {
  /** a protected room's secret: the local store is sealed with keys derived from it */
  secret?: string;
  /** what a peer's update may contain (default: the board + chat schema) */
  check?: DocUpdateCheck;
}

export function makeRoomDoc(room: Room, options: RoomDocOptions = {}): RoomDoc {
  const doc = new Y.Doc();
  const awareness = new Awareness(doc);
  // One update tap for the wire and IndexedDB: Yjs encodes only local transactions for them.
  const updates = makeDocUpdates(doc);
  // Load the stored board first so it renders before any peer answers; peers sync in parallel.
  const persistence = makeBoardPersistence(room.roomId, doc, {
    updates,
    secret: options.secret,
  });
  const firstScreen = makeFirstScreen(doc);
  const provider = makeCollabProvider({
    doc,
    awareness,
    transport: makeRoomTransport(room),
    updates,
    check: options.check,
    firstScreen,
  });
  let destroyed = false;
  // The load is not broadcast (it is quiet): a peer that synced with us before it finished
  // gets the stored part it lacks now, rather than at the next anti-entropy round.
  // A board stored before integer points is rewritten once (strokePoints.ts), before it is
  // pushed, so peers and the store get the compact form.
  void persistence.whenSynced.then((status) => {
    if (destroyed || status.kind !== 'loaded') return;
    migrateStrokePoints(doc, elementsMap(doc), readLegacyPoints);
    provider.pushState();
  });
  return {
    doc,
    awareness,
    provider,
    updates,
    persistence,
    firstScreen,
    destroy() {
      if (destroyed) return;
      destroyed = true;
      provider.destroy();
      firstScreen.destroy();
      persistence.destroy();
      updates.destroy();
      awareness.destroy();
      doc.destroy();
    },
  };
}
