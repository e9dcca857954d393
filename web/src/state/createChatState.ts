/**
 * Solid bridge for the room chat: the message list from the shared Y.Doc (observeChat ->
 * signal), sending, typing (awareness) and the unread count.
 *
 * Unread: messages by others after the last one this browser has seen in this room. The marker
 * (a message id) is kept in localStorage, so a reload does not bring back old messages as new,
 * while history that arrived from peers since the last visit does count.
 */
import { createEffect, createMemo, createSignal, onCleanup, type Accessor } from 'solid-js';
import type { Result } from '@peerboard/protocol';
import type { RoomDoc } from '@peerboard/core/collab';
import { readPresence } from '@peerboard/core/collab';
import {
  observeChat,
  readChat,
  sendChatMessage,
  type ChatErrorCode,
  type ChatMessage,
} from '@peerboard/core/chat';
import { makeTypingReporter, typingNames } from '@peerboard/core/chat';

export interface ChatState {
  messages: Accessor<ChatMessage[]>;
  /** our Y.Doc client id: messages with this author are ours (this page session) */
  selfClientId: number;
  send(text: string): Result<ChatMessage, ChatErrorCode>;
  /** names of the others typing right now */
  typing: Accessor<string[]>;
  keystroke(): void;
  stopTyping(): void;
  unread: Accessor<number>;
}

const readKey = (roomId: string) => `peerboard.chatRead.${roomId}`;

function loadMarker(roomId: string): string | null {
  try {
    return localStorage.getItem(readKey(roomId));
  } catch {
    return null;
  }
}

function saveMarker(roomId: string, id: string): void {
  try {
    localStorage.setItem(readKey(roomId), id);
  } catch {
    // session-only marker
  }
}

export function createChatState(o: {
  roomId: string;
  roomDoc: RoomDoc;
  self: { name: string; colour: string };
  /** the chat panel is on screen (unread messages are cleared while it is) */
  visible: Accessor<boolean>;
}): ChatState {
  const { doc, awareness } = o.roomDoc;
  const [messages, setMessages] = createSignal<ChatMessage[]>(readChat(doc));
  const offChat = observeChat(doc, () => setMessages(readChat(doc)));

  // typing needs a valid presence (name + colour); the board may have published one already
  const current = awareness.getLocalState() ?? {};
  if (!readPresence(current).ok)
    awareness.setLocalState({
      cursor: null,
      selection: [],
      typing: false,
      ...current,
      name: o.self.name,
      colour: o.self.colour,
    });
  const [typing, setTyping] = createSignal<string[]>(typingNames(awareness));
  const onAwareness = () => {
    const next = typingNames(awareness);
    if (next.join('\n') !== typing().join('\n')) setTyping(next);
  };
  awareness.on('change', onAwareness);
  const reporter = makeTypingReporter(awareness);

  const [marker, setMarker] = createSignal<string | null>(loadMarker(o.roomId));
  createEffect(() => {
    const last = messages().at(-1);
    if (o.visible() && last && last.id !== marker()) {
      setMarker(last.id);
      saveMarker(o.roomId, last.id);
    }
  });
  const unread = createMemo(() => {
    const list = messages();
    const m = marker();
    let start = 0;
    if (m !== null) {
      const at = list.findLastIndex((x) => x.id === m);
      if (at >= 0) start = at + 1;
    }
    let n = 0;
    for (let i = start; i < list.length; i++) if (list[i]!.authorClientId !== doc.clientID) n++;
    return n;
  });

  onCleanup(() => {
    offChat();
    awareness.off('change', onAwareness);
    reporter.destroy();
  });

  return {
    messages,
    selfClientId: doc.clientID,
    send(text) {
      const r = sendChatMessage(doc, o.self, text);
      if (r.ok) reporter.stop();
      return r;
    },
    typing,
    keystroke: () => reporter.keystroke(),
    stopTyping: () => reporter.stop(),
    unread,
  };
}
