/**
 * Solid bridge for the session's chat: the message list and typing names as signals, and the
 * unread count.
 *
 * Unread: messages by others after the last one this browser has seen in this room. The marker
 * (a message id) is kept in localStorage, so a reload does not bring back old messages as new,
 * while history that arrived from peers since the last visit does count.
 */
import { createEffect, createMemo, createSignal, onCleanup, type Accessor } from 'solid-js';
import type { Result } from '@peerboard/protocol';
import type { Chat, ChatErrorCode, ChatMessage } from '@peerboard/core/chat';

export interface ChatState {
  messages: Accessor<ChatMessage[]>;
  /** sent by this client in this page session (decided locally, never from author fields) */
  isMine(messageId: string): boolean;
  send(text: string): Result<ChatMessage, ChatErrorCode>;
  /** names of the others typing right now */
  typing: Accessor<string[]>;
  keystroke(): void;
  stopTyping(): void;
  unread: Accessor<number>;
}

/** localStorage key of the room's read marker (Forget this room removes it) */
export const chatReadKey = (roomId: string) => `peerboard.chatRead.${roomId}`;

function loadMarker(roomId: string): string | null {
  try {
    return localStorage.getItem(chatReadKey(roomId));
  } catch {
    return null;
  }
}

function saveMarker(roomId: string, id: string): void {
  try {
    localStorage.setItem(chatReadKey(roomId), id);
  } catch {
    // session-only marker
  }
}

export function createChatState(o: {
  roomId: string;
  chat: Chat;
  /** the chat panel is on screen (unread messages are cleared while it is) */
  visible: Accessor<boolean>;
}): ChatState {
  const { chat } = o;
  const [messages, setMessages] = createSignal<ChatMessage[]>(chat.messages());
  const offChat = chat.onMessages(() => setMessages(chat.messages()));
  const [typing, setTyping] = createSignal<string[]>(chat.typing());
  const offTyping = chat.onTyping(setTyping);

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
    for (let i = start; i < list.length; i++) if (!chat.isMine(list[i]!.id)) n++;
    return n;
  });

  onCleanup(() => {
    offChat();
    offTyping();
  });

  return {
    messages,
    isMine: chat.isMine,
    send: chat.send,
    typing,
    keystroke: chat.keystroke,
    stopTyping: chat.stopTyping,
    unread,
  };
}
