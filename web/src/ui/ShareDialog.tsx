import QRCode from 'qrcode';
import { createResource, createSignal, onCleanup, Show } from 'solid-js';
import { CheckIcon, CloseIcon, CopyIcon } from './icons';

interface ShareDialogProps {
  url: string;
  /** receives open(); the dialog stays mounted so showModal() handles focus and Escape */
  ref: (api: { open: () => void }) => void;
}

const COPIED_MS = 2000;

/** Copies with the async clipboard API; returns false where it is missing or refused. */
async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** "Invite people": the room link with a copy button and a QR code for phones. */
export function ShareDialog(props: ShareDialogProps) {
  let dialog: HTMLDialogElement | undefined;
  let linkInput: HTMLInputElement | undefined;
  const [copy, setCopy] = createSignal<'idle' | 'copied' | 'failed'>('idle');
  let resetTimer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(resetTimer));

  // Black on white whatever the theme: phone cameras read that best.
  const [qr] = createResource(
    () => props.url,
    (url) => QRCode.toDataURL(url, { margin: 1, width: 440, errorCorrectionLevel: 'M' }),
  );

  props.ref({ open: () => dialog?.showModal() });

  const onCopy = async () => {
    const done = await copyText(props.url);
    if (!done) {
      linkInput?.select();
    }
    setCopy(done ? 'copied' : 'failed');
    clearTimeout(resetTimer);
    resetTimer = setTimeout(() => setCopy('idle'), done ? COPIED_MS : COPIED_MS * 3);
  };

  return (
    <dialog
      ref={dialog}
      class="dialog share-dialog"
      aria-labelledby="share-title"
      onClick={(e) => {
        // a click on the backdrop lands on the <dialog> element itself
        if (e.target === dialog) dialog.close();
      }}
    >
      <div class="dialog-head">
        <h2 id="share-title" class="dialog-title">
          Invite people
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
        <p class="dialog-text">Anyone with this link can join the room while it is open.</p>
        <div class="field">
          <label class="field-label" for="share-link">
            Room link
          </label>
          <div class="input-row">
            <input
              ref={linkInput}
              id="share-link"
              class="input mono"
              type="text"
              readOnly
              value={props.url}
              onFocus={(e) => e.currentTarget.select()}
            />
            <button
              type="button"
              class="btn btn-primary copy-btn"
              data-state={copy()}
              onClick={() => void onCopy()}
            >
              <Show when={copy() === 'copied'} fallback={<CopyIcon size={16} />}>
                <CheckIcon size={16} />
              </Show>
              {copy() === 'copied' ? 'Copied' : 'Copy link'}
            </button>
          </div>
          <p class="field-hint" role="status" aria-live="polite">
            {copy() === 'copied'
              ? 'Link copied to the clipboard.'
              : copy() === 'failed'
                ? 'Your browser blocked copying. The link is selected: press Ctrl+C (or ⌘C).'
                : ''}
          </p>
        </div>
        <figure class="qr">
          <Show when={qr()} fallback={<div class="qr-img qr-loading" />}>
            {(src) => <img class="qr-img" src={src()} alt="QR code of the room link" />}
          </Show>
          <figcaption class="field-hint">Scan with a phone camera to join there.</figcaption>
        </figure>
      </div>
    </dialog>
  );
}
