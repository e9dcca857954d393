/**
 * The room chat as one object over the room document: the message list, sending, typing
 * (awareness) and which messages this client sent.
 *
 * "Mine" is decided from a local record of the ids this client sent, never from a message's
 * author fields: any peer can write any authorClientId, and a forged message must not show as
 * "You" on the victim's screen. History from an earlier visit shows under its author's name.
 */
import type { Result } from '@peerboard/protocol';
import type { RoomDoc } from '../collab/roomDoc';
import type { Unsubscribe } from '../types';
import {
  observeChat,
  readChat,
  sendChatMessage,
  type ChatAuthor,
  type ChatChange,
  type ChatErrorCode,
  type ChatMessage,
} from './chatModel';
import { makeTypingReporter, typingNames } from './typing';

export interface Chat {
  /** valid messages in the shared order */
  messages(): ChatMessage[];
  /** per transaction that added messages; `local` = sent from this client */
  onMessages(fn: (change: ChatChange) => void): Unsubscribe;
  send(text: string): Result<ChatMessage, ChatErrorCode>;
  /** this client sent it (in this page session) */
  isMine(messageId: string): boolean;
  /** names of the others typing right now */
  typing(): string[];
  onTyping(fn: (names: string[]) => void): Unsubscribe;
  keystroke(): void;
  stopTyping(): void;
  /** the name and colour new messages carry */
  setAuthor(author: ChatAuthor): void;
  destroy(): void;
}

export function makeChat(roomDoc: RoomDoc, author: ChatAuthor): Chat {
  const { doc, awareness } = roomDoc;
  let self = author;
  const sent = new Set<string>();
  const reporter = makeTypingReporter(awareness);
  const unsubs = new Set<Unsubscribe>();
  let destroyed = false;
  return {
    messages: () => readChat(doc),
    onMessages(fn) {
      const off = observeChat(doc, fn);
      unsubs.add(off);
      return () => {
        unsubs.delete(off);
        off();
      };
    },
    send(text) {
      const r = sendChatMessage(doc, self, text);
      if (r.ok) {
        sent.add(r.value.id);
        reporter.stop();
      }
      return r;
    },
    isMine: (id) => sent.has(id),
    typing: () => typingNames(awareness),
    onTyping(fn) {
      let last = typingNames(awareness).join('\n');
      const handler = () => {
        const names = typingNames(awareness);
        if (names.join('\n') === last) return;
        last = names.join('\n');
        fn(names);
      };
      awareness.on('change', handler);
      const off = () => awareness.off('change', handler);
      unsubs.add(off);
      return () => {
        unsubs.delete(off);
        off();
      };
    },
    keystroke: () => reporter.keystroke(),
    stopTyping: () => reporter.stop(),
    setAuthor: (next) => void (self = next),
    destroy() {
      if (destroyed) return;
      destroyed = true;
      for (const off of unsubs) off();
      unsubs.clear();
      reporter.destroy();
    },
  };
}
