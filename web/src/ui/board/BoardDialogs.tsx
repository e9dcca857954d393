import { createSignal, For } from 'solid-js';
import { Dialog, type DialogApi } from '../Dialog';
import { SHORTCUTS } from '../../board/input/tools';

/** "?" overlay: every shortcut in plain words. */
export function HelpDialog(props: { ref: (api: DialogApi) => void }) {
  // a phone shows one scrolling column: a cue says there is more until the end is reached
  const [atEnd, setAtEnd] = createSignal(false);
  const onScroll = (e: Event) => {
    const el = e.currentTarget as HTMLElement;
    setAtEnd(el.scrollTop + el.clientHeight >= el.scrollHeight - 4);
  };
  return (
    <Dialog
      ref={props.ref}
      class="board-help"
      titleId="board-help-title"
      title="Keyboard shortcuts"
    >
      <dl class="shortcut-list" onScroll={onScroll} tabindex="0" aria-label="Shortcuts">
        <For each={SHORTCUTS}>
          {(s) => (
            <div class="shortcut-row">
              <dt>
                <kbd>{s.keys}</kbd>
              </dt>
              <dd>{s.action}</dd>
            </div>
          )}
        </For>
      </dl>
      <p class="shortcut-more" aria-hidden="true" data-hidden={atEnd()}>
        Scroll for more ↓
      </p>
    </Dialog>
  );
}

/** Clearing wipes the board for everyone, so it asks first (undo still brings it back). */
export function ClearDialog(props: { ref: (api: DialogApi) => void; onConfirm: () => void }) {
  let dialog: DialogApi | undefined;
  let cancel: HTMLButtonElement | undefined;
  props.ref({
    open: () => {
      dialog?.open();
      cancel?.focus();
    },
    close: () => dialog?.close(),
  });
  return (
    <Dialog
      ref={(api) => (dialog = api)}
      alert
      titleId="board-clear-title"
      title="Clear the board?"
      describedBy="board-clear-text"
    >
      <p id="board-clear-text" class="dialog-text">
        This removes every drawing for everyone in the room. You can bring it back with Undo.
      </p>
      <div class="dialog-actions">
        <button
          ref={cancel}
          type="button"
          class="btn btn-secondary"
          onClick={() => dialog?.close()}
        >
          Cancel
        </button>
        <button
          type="button"
          class="btn btn-danger"
          onClick={() => {
            dialog?.close();
            props.onConfirm();
          }}
        >
          Clear board
        </button>
      </div>
    </Dialog>
  );
}
