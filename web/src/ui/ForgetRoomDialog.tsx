import { createSignal, Show } from 'solid-js';
import { Dialog, type DialogApi } from './Dialog';

/** Confirms "Forget this room on this device"; `onForget` deletes, leaves and goes home. */
export function ForgetRoomDialog(props: {
  ref: (api: DialogApi) => void;
  onForget: () => Promise<void>;
}) {
  const [busy, setBusy] = createSignal(false);
  const [failed, setFailed] = createSignal(false);
  let api: DialogApi | undefined;
  const confirm = async () => {
    setBusy(true);
    setFailed(false);
    try {
      await props.onForget();
      api?.close();
    } catch {
      setFailed(true);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      ref={(a) => {
        api = a;
        props.ref(a);
      }}
      alert
      class="forget-dialog"
      titleId="forget-title"
      describedBy="forget-text"
      title="Forget this room on this device?"
    >
      <p id="forget-text" class="dialog-text">
        The board and chat this browser keeps for this room are deleted, and you leave the room. The
        others keep their copies: with the full link you can join again and get the board back from
        whoever is there.
      </p>
      <Show when={failed()}>
        <p class="field-error" role="alert">
          Something could not be deleted. Close other tabs of this room and try again.
        </p>
      </Show>
      <div class="dialog-actions">
        <button type="button" class="btn btn-secondary" onClick={() => api?.close()} autofocus>
          Cancel
        </button>
        <button
          type="button"
          class="btn btn-danger"
          disabled={busy()}
          onClick={() => void confirm()}
        >
          {busy() ? 'Forgetting…' : 'Forget room'}
        </button>
      </div>
    </Dialog>
  );
}
