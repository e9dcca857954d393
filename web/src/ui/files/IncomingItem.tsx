import { createSignal, Show } from 'solid-js';
import type { TransferView } from '@peerboard/core/transfer';
import type { FilesState } from '../../state/createFiles';
import { formatBytes, formatEta, formatSpeed, idleText } from './format';
import { FileHead, Progress, RemoveButton, VIEWABLE } from './fileParts';

/** One file offered to us: Accept/Decline, then progress, then Save/Open. */
export function IncomingItem(props: { t: TransferView; files: FilesState; from: string }) {
  const [busy, setBusy] = createSignal(false);
  const t = () => props.t;
  const accept = async () => {
    setBusy(true);
    await props.files.accept(t().id);
    setBusy(false);
  };
  const download = async (open: boolean) => {
    const received = props.files.transfers.received(t().id);
    const blob = await received?.blob();
    if (!blob) return;
    const typed = open ? new Blob([blob], { type: t().mime }) : blob;
    const url = URL.createObjectURL(typed);
    if (open) window.open(url, '_blank', 'noopener');
    else {
      const a = document.createElement('a');
      a.href = url;
      a.download = t().name;
      a.click();
    }
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };
  const active = () => t().state === 'receiving' || t().state === 'verifying';
  // the sender is gone mid-transfer: say who and how far it got, not a stale speed
  const senderLeft = () =>
    t().state === 'receiving' && !t().peerOnline
      ? `${props.from} left at ${formatBytes(t().bytes)}. Waiting for them or another holder to come back…`
      : null;
  const unreadable = () =>
    t().failure === 'unreadable'
      ? `${props.from}'s copy of this file could not be read. Ask ${props.from} to share it again.`
      : null;
  const error = () => props.files.errorOf(t().id) ?? senderLeft() ?? unreadable() ?? t().error;
  // part of it was kept by an earlier visit (reload, crash): continue from there
  const kept = () => (t().state === 'offered' ? (t().resumeBytes ?? 0) : 0);
  return (
    <li class="file-item" data-state={t().state} data-direction="in" data-file-id={t().id}>
      <FileHead t={t()} sub={`from ${props.from}`} />
      <Show when={active()}>
        <Progress
          label={`Receiving ${t().name}`}
          bytes={t().bytes}
          size={t().size}
          busy={t().state === 'verifying'}
        />
        <div class="file-stats">
          <span>
            {formatBytes(t().bytes)} of {formatBytes(t().size)}
          </span>
          <Show
            when={t().speed !== null}
            fallback={
              <span>{t().state === 'receiving' && !senderLeft() ? idleText(t()) : ''}</span>
            }
          >
            <span>{formatSpeed(t().speed)}</span>
            <span>{formatEta(t().etaSeconds)}</span>
          </Show>
          <Show when={t().sources > 1}>
            <span>from {t().sources} people</span>
          </Show>
        </div>
      </Show>
      <Show when={kept() > 0}>
        <p class="file-kept">
          You have {formatBytes(kept())} of this file from an earlier visit. Resume continues from
          there; Forget deletes that part.
        </p>
      </Show>
      <Show when={error()}>
        <p class="file-error" data-kind={t().state === 'receiving' ? 'note' : 'error'}>
          {error()}
        </p>
      </Show>
      <div class="file-actions">
        <Show when={t().state === 'offered'}>
          <button type="button" class="btn btn-primary btn-sm" disabled={busy()} onClick={accept}>
            {kept() > 0 ? `Resume (${formatBytes(kept())} of ${formatBytes(t().size)})` : 'Accept'}
          </button>
          <button
            type="button"
            class="btn btn-ghost btn-sm"
            onClick={() => props.files.transfers.decline(t().id)}
          >
            Decline
          </button>
          <Show when={kept() > 0}>
            <button
              type="button"
              class="btn btn-ghost btn-sm"
              onClick={() => props.files.transfers.forgetResume(t().id)}
            >
              Forget
            </button>
          </Show>
        </Show>
        <Show when={active()}>
          <button
            type="button"
            class="btn btn-ghost btn-sm"
            onClick={() => props.files.transfers.cancel(t().id)}
          >
            Cancel
          </button>
        </Show>
        <Show when={t().state === 'done'}>
          <Show
            when={props.files.transfers.received(t().id)?.savedToDisk}
            fallback={
              <button
                type="button"
                class="btn btn-primary btn-sm"
                onClick={() => void download(false)}
              >
                Save
              </button>
            }
          >
            <span class="file-saved">Saved to your disk</span>
          </Show>
          <Show when={VIEWABLE.test(t().mime)}>
            <button
              type="button"
              class="btn btn-secondary btn-sm"
              onClick={() => void download(true)}
            >
              Open
            </button>
          </Show>
        </Show>
        <Show when={['done', 'failed', 'cancelled', 'declined'].includes(t().state)}>
          <RemoveButton name={t().name} onRemove={() => props.files.transfers.remove(t().id)} />
        </Show>
      </div>
    </li>
  );
}
