import { For, Match, Switch } from 'solid-js';
import { renderChatText } from '@peerboard/core/chat';

/**
 * Message text as text nodes and safe links. Solid sets text children with textContent and
 * `href` as an attribute, so markup in a message is displayed, never parsed: no innerHTML here.
 */
export function ChatText(props: { text: string }) {
  return (
    <For each={renderChatText(props.text)}>
      {(seg) => (
        <Switch>
          <Match when={seg.kind === 'link' && seg}>
            {(link) => (
              <a href={link().href} target="_blank" rel="noopener noreferrer">
                {link().text}
              </a>
            )}
          </Match>
          <Match when={seg.kind === 'text'}>{seg.text}</Match>
        </Switch>
      )}
    </For>
  );
}
