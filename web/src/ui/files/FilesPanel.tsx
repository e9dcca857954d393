import { assertNever } from '@peerboard/protocol';
import { createSignal, For, Show } from 'solid-js';
import type { ReceiverView, TransferState, TransferView } from '@peerboard/core/transfer';
import type { RoomSnapshot } from '@peerboard/core';
import { CloseIcon, FilesIcon, PlusIcon } from '../icons';
import type { FilesState } from '../../state/createFiles';
import { DropOverlay } from './DropOverlay';
import { formatBytes, formatEta, formatSpeed } from './format';
import './files.css';

export function stateLabel(state: TransferState, direction: 'in' | 'out'): string {
  switch (state) {
    case 'preparing':
      return 'Preparing…';
    case 'offered':
      return direction === 'in' ? 'Offered' : 'Shared';
    case 'receiving':
      return 'Receiving';
    case 'verifying':
      return 'Verifying…';
    case 'done':
      return 'Done';
    case 'declined':
      return 'Declined';
    case 'failed':
      return 'Failed';
    case 'cancelled':
      return 'Cancelled';
    default:
      return assertNever(state);
  }
}

/** Types a browser can show without running anything (no HTML, no SVG). */
const VIEWABLE =
  /^(image\/(png|jpeg|gif|webp|avif|bmp)|video\/[\w.+-]+|audio\/[\w.+-]+|application\/pdf|text\/plain)$/;

function percent(bytes: number, size: number) {
  return size === 0 ? 100 : Math.min(100, Math.floor((bytes / size) * 100));
}

function Progress(props: { label: string; bytes: number; size: number; busy?: boolean }) {
  return (
    <div
      class="file-progress"
      role="progressbar"
      aria-label={props.label}
      aria-valuemin="0"
      aria-valuemax="100"
      aria-valuenow={percent(props.bytes, props.size)}
      data-busy={props.busy ? 'true' : undefined}
    >
      <span style={{ width: `${percent(props.bytes, props.size)}%` }} />
    </div>
  );
}

export function FilesPanel(props: { files: FilesState; state: RoomSnapshot }) {
  let input: HTMLInputElement | undefined;
  const nameOf = (id: string) =>
    props.state.peers.find((p) => p.id === id)?.name ?? 'Someone who left';
  const incoming = () => props.files.list.filter((t) => t.direction === 'in');
  const outgoing = () => props.files.list.filter((t) => t.direction === 'out');

  const pick = (e: Event) => {
    const el = e.currentTarget as HTMLInputElement;
    if (el.files) props.files.offerFiles(el.files);
    el.value = '';
  };

  return (
    <div class="panel-section files-panel">
      <DropOverlay onFiles={(f) => props.files.offerFiles(f)} />
      <div class="file-drop-hint">
        <span class="placeholder-icon">
          <FilesIcon size={20} />
        </span>
        <p>Drop files anywhere on the room to share them with everyone here, browser to browser.</p>
        <input
          ref={input}
          type="file"
          multiple
          class="visually-hidden"
          id="files-picker"
          aria-label="Choose files to share"
          onChange={pick}
        />
        <button type="button" class="btn btn-secondary" onClick={() => input?.click()}>
          <PlusIcon size={16} />
          Choose files
        </button>
      </div>

      <Show when={incoming().length > 0}>
        <h2 class="panel-title files-heading">Received</h2>
        <ul class="file-list" aria-label="Files offered to you">
          <For each={incoming()}>
            {(t) => <IncomingItem t={t} files={props.files} from={nameOf(t.peerId)} />}
          </For>
        </ul>
      </Show>
      <Show when={outgoing().length > 0}>
        <h2 class="panel-title files-heading">Shared by you</h2>
        <ul class="file-list" aria-label="Files you shared">
          <For each={outgoing()}>
            {(t) => <OutgoingItem t={t} files={props.files} nameOf={nameOf} />}
          </For>
        </ul>
      </Show>
    </div>
  );
}

function FileHead(props: { t: TransferView; sub: string }) {
  return (
    <div class="file-head">
      <div class="file-title">
        <span class="file-name" title={props.t.name}>
          {props.t.name}
        </span>
        <span class="file-sub">
          {formatBytes(props.t.size)} · {props.sub}
        </span>
      </div>
      <span class="file-state" data-state={props.t.state}>
        {stateLabel(props.t.state, props.t.direction)}
      </span>
    </div>
  );
}

function IncomingItem(props: { t: TransferView; files: FilesState; from: string }) {
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
  const error = () => props.files.errorOf(t().id) ?? t().error;
  return (
    <li class="file-item" data-state={t().state} data-direction="in" data-file-id={t().id}>
      <FileHead t={t()} sub={`from ${props.from}`} />
      <Show when={t().state === 'receiving' || t().state === 'verifying'}>
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
          <span>{formatSpeed(t().speed)}</span>
          <span>{formatEta(t().etaSeconds)}</span>
          <Show when={t().sources > 1}>
            <span>from {t().sources} people</span>
          </Show>
        </div>
      </Show>
      <Show when={error()}>
        <p class="file-error" data-kind={t().state === 'receiving' ? 'note' : 'error'}>
          {error()}
        </p>
      </Show>
      <div class="file-actions">
        <Show when={t().state === 'offered'}>
          <button type="button" class="btn btn-primary btn-sm" disabled={busy()} onClick={accept}>
            Accept
          </button>
          <button
            type="button"
            class="btn btn-ghost btn-sm"
            onClick={() => props.files.transfers.decline(t().id)}
          >
            Decline
          </button>
        </Show>
        <Show when={t().state === 'receiving' || t().state === 'verifying'}>
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
          <button
            type="button"
            class="btn btn-ghost btn-sm icon-btn file-remove"
            aria-label={`Remove ${t().name} from the list`}
            onClick={() => props.files.transfers.remove(t().id)}
          >
            <CloseIcon size={16} />
          </button>
        </Show>
      </div>
    </li>
  );
}

function receiverText(r: ReceiverView): string {
  switch (r.state) {
    case 'offered':
      return 'Waiting for an answer';
    case 'receiving':
      return [`${formatBytes(r.bytes)}`, formatSpeed(r.speed), formatEta(r.etaSeconds)]
        .filter(Boolean)
        .join(' · ');
    case 'done':
      return 'Received and verified';
    case 'declined':
      return 'Declined';
    case 'failed':
      return r.error ?? 'Failed';
    case 'cancelled':
      return 'Cancelled';
    default:
      return assertNever(r.state);
  }
}

function OutgoingItem(props: {
  t: TransferView;
  files: FilesState;
  nameOf: (id: string) => string;
}) {
  const t = () => props.t;
  const live = () => t().state === 'preparing' || t().state === 'offered';
  return (
    <li class="file-item" data-state={t().state} data-direction="out" data-file-id={t().id}>
      <FileHead t={t()} sub="shared by you" />
      <Show when={t().state === 'preparing'}>
        <Progress label={`Preparing ${t().name}`} bytes={t().bytes} size={t().size} />
      </Show>
      <Show when={t().error}>
        <p class="file-error">{t().error}</p>
      </Show>
      <Show when={t().receivers.length > 0}>
        <ul class="receiver-list" aria-label={`Who receives ${t().name}`}>
          <For each={t().receivers}>
            {(r) => (
              <li class="receiver" data-state={r.state}>
                <span class="receiver-name">{props.nameOf(r.peerId)}</span>
                <span class="receiver-text">{receiverText(r)}</span>
                <Show when={r.state === 'receiving'}>
                  <Progress
                    label={`Sending ${t().name} to ${props.nameOf(r.peerId)}`}
                    bytes={r.bytes}
                    size={t().size}
                  />
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <div class="file-actions">
        <Show when={live()}>
          <button
            type="button"
            class="btn btn-ghost btn-sm"
            onClick={() => props.files.transfers.cancel(t().id)}
          >
            Stop sharing
          </button>
        </Show>
        <Show when={!live()}>
          <button
            type="button"
            class="btn btn-ghost btn-sm icon-btn file-remove"
            aria-label={`Remove ${t().name} from the list`}
            onClick={() => props.files.transfers.remove(t().id)}
          >
            <CloseIcon size={16} />
          </button>
        </Show>
      </div>
    </li>
  );
}
