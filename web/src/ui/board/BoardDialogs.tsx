import { createSignal, For, onCleanup, onMount } from 'solid-js';
import { Dialog, type DialogApi } from '../Dialog';
import { SHORTCUTS, TOOLS } from '../../board/input/tools';

/**
 * "?" overlay: every shortcut in plain words, all on screen at once (a phone packs the tool keys
 * three to a line and the rest in two columns). Should a very small screen still cut the list,
 * a cue says there is more until the end is reached.
 */
export function HelpDialog(props: { ref: (api: DialogApi) => void }) {
  const [atEnd, setAtEnd] = createSignal(true);
  let list: HTMLDListElement | undefined;
  const measure = () => {
    if (list) setAtEnd(list.scrollTop + list.clientHeight >= list.scrollHeight - 4);
  };
  onMount(() => {
    // sizes are known once the dialog shows (and change with the window)
    const observer = new ResizeObserver(measure);
    observer.observe(list!);
    onCleanup(() => observer.disconnect());
  });
  return (
    <Dialog
      ref={props.ref}
      class="board-help"
      titleId="board-help-title"
      title="Keyboard shortcuts"
    >
      <dl ref={list} class="shortcut-list" onScroll={measure} tabindex="0" aria-label="Shortcuts">
        <For each={SHORTCUTS}>
          {(s, i) => (
            <div class="shortcut-row" classList={{ 'is-tool': i() < TOOLS.length }}>
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
