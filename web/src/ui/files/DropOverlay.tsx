import { createSignal, onCleanup, onMount, Show } from 'solid-js';
import { Portal } from 'solid-js/web';
import { FilesIcon } from '../icons';

const hasFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') ?? false;

/**
 * The whole room page is a drop zone: while files are dragged over the window a full-page
 * overlay says what will happen; dropping offers them to the room. Drags of anything else
 * (text, board elements) are left alone.
 */
export function DropOverlay(props: { onFiles: (files: File[]) => void }) {
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
    e.preventDefault();
    depth = 0;
    setOver(false);
    const files = [...(e.dataTransfer?.files ?? [])];
    if (files.length > 0) props.onFiles(files);
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
            <p class="placeholder-text">Files go straight to the others, browser to browser.</p>
          </div>
        </div>
      </Portal>
    </Show>
  );
}
