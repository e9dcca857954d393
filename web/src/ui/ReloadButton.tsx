import { RefreshIcon } from './icons';

/** A banner's action that reloads the page (a new version, or back into the room). */
export function ReloadButton(props: { label: string }) {
  return (
    <button type="button" class="btn btn-secondary banner-action" onClick={() => location.reload()}>
      <RefreshIcon size={16} />
      {props.label}
    </button>
  );
}
