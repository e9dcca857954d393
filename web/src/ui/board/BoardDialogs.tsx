import { For } from 'solid-js';
import { Dialog, type DialogApi } from '../Dialog';
import { SHORTCUTS } from '../../board/input/tools';

/** "?" overlay: every shortcut in plain words. */
export function HelpDialog(props: { ref: (api: DialogApi) => void }) {
  return (
    <Dialog
      ref={props.ref}
      class="board-help"
      titleId="board-help-title"
      title="Keyboard shortcuts"
    >
      <dl class="shortcut-list">
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
