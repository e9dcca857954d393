import { DISPLAY_NAME_MAX_LENGTH } from '@peerboard/protocol';
import { createSignal, Show } from 'solid-js';
import type { PeerNames } from '../state/createPeerNames';
import { Dialog, type DialogApi } from './Dialog';

/**
 * "Change your name" inside the room: the others see the new name on your cursor, avatar and
 * next chat messages at once, and it is kept for next time. Enter saves.
 */
export function RenameDialog(props: {
  names: PeerNames;
  ref: (api: { open: () => void }) => void;
}) {
  let dialog: DialogApi | undefined;
  let input: HTMLInputElement | undefined;
  const [error, setError] = createSignal<string | null>(null);
  props.ref({
    open() {
      setError(null);
      if (input) input.value = props.names.self();
      dialog?.open();
      input?.select();
    },
  });
  const save = (e: SubmitEvent) => {
    e.preventDefault();
    if (!input || input.value.trim() === '') {
      setError('Add a name, so the others know who you are.');
      input?.focus();
      return;
    }
    props.names.rename(input.value);
    dialog?.close();
  };
  return (
    <Dialog
      ref={(api) => (dialog = api)}
      class="rename-dialog"
      titleId="rename-title"
      title="Change your name"
    >
      <form class="rename-form" onSubmit={save} noValidate>
        <div class="field">
          <label class="field-label" for="rename-name">
            Your name
          </label>
          <input
            ref={input}
            id="rename-name"
            class="input"
            type="text"
            autocomplete="nickname"
            maxLength={DISPLAY_NAME_MAX_LENGTH}
            aria-invalid={error() ? 'true' : undefined}
            aria-describedby="rename-hint"
            onInput={() => setError(null)}
          />
          <Show
            when={error()}
            fallback={
              <p id="rename-hint" class="field-hint">
                The others see it at once. Messages you already sent keep the old name.
              </p>
            }
          >
            <p id="rename-hint" class="field-error" role="alert">
              {error()}
            </p>
          </Show>
        </div>
        <div class="dialog-actions">
          <button type="button" class="btn btn-secondary" onClick={() => dialog?.close()}>
            Cancel
          </button>
          <button type="submit" class="btn btn-primary">
            Save name
          </button>
        </div>
      </form>
    </Dialog>
  );
}
