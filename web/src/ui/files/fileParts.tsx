/** Pieces both lists of the Files panel use: state labels, progress bar, file heading. */
import { assertNever } from '@peerboard/protocol';
import type { TransferState, TransferView } from '@peerboard/core/transfer';
import { CloseIcon } from '../icons';
import { formatBytes } from './format';

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
export const VIEWABLE =
  /^(image\/(png|jpeg|gif|webp|avif|bmp)|video\/[\w.+-]+|audio\/[\w.+-]+|application\/pdf|text\/plain)$/;

function percent(bytes: number, size: number) {
  return size === 0 ? 100 : Math.min(100, Math.floor((bytes / size) * 100));
}

export function Progress(props: { label: string; bytes: number; size: number; busy?: boolean }) {
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

export function FileHead(props: { t: TransferView; sub: string }) {
  return (
    <div class="file-head">
      <div class="file-title">
        <span class="file-name" title={props.t.name}>
          <bdi>{props.t.name}</bdi>
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

/** The ✕ that takes a finished, failed or cancelled file off the list. */
export function RemoveButton(props: { name: string; onRemove: () => void }) {
  return (
    <button
      type="button"
      class="btn btn-ghost btn-sm icon-btn file-remove"
      aria-label={`Remove ${props.name} from the list`}
      onClick={() => props.onRemove()}
    >
      <CloseIcon size={16} />
    </button>
  );
}
