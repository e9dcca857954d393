import { assertNever } from '@peerboard/protocol';
import { createEffect, createSignal, For, Show } from 'solid-js';
import type { ReceiverView, TransferView } from '@peerboard/core/transfer';
import type { RoomSnapshot } from '@peerboard/core';
import { FilesIcon, FolderIcon, PlusIcon } from '../icons';
import { createMediaQuery } from '../createMediaQuery';
import type { FilesState } from '../../state/createFiles';
import type { PeerNames } from '../../state/createPeerNames';
import { DropOverlay } from './DropOverlay';
import { FileHead, Progress, RemoveButton } from './fileParts';
import { formatBytes, formatEta, formatSpeed, idleText } from './format';
import { IncomingItem } from './IncomingItem';
import { FolderItem } from './FolderItem';
import { folderFromInput } from '../../state/folderPick';
import './files.css';

/** No drag and drop to speak of: a touch screen without a fine pointer (phones, tablets). */
export const TOUCH_ONLY_QUERY = '(pointer: coarse) and (hover: none)';

export function FilesPanel(props: { files: FilesState; state: RoomSnapshot; names: PeerNames }) {
  let input: HTMLInputElement | undefined;
  let folderInput: HTMLInputElement | undefined;
  const touchOnly = createMediaQuery(TOUCH_ONLY_QUERY);
  // names of people who were here, so a row can still say who left
  const known = new Map<string, string>();
  createEffect(() => {
    for (const p of props.state.peers) known.set(p.id, props.names.of(p));
  });
  const nameOf = (id: string) => {
    const peer = props.state.peers.find((p) => p.id === id);
    return peer ? props.names.of(peer) : (known.get(id) ?? 'Someone who left');
  };
  const incoming = () => props.files.list.filter((t) => t.direction === 'in');
  const outgoing = () => props.files.list.filter((t) => t.direction === 'out');
  const foldersIn = () => props.files.folders.list.filter((f) => f.direction === 'in');
  const foldersOut = () => props.files.folders.list.filter((f) => f.direction === 'out');
  /** offers waiting for an answer: single files and whole folders */
  const offers = () => props.files.pending() + props.files.folders.waiting();
  const folderCount = () => props.files.folders.waiting();
  const [bulkBusy, setBulkBusy] = createSignal(false);
  const acceptAll = async () => {
    setBulkBusy(true);
    await props.files.acceptAll();
    setBulkBusy(false);
  };

  const pick = (e: Event) => {
    const el = e.currentTarget as HTMLInputElement;
    if (el.files) props.files.offerFiles(el.files);
    el.value = '';
  };
  const pickFolder = (e: Event) => {
    const el = e.currentTarget as HTMLInputElement;
    const folder = el.files ? folderFromInput(el.files) : null;
    if (folder) props.files.folders.offer(folder);
    el.value = '';
  };

  return (
    <div class="panel-section files-panel">
      <DropOverlay
        onFiles={(f) => props.files.offerFiles(f)}
        onFolder={(f) => props.files.folders.offer(f)}
      />
      <div class="file-drop-hint" data-touch-only={touchOnly() ? 'true' : undefined}>
        <span class="placeholder-icon">
          <FilesIcon size={20} />
        </span>
        <p>
          {touchOnly()
            ? 'Choose files to share with everyone here, straight from your device to theirs.'
            : 'Drop files anywhere on the room, or a whole folder, to share them with everyone here, browser to browser.'}
        </p>
        <input
          ref={input}
          type="file"
          multiple
          class="visually-hidden"
          id="files-picker"
          aria-label="Choose files to share"
          onChange={pick}
        />
        <input
          ref={(el) => {
            folderInput = el;
            // not in Solid's JSX types; every engine that can pick folders reads this attribute
            el.setAttribute('webkitdirectory', '');
          }}
          type="file"
          class="visually-hidden"
          id="folder-picker"
          aria-label="Choose a folder to share"
          onChange={pickFolder}
        />
        <div class="file-pick-buttons">
          <button type="button" class="btn btn-secondary" onClick={() => input?.click()}>
            <PlusIcon size={16} />
            Choose files
          </button>
          {/* phones and tablets cannot pick a folder: the button would open a plain file picker */}
          <Show when={!touchOnly()}>
            <button type="button" class="btn btn-secondary" onClick={() => folderInput?.click()}>
              <FolderIcon size={16} />
              Share a folder
            </button>
          </Show>
        </div>
      </div>

      <Show when={incoming().length + foldersIn().length > 0}>
        <div class="files-heading-row">
          <h2 class="panel-title files-heading">Received</h2>
          <Show when={offers() > 1}>
            <div class="files-bulk" role="group" aria-label="All offers">
              <button
                type="button"
                class="btn btn-ghost btn-sm"
                disabled={bulkBusy()}
                onClick={() => props.files.declineAll()}
              >
                Decline all
              </button>
              <button
                type="button"
                class="btn btn-primary btn-sm"
                disabled={bulkBusy()}
                onClick={() => void acceptAll()}
              >
                Accept all {offers()}
              </button>
            </div>
          </Show>
        </div>
        <Show when={offers() > 1 && folderCount() > 0}>
          <p class="files-bulk-note">
            {props.files.folders.canPickDirectory
              ? `Accept all asks once where to save ${folderCount() === 1 ? 'the folder' : `the ${folderCount()} folders`}; each is saved there as its own folder.`
              : `Accept all saves ${folderCount() === 1 ? 'the folder' : `each of the ${folderCount()} folders`} as a zip.`}
          </p>
        </Show>
        <ul class="file-list" aria-label="Files offered to you">
          <For each={foldersIn()}>
            {(f) => (
              <FolderItem f={f} files={props.files} from={nameOf(f.peerId)} nameOf={nameOf} />
            )}
          </For>
          <For each={incoming()}>
            {(t) => <IncomingItem t={t} files={props.files} from={nameOf(t.peerId)} />}
          </For>
        </ul>
      </Show>
      <Show when={outgoing().length + foldersOut().length > 0}>
        <h2 class="panel-title files-heading">Shared by you</h2>
        <ul class="file-list" aria-label="Files you shared">
          <For each={foldersOut()}>
            {(f) => <FolderItem f={f} files={props.files} from="you" nameOf={nameOf} />}
          </For>
          <For each={outgoing()}>
            {(t) => <OutgoingItem t={t} files={props.files} nameOf={nameOf} />}
          </For>
        </ul>
      </Show>
    </div>
  );
}

function receiverText(r: ReceiverView): string {
  switch (r.state) {
    case 'offered':
      return 'Waiting for an answer';
    case 'receiving':
      return [
        `${formatBytes(r.bytes)}`,
        r.speed === null ? idleText(r) : formatSpeed(r.speed),
        formatEta(r.etaSeconds),
      ]
        .filter(Boolean)
        .join(' · ');
    case 'left':
      return `Left at ${formatBytes(r.bytes)}`;
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
          <RemoveButton name={t().name} onRemove={() => props.files.transfers.remove(t().id)} />
        </Show>
      </div>
    </li>
  );
}
