/**
 * Room chat stored in the room's Y.Doc (`doc.getArray('chat')`), so late joiners and reloads
 * (y-indexeddb) get the history with no extra protocol.
 *
 * Order: the Y.Array order itself. Yjs orders concurrent appends deterministically (by client
 * id), so every peer shows the same sequence. `ts` is the sender's clock, for display only:
 * clocks differ between machines and sorting by them would reorder history as messages arrive.
 */
import * as Y from 'yjs';
import {
  CHAT_MESSAGE_MAX_LENGTH,
  DISPLAY_NAME_MAX_LENGTH,
  err,
  isColour,
  ok,
  randomId,
  sanitizeText,
  type Result,
} from '@peerboard/protocol';
import type { Unsubscribe } from '../types';
import { LOCAL_ORIGIN } from '../collab/origins';

export const CHAT_KEY = 'chat';
/** readChat returns at most this many (the newest); a hostile peer can append without end */
export const CHAT_HISTORY_MAX = 2_000;

export interface ChatMessage {
  id: string;
  authorClientId: number;
  authorName: string;
  colour: string;
  text: string;
  /** sender's clock (ms since epoch), display only */
  ts: number;
}

export type ChatErrorCode = 'ERR_NOT_OBJECT' | 'ERR_FIELD' | 'ERR_EMPTY' | 'ERR_TOO_LONG';

export const chatArray = (doc: Y.Doc): Y.Array<unknown> => doc.getArray<unknown>(CHAT_KEY);

/** Length as the user counts it (code points, so an emoji is one), capped cheaply. */
export function chatTextLength(text: string): number {
  if (text.length > CHAT_MESSAGE_MAX_LENGTH * 2) return text.length; // surely too long
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * Normalise message text: \r\n -> \n, C0/C1 controls (but tab and newline) and bidi controls
 * dropped (protocol's sanitizeText, shared with names and file names), outer blank lines
 * trimmed. Done on read, so what is displayed is what was checked.
 */
export function sanitizeChatText(text: string): string {
  return sanitizeText(text, { multiline: true }).trim();
}

function checkText(raw: string): Result<string, ChatErrorCode> {
  if (chatTextLength(raw) > CHAT_MESSAGE_MAX_LENGTH)
    return err('ERR_TOO_LONG', `message longer than ${CHAT_MESSAGE_MAX_LENGTH} characters`);
  const text = sanitizeChatText(raw);
  if (text.length === 0) return err('ERR_EMPTY', 'message is empty');
  return ok(text);
}

export function readChatMessage(raw: unknown): Result<ChatMessage, ChatErrorCode> {
  if (
    typeof raw !== 'object' ||
    raw === null ||
    Array.isArray(raw) ||
    raw instanceof Y.AbstractType
  )
    return err('ERR_NOT_OBJECT', 'chat message is not an object');
  const m = raw as Record<string, unknown>;
  const { id, authorClientId, authorName, colour, text, ts } = m;
  if (typeof id !== 'string' || id.length === 0 || id.length > 64) return err('ERR_FIELD', 'id');
  if (!Number.isSafeInteger(authorClientId) || (authorClientId as number) < 0)
    return err('ERR_FIELD', 'authorClientId');
  if (typeof authorName !== 'string') return err('ERR_FIELD', 'authorName');
  if (!isColour(colour)) return err('ERR_FIELD', 'colour');
  if (typeof ts !== 'number' || !Number.isFinite(ts)) return err('ERR_FIELD', 'ts');
  if (typeof text !== 'string') return err('ERR_FIELD', 'text');
  const checked = checkText(text);
  if (!checked.ok) return checked;
  const name = sanitizeText(authorName.slice(0, DISPLAY_NAME_MAX_LENGTH * 2), { controlsAs: ' ' })
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, DISPLAY_NAME_MAX_LENGTH);
  return ok({
    id,
    authorClientId: authorClientId as number,
    authorName: name || 'Guest',
    colour: colour.toLowerCase(),
    text: checked.value,
    ts,
  });
}

export interface ChatAuthor {
  name: string;
  colour: string;
}

/** Append a message. Refuses empty and over-long text with a code the UI turns into a hint. */
export function sendChatMessage(
  doc: Y.Doc,
  author: ChatAuthor,
  text: string,
  now: number = Date.now(),
): Result<ChatMessage, ChatErrorCode> {
  const message = readChatMessage({
    id: randomId(12),
    authorClientId: doc.clientID,
    authorName: author.name,
    colour: author.colour,
    text,
    ts: now,
  });
  if (!message.ok) return message;
  // chat is not in the undo manager's scope, so Ctrl+Z never unsends a message
  doc.transact(() => chatArray(doc).push([message.value]), LOCAL_ORIGIN);
  return message;
}

/** Valid messages in the shared order (the newest CHAT_HISTORY_MAX). */
export function readChat(doc: Y.Doc): ChatMessage[] {
  const arr = chatArray(doc);
  const start = Math.max(0, arr.length - CHAT_HISTORY_MAX * 2);
  const out: ChatMessage[] = [];
  for (const raw of arr.slice(start)) {
    const r = readChatMessage(raw);
    if (r.ok) out.push(r.value);
  }
  return out.length > CHAT_HISTORY_MAX ? out.slice(out.length - CHAT_HISTORY_MAX) : out;
}

export interface ChatChange {
  /** valid messages inserted by this transaction, in array order */
  added: ChatMessage[];
  /** true when this client sent them (for unread counting: only remote ones count) */
  local: boolean;
}

/** Fires per transaction with the new messages (which may land before others: CRDT order). */
export function observeChat(doc: Y.Doc, fn: (change: ChatChange) => void): Unsubscribe {
  const arr = chatArray(doc);
  const handler = (event: Y.YArrayEvent<unknown>, txn: Y.Transaction): void => {
    const added: ChatMessage[] = [];
    for (const delta of event.changes.delta) {
      if (!delta.insert || !Array.isArray(delta.insert)) continue;
      for (const raw of delta.insert) {
        const r = readChatMessage(raw);
        if (r.ok) added.push(r.value);
      }
    }
    if (added.length > 0) fn({ added, local: txn.local });
  };
  arr.observe(handler);
  let active = true;
  return () => {
    if (!active) return;
    active = false;
    arr.unobserve(handler);
  };
}
