import { DISPLAY_NAME_MAX_LENGTH } from '@peerboard/protocol';
import { Show } from 'solid-js';
import { displayName, setDisplayName } from '../state/prefs';

interface NameFieldProps {
  id: string;
  error?: string | null;
  ref?: (el: HTMLInputElement) => void;
  onInput?: () => void;
  /** Enter in the field (not while an input method is composing), e.g. "create the room" */
  onEnter?: () => void;
}

/** "Your name", stored in localStorage as you type so it is there next time. */
export function NameField(props: NameFieldProps) {
  return (
    <div class="field">
      <label class="field-label" for={props.id}>
        Your name
      </label>
      <input
        ref={props.ref}
        id={props.id}
        class="input"
        type="text"
        autocomplete="nickname"
        maxLength={DISPLAY_NAME_MAX_LENGTH}
        placeholder="e.g. Alex"
        value={displayName()}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={`${props.id}-hint`}
        onInput={(e) => {
          setDisplayName(e.currentTarget.value);
          props.onInput?.();
        }}
        onKeyDown={(e) => {
          if (e.key !== 'Enter' || e.isComposing || !props.onEnter) return;
          e.preventDefault();
          props.onEnter();
        }}
      />
      <Show
        when={props.error}
        fallback={
          <p id={`${props.id}-hint`} class="field-hint">
            Shown to the others in the room.
          </p>
        }
      >
        <p id={`${props.id}-hint`} class="field-error" role="alert">
          {props.error}
        </p>
      </Show>
    </div>
  );
}
