import { createSignal, onCleanup, onMount, Show } from 'solid-js';
import { Portal } from 'solid-js/web';
import type { FolderSource } from '@peerboard/core/transfer';
import { FilesIcon } from '../icons';
import { readDrop } from '../../state/folderPick';

const hasFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') ?? false;

/**
 * The whole room page is a drop zone: while files are dragged over the window a full-page
 * overlay says what will happen; dropping offers them to the room. Drags of anything else
 * (text, board elements) are left alone.
 */
export function DropOverlay(props: {
  onFiles: (files: File[]) => void;
  /** a dropped folder, walked (a folder is offered as one item with its tree) */
  onFolder: (folder: FolderSource) => void;
}) {
  const [over, setOver] = createSignal(false);
  let depth = 0;
  const enter = (e: DragEvent) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth++;
    setOver(true);
  };
  const overFn = (e: DragEvent) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
  };
  const leave = (e: DragEvent) => {
    if (!hasFiles(e)) return;
    depth = Math.max(0, depth - 1);
    if (depth === 0) setOver(false);
  };
  const drop = (e: DragEvent) => {
    if (!hasFiles(e)) return;
    depth = 0;
    setOver(false);
    // the board took it (images dropped on the board go on the board)
    if (e.defaultPrevented) return;
    e.preventDefault();
    if (!e.dataTransfer) return;
    // the entries are only readable during the event: read them now, walk folders after
    const { files, folders } = readDrop(e.dataTransfer);
    if (files.length > 0) props.onFiles(files);
    for (const f of folders) void f.then((folder) => props.onFolder(folder));
  };
  onMount(() => {
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', overFn);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
  });
  onCleanup(() => {
    window.removeEventListener('dragenter', enter);
    window.removeEventListener('dragover', overFn);
    window.removeEventListener('dragleave', leave);
    window.removeEventListener('drop', drop);
  });
  return (
    <Show when={over()}>
      <Portal>
        <div class="drop-overlay" role="status" aria-live="polite">
          <div class="drop-card">
            <span class="placeholder-icon placeholder-icon-lg">
              <FilesIcon size={28} />
            </span>
            <p class="drop-title">Drop to share with the room</p>
            <p class="placeholder-text">
              Files and folders go straight to the others, browser to browser. Images dropped on the
              board go on the board.
            </p>
          </div>
        </div>
      </Portal>
    </Show>
  );
}
