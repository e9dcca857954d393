import { Show, type JSX } from 'solid-js';
import { CloseIcon } from './icons';

export interface DialogApi {
  open(): void;
  close(): void;
}

interface DialogProps {
  /** receives the api; the dialog stays mounted so showModal() handles focus and Escape */
  ref: (api: DialogApi) => void;
  /** id of the heading, which labels the dialog */
  titleId: string;
  title: JSX.Element;
  /** extra classes next to "dialog" */
  class?: string;
  /**
   * An alertdialog asks for a decision: no close button and a backdrop click does nothing
   * (Escape still cancels, as for any modal <dialog>).
   */
  alert?: boolean;
  describedBy?: string;
  children: JSX.Element;
}

/** A modal <dialog> with the common head (title, close button) and body. */
export function Dialog(props: DialogProps) {
  let dialog: HTMLDialogElement | undefined;
  props.ref({ open: () => dialog?.showModal(), close: () => dialog?.close() });
  return (
    <dialog
      ref={dialog}
      class={props.class ? `dialog ${props.class}` : 'dialog'}
      role={props.alert ? 'alertdialog' : undefined}
      aria-labelledby={props.titleId}
      aria-describedby={props.describedBy}
      onClick={(e) => {
        // a click on the backdrop lands on the <dialog> element itself
        if (!props.alert && e.target === dialog) dialog.close();
      }}
    >
      <div class="dialog-head">
        <h2 id={props.titleId} class="dialog-title">
          {props.title}
        </h2>
        <Show when={!props.alert}>
          <button
            type="button"
            class="btn btn-ghost icon-btn"
            aria-label="Close"
            onClick={() => dialog?.close()}
          >
            <CloseIcon />
          </button>
        </Show>
      </div>
      <div class="dialog-body">{props.children}</div>
    </dialog>
  );
}
