import { For } from 'solid-js';
import { CloseIcon } from '../icons';
import { SHORTCUTS } from './tools';

export interface DialogApi {
  open(): void;
}

/** "?" overlay: every shortcut in plain words. */
export function HelpDialog(props: { ref: (api: DialogApi) => void }) {
  let dialog: HTMLDialogElement | undefined;
  props.ref({ open: () => dialog?.showModal() });
  return (
    <dialog
      ref={dialog}
      class="dialog board-help"
      aria-labelledby="board-help-title"
      onClick={(e) => {
        if (e.target === dialog) dialog.close();
      }}
    >
      <div class="dialog-head">
        <h2 id="board-help-title" class="dialog-title">
          Keyboard shortcuts
        </h2>
        <button
          type="button"
          class="btn btn-ghost icon-btn"
          aria-label="Close"
          onClick={() => dialog?.close()}
        >
          <CloseIcon />
        </button>
      </div>
      <div class="dialog-body">
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
      </div>
    </dialog>
  );
}

/** Clearing wipes the board for everyone, so it asks first (undo still brings it back). */
export function ClearDialog(props: { ref: (api: DialogApi) => void; onConfirm: () => void }) {
  let dialog: HTMLDialogElement | undefined;
  let cancel: HTMLButtonElement | undefined;
  props.ref({
    open: () => {
      dialog?.showModal();
      cancel?.focus();
    },
  });
  return (
    <dialog
      ref={dialog}
      class="dialog"
      role="alertdialog"
      aria-labelledby="board-clear-title"
      aria-describedby="board-clear-text"
    >
      <div class="dialog-head">
        <h2 id="board-clear-title" class="dialog-title">
          Clear the board?
        </h2>
      </div>
      <div class="dialog-body">
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
      </div>
    </dialog>
  );
}
