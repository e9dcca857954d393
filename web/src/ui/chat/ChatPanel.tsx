import { CHAT_MESSAGE_MAX_LENGTH } from '@peerboard/protocol';
import { createEffect, createSignal, For, on, onMount, Show } from 'solid-js';
import { chatTextLength, type ChatMessage } from '@peerboard/core/chat';
import type { ChatState } from '../../state/createChatState';
import { ChatIcon } from '../icons';
import { ChatText } from './ChatText';
import './chat.css';

/** Show the counter from this many characters on, so it is a hint and not noise. */
const COUNTER_FROM = CHAT_MESSAGE_MAX_LENGTH - 200;
/** A new header (name + time) after a pause this long, even from the same author. */
const GROUP_GAP_MS = 5 * 60_000;
/** Within this many pixels of the end counts as "at the bottom" (keeps following). */
const BOTTOM_SLACK_PX = 48;

const timeFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const fullFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function typingLabel(names: string[]): string {
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names.length} people are typing…`;
}

export function ChatPanel(props: { chat: ChatState }) {
  const [draft, setDraft] = createSignal('');
  const [error, setError] = createSignal<string | null>(null);
  const [atBottom, setAtBottom] = createSignal(true);
  const [missed, setMissed] = createSignal(0);
  let list: HTMLDivElement | undefined;
  let input: HTMLTextAreaElement | undefined;

  const length = () => chatTextLength(draft());
  const over = () => length() > CHAT_MESSAGE_MAX_LENGTH;
  const empty = () => draft().trim() === '';

  const scrollToEnd = () => {
    if (!list) return;
    list.scrollTop = list.scrollHeight;
    setAtBottom(true);
    setMissed(0);
  };
  const onScroll = () => {
    if (!list) return;
    const bottom = list.scrollHeight - list.scrollTop - list.clientHeight < BOTTOM_SLACK_PX;
    setAtBottom(bottom);
    if (bottom) setMissed(0);
  };

  // follow new messages unless the reader scrolled up; our own message always scrolls
  createEffect(
    on(
      () => props.chat.messages(),
      (msgs, prev) => {
        const added = prev ? msgs.length - prev.length : 0;
        const last = msgs.at(-1);
        const mine = last !== undefined && props.chat.isMine(last.id);
        if (atBottom() || mine) queueMicrotask(scrollToEnd);
        else if (added > 0) setMissed((n) => n + added);
      },
    ),
  );
  onMount(() => {
    // the panel may mount hidden; scroll once it has a size
    const ro = new ResizeObserver(() => atBottom() && scrollToEnd());
    if (list) ro.observe(list);
  });

  const resize = () => {
    if (!input) return;
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight, 160)}px`;
  };

  const send = () => {
    if (empty()) return;
    const r = props.chat.send(draft());
    if (!r.ok) {
      setError(
        r.code === 'ERR_TOO_LONG'
          ? `Messages can be up to ${CHAT_MESSAGE_MAX_LENGTH} characters. Shorten it a little.`
          : 'Type a message first.',
      );
      return;
    }
    setDraft('');
    setError(null);
    queueMicrotask(resize);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    // an IME composing a character uses Enter to confirm it: not a send
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      send();
    }
  };

  const startsGroup = (m: ChatMessage, i: number) => {
    const prev = props.chat.messages()[i - 1];
    // a rename mid-conversation starts a new group, so the new name is shown
    return (
      !prev ||
      prev.authorClientId !== m.authorClientId ||
      prev.authorName !== m.authorName ||
      m.ts - prev.ts > GROUP_GAP_MS
    );
  };

  return (
    <div class="chat">
      <div ref={list} class="chat-scroll" onScroll={onScroll}>
        <Show when={props.chat.messages().length === 0}>
          <div class="chat-empty">
            <span class="placeholder-icon">
              <ChatIcon size={22} />
            </span>
            <p class="placeholder-title">No messages yet</p>
            <p class="placeholder-text">
              Say hello. Everyone in the room sees the chat, and it stays with the board.
            </p>
          </div>
        </Show>
        <ol class="chat-list" role="log" aria-label="Chat messages" aria-live="polite">
          <For each={props.chat.messages()}>
            {(m, i) => (
              <li
                class="chat-msg"
                classList={{ 'chat-msg-first': startsGroup(m, i()) }}
                data-own={props.chat.isMine(m.id) ? 'true' : 'false'}
              >
                <Show when={startsGroup(m, i())}>
                  <div class="chat-meta">
                    <span class="chat-author" style={{ '--author-colour': m.colour }}>
                      <span class="chat-dot" aria-hidden="true" />
                      {props.chat.isMine(m.id) ? 'You' : <bdi>{m.authorName}</bdi>}
                    </span>
                    <time
                      class="chat-time"
                      datetime={new Date(m.ts).toISOString()}
                      title={fullFmt.format(m.ts)}
                    >
                      {timeFmt.format(m.ts)}
                    </time>
                  </div>
                </Show>
                <p class="chat-text">
                  <ChatText text={m.text} />
                </p>
              </li>
            )}
          </For>
        </ol>
      </div>
      <Show when={!atBottom() && missed() > 0}>
        <button type="button" class="chat-jump btn btn-secondary" onClick={scrollToEnd}>
          {missed() === 1 ? '1 new message' : `${missed()} new messages`} ↓
        </button>
      </Show>
      <div class="chat-typing" aria-live="polite">
        {typingLabel(props.chat.typing())}
      </div>
      <form
        class="chat-composer"
        onSubmit={(e) => {
          e.preventDefault();
          send();
        }}
      >
        <label class="visually-hidden" for="chat-input">
          Message to everyone in the room
        </label>
        <textarea
          ref={input}
          id="chat-input"
          class="input chat-input"
          rows={1}
          placeholder="Message everyone…"
          value={draft()}
          aria-invalid={over() ? 'true' : 'false'}
          aria-describedby="chat-hint"
          onInput={(e) => {
            setDraft(e.currentTarget.value);
            setError(null);
            resize();
            if (e.currentTarget.value.trim()) props.chat.keystroke();
            else props.chat.stopTyping();
          }}
          onBlur={() => props.chat.stopTyping()}
          onKeyDown={onKeyDown}
        />
        <button
          type="submit"
          class="btn btn-primary chat-send"
          disabled={empty() || over()}
          aria-label="Send message"
        >
          Send
        </button>
        <p id="chat-hint" class="chat-hint" data-over={over() ? 'true' : 'false'}>
          <Show
            when={error()}
            fallback={
              <>
                <span>Enter to send · Shift+Enter for a new line</span>
                <Show when={length() >= COUNTER_FROM}>
                  <span class="chat-counter">
                    {over()
                      ? `${length() - CHAT_MESSAGE_MAX_LENGTH} characters too long`
                      : `${CHAT_MESSAGE_MAX_LENGTH - length()} characters left`}
                  </span>
                </Show>
              </>
            }
          >
            <span class="chat-error" role="alert">
              {error()}
            </span>
          </Show>
        </p>
      </form>
    </div>
  );
}
