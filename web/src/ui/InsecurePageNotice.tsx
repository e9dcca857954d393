import { pageOrigin } from '../state/secureContext';
import { AlertIcon } from './icons';

/**
 * Shown instead of creating a protected room on a plain-http page (not localhost): what is
 * wrong, the two ways to fix it, and the one thing that still works here, an open room.
 */
export function InsecurePageNotice(props: { onCreateOpen: () => void }) {
  return (
    <div class="create-problem" role="alert" data-problem="insecure">
      <AlertIcon size={18} />
      <div>
        <p>
          <strong>Protected rooms need a secure page.</strong> You opened Peerboard over plain http
          at {pageOrigin()}, and browsers switch off the encryption that protected rooms (and calls)
          use on such pages.
        </p>
        <p>
          To fix it, open Peerboard over <strong>https</strong> (ask whoever runs the server, or
          start it with <code>LAN=1</code>), or as <strong>localhost</strong> on the computer that
          runs it. Or create an open room: it works here, without end-to-end protection.
        </p>
        <button type="button" class="btn btn-secondary" onClick={() => props.onCreateOpen()}>
          Create an open room
        </button>
      </div>
    </div>
  );
}
