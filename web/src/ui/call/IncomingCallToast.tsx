import { createSignal, Show } from 'solid-js';
import { Portal } from 'solid-js/web';
import type { CallState } from '../../state/createCallState';
import { VideoIcon } from '../icons';

/**
 * "Ann started a call — Join", wherever the person is in the room (the Call tab may be closed).
 * Join starts the call and opens the Call tab; Listen joins without camera or microphone (the
 * browser asks nothing; the microphone can be turned on later); Dismiss hides it until the
 * next call.
 */
export function IncomingCallToast(props: {
  call: CallState;
  /** the Call tab is on screen and already offers Join */
  hidden: boolean;
  onOpenCall: () => void;
}) {
  const [dismissed, setDismissed] = createSignal<string | null>(null);
  const incoming = () => {
    const inc = props.call.state.incoming;
    return inc && !props.hidden && dismissed() !== inc.startedById ? inc : null;
  };
  return (
    <Show when={incoming()}>
      {(inc) => (
        <Portal>
          <div class="call-toast" role="status" aria-live="polite">
            <span class="call-toast-icon" aria-hidden="true">
              <VideoIcon size={18} />
            </span>
            <p class="call-toast-text">
              <strong>{inc().startedByName}</strong> started a call
            </p>
            <button
              type="button"
              class="btn btn-ghost"
              onClick={() => setDismissed(inc().startedById)}
            >
              Dismiss
            </button>
            <button
              type="button"
              class="btn btn-secondary"
              title="Join without camera or microphone: hear and see everyone"
              onClick={() => {
                props.onOpenCall();
                void props.call.call.start({ listenOnly: true });
              }}
            >
              Listen
            </button>
            <button
              type="button"
              class="btn btn-primary"
              onClick={() => {
                props.onOpenCall();
                void props.call.call.start();
              }}
            >
              Join
            </button>
          </div>
        </Portal>
      )}
    </Show>
  );
}
