/**
 * The one Solid bridge over a room session: makeSession() (core) for this room page, each part
 * mirrored into signals/stores by its own bridge, all torn down by the session's destroy() when
 * the page's owner is cleaned up.
 */
import { onCleanup, type Accessor } from 'solid-js';
import type { Store } from 'solid-js/store';
import { makeSession, type RoomSnapshot, type Session } from '@peerboard/core';
import { makeIdbImageStore } from '@peerboard/core/transfer';
import { createCallState, type CallState } from './createCallState';
import { createChatState, type ChatState } from './createChatState';
import { createFiles, type FilesState } from './createFiles';
import { createPeerNames, type PeerNames } from './createPeerNames';
import { createPresenceIdentity } from './createPresenceIdentity';
import { createRoomState } from './createRoomState';
import { createVersionNotices, type VersionNoticesState } from './createVersionNotices';
import { EarlySocket } from './earlySocket';
import { preferredColour } from './prefs';
import { roomResumeStore } from './resumeKeeping';
import { fileSendCounter } from '../debug';

export interface SessionState {
  /** the framework-free session (board, debug hooks and tests reach the engine here) */
  session: Session;
  /** reactive mirror of `session.room.snapshot()` */
  state: Store<RoomSnapshot>;
  files: FilesState;
  chat: ChatState;
  call: CallState;
  /** live display names (ours and the others'), and renaming ourselves */
  names: PeerNames;
  /** pages in the room cut off for another protocol version, ours or theirs out of date */
  versions: VersionNoticesState;
}

export function createSession(o: {
  roomId: string;
  name: string;
  /** the room secret from the link's fragment; null = open room */
  secret: string | null;
  /** the chat panel is on screen */
  chatVisible: Accessor<boolean>;
}): SessionState {
  // No signalingUrl: the engine uses the page's own origin (`/ws`, wss: under https:), and
  // adopts the socket the page's first module opened there (earlySocket.ts).
  const session = makeSession({
    WebSocket: EarlySocket,
    roomId: o.roomId,
    name: o.name,
    secret: o.secret ?? undefined,
    colour: preferredColour(),
    transfers: {
      resume: roomResumeStore(o.roomId, o.secret),
      onChunkSent: fileSendCounter(),
      imageStore: makeIdbImageStore(o.secret ?? undefined) ?? undefined,
    },
  });
  // a joiner asks for its first screen from the first link on, before the board's chunk has
  // loaded: the board's initial view is the window at zoom 1 (the board refines it on mount)
  session.doc.firstScreen.setView({ minX: 0, minY: 0, maxX: innerWidth, maxY: innerHeight });
  const identity = createPresenceIdentity(session, o.roomId);
  // A closing tab runs no cleanup, and Chromium's peers would notice only when ICE consent fails
  // (~15 s): say goodbye on pagehide (destroy() sends synchronously, nothing to await).
  const leave = () => session.destroy();
  // Back from the back/forward cache after that goodbye: the session is gone, start afresh.
  const back = (e: PageTransitionEvent) => e.persisted && location.reload();
  addEventListener('pagehide', leave);
  addEventListener('pageshow', back);
  onCleanup(() => {
    removeEventListener('pagehide', leave);
    removeEventListener('pageshow', back);
    session.destroy();
  });
  return {
    session,
    state: createRoomState(session.room),
    files: createFiles(session.transfers),
    chat: createChatState({ roomId: o.roomId, chat: session.chat, visible: o.chatVisible }),
    call: createCallState(session.call),
    names: createPeerNames(session, o.name, identity.label, identity.device, identity),
    versions: createVersionNotices(session.room),
  };
}
