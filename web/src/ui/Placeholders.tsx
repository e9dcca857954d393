import type { Component } from 'solid-js';
import { PenIcon } from './icons';

/** Stand-ins for the features of later issues; each is replaced by its real panel. */
export function PanelPlaceholder(props: {
  icon: Component<{ size?: number }>;
  title: string;
  text: string;
}) {
  return (
    <div class="placeholder">
      <span class="placeholder-icon">
        <props.icon size={22} />
      </span>
      <h2 class="placeholder-title">{props.title}</h2>
      <p class="placeholder-text">{props.text}</p>
    </div>
  );
}

export function BoardPlaceholder() {
  return (
    <div class="board-empty">
      <span class="placeholder-icon placeholder-icon-lg">
        <PenIcon size={28} />
      </span>
      <h2 class="board-empty-title">Your shared board</h2>
      <p class="placeholder-text">
        The whiteboard will appear here. Everyone in the room sees the same board, live.
      </p>
    </div>
  );
}
