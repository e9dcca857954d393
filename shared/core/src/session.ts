/**
 * makeSession(): everything one person has in one room, assembled in one place and torn down
 * by one destroy(). The app, the Yjs provider and the command line all start here.
 *
 *   const session = makeSession({ roomId, name, secret, signalingUrl, WebSocket, wrtc });
 *   session.room        signaling + peer mesh + framed wire (makeRoom)
 *   session.doc         the room's Y.Doc, awareness, sync provider and local store (makeRoomDoc)
 *   session.transfers   file offers, accepts and the block swarm (makeTransfers)
 *   session.chat        messages, typing, which ones are ours (makeChat)
 *   session.call        audio/video on the same peer connections (makeCall)
 *   session.presence    whose presence is whose and their verified browsers: the one tracker
 *                       the People list and the board both read (makePresenceNames/Devices)
 */
import { cleanDisplayName } from '@peerboard/protocol';
import { makeCall, type Call, type CallOptions } from './call/call';
import { makeChat, type Chat } from './chat/chat';
import { peerColor } from './collab/peerColor';
import {
  initPresence,
  makePresenceNames,
  setPresence,
  type PresenceNames,
} from './collab/presence';
import { makePresenceDevices, type PresenceDevices } from './collab/presenceDevice';
import type { DocUpdateCheck } from './collab/docSchema';
import { makeRoomDoc, type RoomDoc } from './collab/roomDoc';
import { makeRoom, type Room } from './room';
import { makeTransfers, type Transfers, type TransfersOptions } from './transfer/transfers';
import type { RoomOptions } from './types';

export interface SessionOptions extends RoomOptions {
  /** presence colour (cursor, avatar, chat name); default: derived from the client id */
  colour?: string;
  transfers?: Omit<TransfersOptions, 'room'>;
  call?: CallOptions;
  /**
   * What peers' document updates may contain. Default: the whiteboard's board + chat schema.
   * An app with a document of its own passes `checkAnyUpdate` from `@peerboard/core/collab`
   * (byte budgets still apply) or a check of its own.
   */
  documentCheck?: DocUpdateCheck;
}

export interface SessionPresence {
  names: PresenceNames;
  devices: PresenceDevices;
}

export interface Session {
  readonly room: Room;
  readonly doc: RoomDoc;
  readonly transfers: Transfers;
  readonly chat: Chat;
  readonly call: Call;
  /** this person's presence colour */
  readonly colour: string;
  /**
   * Whose awareness state is whose (names, owners) and which peers proved the same browser:
   * one per session, so every view agrees on a rename and nobody verifies a claim twice.
   */
  readonly presence: SessionPresence;
  /**
   * A new display name for what the others see from now on: presence (cursor, avatar) at once,
   * and the author of the chat messages sent after it. Earlier messages keep the old name.
   * Returns the name as cleaned (cleanDisplayName). The People lists follow through a new hello
   * on every open link (the relay keeps the join name: in protected rooms it never has one).
   */
  rename(name: string): string;
  /**
   * Leaves the room: says goodbye first (a `bye` to every peer, `leave` to the relay: they drop
   * us at once), then ends the call, transfers, chat and document. Synchronous throughout, so
   * it is what a page calls on `pagehide` (a closing tab otherwise lingers ~15 s on the others).
   */
  destroy(): void;
}

export function makeSession(options: SessionOptions): Session {
  const room = makeRoom(options);
  const doc = makeRoomDoc(room, { secret: options.secret, check: options.documentCheck });
  const colour = options.colour ?? peerColor(room.clientId);
  initPresence(doc.awareness, {
    name: options.name,
    colour,
    cursor: null,
    selection: [],
    typing: false,
  });
  // made with the doc, before any peer: every state's owner is seen as it arrives
  const names = makePresenceNames(doc.awareness, doc.provider.ownerOf);
  const presence: SessionPresence = { names, devices: makePresenceDevices(doc.awareness, names) };
  const transfers = makeTransfers({ ...options.transfers, room });
  const chat = makeChat(doc, { name: options.name, colour });
  const call = makeCall(room, options.call);
  let destroyed = false;
  return {
    room,
    doc,
    transfers,
    chat,
    call,
    colour,
    presence,
    rename(raw) {
      const name = cleanDisplayName(raw);
      if (destroyed) return name;
      room.setName(name);
      setPresence(doc.awareness, { name });
      chat.setAuthor({ name, colour });
      return name;
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      // The room first: on pagehide the goodbyes must leave before anything slower runs, and
      // what the features would still send after them is moot (the peers are dropping us).
      room.destroy();
      call.destroy();
      transfers.destroy();
      chat.destroy();
      presence.devices.destroy();
      presence.names.destroy();
      doc.destroy();
    },
  };
}
