import { pageOrigin } from '../../state/secureContext';
import { VideoIcon } from '../icons';

/**
 * The Call tab on a plain-http page (not localhost): browsers offer no camera or microphone
 * there, so instead of a Start button that can only fail, say why and what fixes it.
 */
export function CallNeedsHttps() {
  return (
    <div class="call-intro" data-call="needs-https">
      <span class="placeholder-icon placeholder-icon-lg">
        <VideoIcon size={28} />
      </span>
      <h2 class="call-title">Calls need HTTPS</h2>
      <p class="placeholder-text">
        This page was opened over plain http at {pageOrigin()}, where browsers do not allow the
        camera or microphone. Open the room over https (or as localhost on the computer that runs
        the server) to call. The board, chat and files work here.
      </p>
    </div>
  );
}
