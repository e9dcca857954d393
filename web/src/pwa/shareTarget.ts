/**
 * Web Share Target: what the manifest declares and what the service worker accepts. Pure, so
 * both sides and the unit tests agree on one definition.
 *
 * The phone posts multipart/form-data to SHARE_TARGET_PATH; the service worker reads it, keeps
 * the files in this browser (shareInbox.ts) and redirects to the same path with GET, which the
 * app renders. The relay never needs the files: without a service worker it answers the POST
 * with a plain page (signal-server/src/http.ts).
 */
import { err, ok, type Result } from '@peerboard/protocol';

import { SHARE_FILES_FIELD, SHARE_TARGET_PATH } from './shareTargetPath';

export { SHARE_FILES_FIELD, SHARE_TARGET_PATH };
/** one share at most this many files: a gallery selection, not a backup */
export const SHARE_MAX_FILES = 50;
/** kept in IndexedDB until offered: a browser quota would refuse far less anyway */
export const SHARE_MAX_TOTAL_BYTES = 4 * 1024 ** 3;

export type ShareErrorCode = 'ERR_SHARE_EMPTY' | 'ERR_SHARE_TOO_MANY' | 'ERR_SHARE_TOO_LARGE';

/** The files of a share POST, checked; other fields (title, text, url) are ignored. */
export function sharedFilesOf(form: FormData): Result<File[], ShareErrorCode> {
  const files = form
    .getAll(SHARE_FILES_FIELD)
    .filter((v): v is File => typeof v !== 'string' && v.name !== '');
  if (files.length === 0) return err('ERR_SHARE_EMPTY', 'nothing to share: no file in the form');
  if (files.length > SHARE_MAX_FILES)
    return err('ERR_SHARE_TOO_MANY', `at most ${SHARE_MAX_FILES} files can be shared at once`);
  const total = files.reduce((sum, f) => sum + f.size, 0);
  if (total > SHARE_MAX_TOTAL_BYTES)
    return err('ERR_SHARE_TOO_LARGE', 'the shared files are too large to keep in the browser');
  return ok(files);
}

/** Where the service worker sends the browser after a share POST. */
export function shareResultPath(result: Result<unknown, ShareErrorCode | 'ERR_SHARE_STORE'>) {
  return result.ok ? SHARE_TARGET_PATH : `${SHARE_TARGET_PATH}?error=${result.code}`;
}

const SHARE_ERRORS: Record<ShareErrorCode | 'ERR_SHARE_STORE', string> = {
  ERR_SHARE_EMPTY: 'Nothing arrived: the app you shared from sent no file. Try sharing again.',
  ERR_SHARE_TOO_MANY: `Share at most ${SHARE_MAX_FILES} files at a time, then the rest.`,
  ERR_SHARE_TOO_LARGE: 'These files are too large to keep in the browser. Share fewer at a time.',
  ERR_SHARE_STORE:
    'The browser refused to keep the files (storage full or disabled). Free some space and share again.',
};

/** The plain-language message for `?error=` on the share page; null when there is none. */
export function shareErrorMessage(search: string): string | null {
  const code = new URLSearchParams(search).get('error');
  if (code === null) return null;
  return Object.hasOwn(SHARE_ERRORS, code)
    ? SHARE_ERRORS[code as keyof typeof SHARE_ERRORS]
    : 'Sharing did not work. Try again.';
}
