import QRCode from 'qrcode';
import { createResource, createSignal, onCleanup, Show } from 'solid-js';
import { Dialog, type DialogApi } from './Dialog';
import { CheckIcon, CopyIcon } from './icons';

export interface ShareDialogProps {
  url: string;
  ref: (api: DialogApi) => void;
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
  let linkInput: HTMLInputElement | undefined;
  const [copy, setCopy] = createSignal<'idle' | 'copied' | 'failed'>('idle');
  let resetTimer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(resetTimer));

  // Black on white whatever the theme: phone cameras read that best.
  const [qr] = createResource(
    () => props.url,
    (url) => QRCode.toDataURL(url, { margin: 1, width: 440, errorCorrectionLevel: 'M' }),
  );

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
    <Dialog ref={props.ref} class="share-dialog" titleId="share-title" title="Invite people">
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
    </Dialog>
  );
}
