import { createSignal, For, Show } from 'solid-js';
import {
  isFinal,
  type FolderView,
  type TransferState,
  type TransferView,
} from '@peerboard/core/transfer';
import type { FilesState } from '../../state/createFiles';
import { FolderIcon } from '../icons';
import { Progress, RemoveButton, stateLabel } from './fileParts';
import { formatBytes } from './format';

/**
 * A shared folder as one row: "Folder · 12 files · 48 MB", overall progress, and the files
 * themselves (with their own progress) behind "Show files".
 */
export function FolderItem(props: {
  f: FolderView;
  files: FilesState;
  from: string;
  nameOf: (id: string) => string;
}) {
  const f = () => props.f;
  const folders = () => props.files.folders;
  const views = () => {
    const byId = new Map(props.files.all.map((t) => [t.id, t]));
    return f().files.map((x) => ({ ...x, t: byId.get(x.id) }));
  };
  const status = () => folders().status(f().id);
  const incoming = () => f().direction === 'in';
  const summary = () =>
    `Folder · ${f().fileCount} ${f().fileCount === 1 ? 'file' : 'files'} · ${formatBytes(f().bytes)}`;

  // incoming: bytes kept of every file; outgoing: bytes hashed while preparing
  const bytes = () =>
    views().reduce((n, v) => n + (v.t ? (v.t.state === 'done' ? v.size : v.t.bytes) : 0), 0);
  const doneCount = () => views().filter((v) => v.t?.state === 'done').length;
  const state = (): TransferState => {
    const s = status();
    const states = views().map((v) => v.t?.state);
    if (incoming()) {
      if (s?.phase === 'done') return doneCount() === 0 && f().fileCount > 0 ? 'failed' : 'done';
      if (s?.phase === 'failed') return 'failed';
      if (s) return 'receiving';
      if (states.some((x) => x === 'declined')) return 'declined';
      if (states.length > 0 && states.every((x) => x === 'cancelled')) return 'cancelled';
      return 'offered';
    }
    if (states.some((x) => x === undefined || x === 'preparing')) return 'preparing';
    if (states.some((x) => x === 'offered')) return 'offered';
    return states.every((x) => x === 'cancelled' || x === 'failed') && states.length > 0
      ? 'cancelled'
      : 'offered';
  };

  const [busy, setBusy] = createSignal(false);
  const save = async (mode: 'directory' | 'zip') => {
    setBusy(true);
    await folders().save(f().id, mode);
    setBusy(false);
  };
  const downloadZip = async () => {
    const blob = await status()?.zip?.blob();
    if (!blob) return;
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `${f().name}.zip`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };

  // what the person sharing should know: entries left out, files that could not be read
  const problems = () => {
    if (incoming()) return folders().errorOf(f().id) ?? status()?.message ?? null;
    const unread = [
      ...f().skipped.map((s) => `${s.path} (${s.reason})`),
      ...views()
        .filter((v) => v.t?.state === 'failed')
        .map((v) => `${v.path} (${v.t!.error ?? 'failed'})`),
    ];
    if (unread.length === 0) return null;
    return `Not shared: ${unread.slice(0, 3).join('; ')}${unread.length > 3 ? ` and ${unread.length - 3} more` : ''}. The other files are still shared.`;
  };
  // an earlier page of this browser was saving it: say what happens now
  const kept = () => (incoming() && state() === 'offered' ? folders().kept(f().id) : null);
  const keptNote = () => {
    const k = kept();
    if (!k) return null;
    if (k.mode === 'zip')
      return 'You were saving this folder as a zip when the page closed. A half-written zip cannot be continued, so saving it starts again from the beginning.';
    return `You were saving this folder into "${k.where}" when the page closed. Resume checks the files already there and fetches only what is missing; a file that was part-way continues from its last saved point (a small one starts again).`;
  };
  const resume = async () => {
    setBusy(true);
    await folders().resume(f().id);
    setBusy(false);
  };
  const allArrived = () =>
    incoming() && status()?.phase === 'done' && status()!.results!.every((r) => r.state === 'done');
  const senderGone = () =>
    incoming() &&
    status()?.phase === 'receiving' &&
    views().some((v) => v.t && !isFinal(v.t.state) && !v.t.peerOnline)
      ? `${props.from} left. Waiting for them to come back…`
      : null;

  // outgoing: one line per receiver, summed over the folder's files
  const receivers = () => {
    const by = new Map<string, { done: number; declined: number; bytes: number }>();
    for (const v of views())
      for (const r of v.t?.receivers ?? []) {
        const e = by.get(r.peerId) ?? { done: 0, declined: 0, bytes: 0 };
        e.done += r.state === 'done' ? 1 : 0;
        e.declined += r.state === 'declined' ? 1 : 0;
        e.bytes += r.bytes;
        by.set(r.peerId, e);
      }
    return [...by];
  };

  return (
    <li
      class="file-item folder-item"
      data-state={state()}
      data-direction={f().direction}
      data-folder-id={f().id}
    >
      <div class="file-head">
        <span class="folder-icon" aria-hidden="true">
          <FolderIcon size={20} />
        </span>
        <div class="file-title">
          <span class="file-name" title={f().name}>
            <bdi>{f().name}</bdi>
          </span>
          <span class="file-sub">
            {summary()} · {incoming() ? `from ${props.from}` : 'shared by you'}
          </span>
        </div>
        <span class="file-state" data-state={state()}>
          {stateLabel(state(), f().direction)}
        </span>
      </div>

      <Show when={state() === 'receiving' || state() === 'preparing'}>
        <Progress
          label={`${incoming() ? 'Receiving' : 'Preparing'} the folder ${f().name}`}
          bytes={bytes()}
          size={f().bytes}
        />
        <div class="file-stats">
          <span>
            {doneCount()} of {f().fileCount} files
          </span>
          <span>
            {formatBytes(bytes())} of {formatBytes(f().bytes)}
          </span>
        </div>
      </Show>
      <Show when={!incoming() && receivers().length > 0}>
        <ul class="receiver-list" aria-label={`Who receives ${f().name}`}>
          <For each={receivers()}>
            {([peer, r]) => (
              <li class="receiver">
                <span class="receiver-name">{props.nameOf(peer)}</span>
                <span class="receiver-text">
                  {r.done === f().fileCount
                    ? 'Received and verified'
                    : r.declined === f().fileCount
                      ? 'Declined'
                      : `${r.done} of ${f().fileCount} files · ${formatBytes(r.bytes)}`}
                </span>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={keptNote()}>
        <p class="file-error" data-kind="note">
          {keptNote()}
        </p>
      </Show>
      <Show when={senderGone() ?? problems()}>
        <p
          class="file-error"
          data-kind={
            allArrived()
              ? 'ok'
              : senderGone() || state() === 'done' || !incoming()
                ? 'note'
                : 'error'
          }
        >
          {senderGone() ?? problems()}
        </p>
      </Show>

      <details class="folder-files">
        <summary>Show files</summary>
        <ul class="folder-file-list" aria-label={`Files in ${f().name}`}>
          <For each={views()}>
            {(v) => (
              <li class="folder-file" data-state={v.t?.state ?? 'waiting'}>
                <span class="folder-file-path" title={v.path}>
                  <bdi>{v.path}</bdi>
                </span>
                <span class="receiver-text">{fileText(v.size, v.t, incoming())}</span>
                <Show when={v.t?.state === 'receiving'}>
                  <Progress label={`Receiving ${v.path}`} bytes={v.t!.bytes} size={v.size} />
                </Show>
              </li>
            )}
          </For>
          <For each={f().dirs}>
            {(d) => (
              <li class="folder-file">
                <span class="folder-file-path">
                  <bdi>{d}/</bdi>
                </span>
                <span class="receiver-text">empty folder</span>
              </li>
            )}
          </For>
        </ul>
      </details>

      <div class="file-actions">
        <Show when={kept()?.mode === 'directory'}>
          <button
            type="button"
            class="btn btn-primary btn-sm"
            disabled={busy()}
            onClick={() => void resume()}
          >
            Resume in "{kept()!.where}"
          </button>
          <button
            type="button"
            class="btn btn-ghost btn-sm"
            disabled={busy()}
            onClick={() => folders().forgetKept(f().id)}
          >
            Forget
          </button>
          <button
            type="button"
            class="btn btn-ghost btn-sm"
            onClick={() => folders().decline(f().id)}
          >
            Decline
          </button>
        </Show>
        <Show when={incoming() && state() === 'offered' && kept()?.mode !== 'directory'}>
          <Show when={folders().canPickDirectory}>
            <button
              type="button"
              class="btn btn-primary btn-sm"
              disabled={busy()}
              onClick={() => void save('directory')}
            >
              Save to a folder…
            </button>
          </Show>
          <button
            type="button"
            class={`btn btn-sm ${folders().canPickDirectory ? 'btn-secondary' : 'btn-primary'}`}
            disabled={busy()}
            onClick={() => void save('zip')}
          >
            Save as zip
          </button>
          <button
            type="button"
            class="btn btn-ghost btn-sm"
            onClick={() => folders().decline(f().id)}
          >
            Decline
          </button>
        </Show>
        <Show when={incoming() && state() === 'receiving'}>
          <button
            type="button"
            class="btn btn-ghost btn-sm"
            onClick={() => folders().cancel(f().id)}
          >
            Cancel
          </button>
        </Show>
        <Show
          when={incoming() && state() === 'done' && status()?.zip && !status()?.zip?.savedToDisk}
        >
          <button type="button" class="btn btn-primary btn-sm" onClick={() => void downloadZip()}>
            Save zip
          </button>
        </Show>
        <Show when={!incoming() && (state() === 'preparing' || state() === 'offered')}>
          <button
            type="button"
            class="btn btn-ghost btn-sm"
            onClick={() => folders().cancel(f().id)}
          >
            Stop sharing
          </button>
        </Show>
        <Show when={['done', 'failed', 'cancelled', 'declined'].includes(state())}>
          <RemoveButton name={f().name} onRemove={() => folders().remove(f().id)} />
        </Show>
      </div>
    </li>
  );
}

function fileText(size: number, t: TransferView | undefined, incoming: boolean): string {
  if (!t) return `${formatBytes(size)} · waiting`;
  if (t.state === 'receiving') return `${formatBytes(t.bytes)} of ${formatBytes(size)}`;
  if (isFinal(t.state) && t.state !== 'done' && t.error) return t.error;
  return `${formatBytes(size)} · ${stateLabel(t.state, incoming ? 'in' : 'out')}`;
}
