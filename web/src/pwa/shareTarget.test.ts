import { describe, expect, it } from 'vitest';
import { isAppShellPath } from './navigation';
import {
  SHARE_MAX_FILES,
  SHARE_TARGET_PATH,
  shareErrorMessage,
  shareResultPath,
  sharedFilesOf,
} from './shareTarget';

const form = (...entries: [string, string | File][]) => {
  const f = new FormData();
  for (const [k, v] of entries) f.append(k, v);
  return f;
};
const file = (name: string, bytes = 3) => new File([new Uint8Array(bytes)], name);

describe('sharedFilesOf', () => {
  it('takes the files of the "files" field and ignores text fields', () => {
    const r = sharedFilesOf(
      form(['title', 'Holiday'], ['files', file('a.jpg')], ['files', file('b.png')], ['text', 'x']),
    );
    expect(r.ok && r.value.map((f) => f.name)).toEqual(['a.jpg', 'b.png']);
  });
  it('refuses a share without files (text only, or a string posing as a file)', () => {
    expect(sharedFilesOf(form(['text', 'hello'])).ok).toBe(false);
    const r = sharedFilesOf(form(['files', 'not a file']));
    expect(!r.ok && r.code).toBe('ERR_SHARE_EMPTY');
  });
  it('takes up to SHARE_MAX_FILES files, refuses one more', () => {
    const many = (n: number) =>
      form(...Array.from({ length: n }, (_, i): [string, File] => ['files', file(`${i}.txt`)]));
    expect(sharedFilesOf(many(SHARE_MAX_FILES)).ok).toBe(true);
    const r = sharedFilesOf(many(SHARE_MAX_FILES + 1));
    expect(!r.ok && r.code).toBe('ERR_SHARE_TOO_MANY');
  });
  it('keeps an empty (0 B) file: the transfer sends those too', () => {
    const r = sharedFilesOf(form(['files', file('empty.txt', 0)]));
    expect(r.ok && r.value[0]?.size).toBe(0);
  });
});

describe('share page addresses and messages', () => {
  it('sends a good share to the share page and a failed one with its code', () => {
    expect(shareResultPath({ ok: true, value: [] })).toBe(SHARE_TARGET_PATH);
    expect(shareResultPath({ ok: false, code: 'ERR_SHARE_TOO_MANY', message: '' })).toBe(
      `${SHARE_TARGET_PATH}?error=ERR_SHARE_TOO_MANY`,
    );
  });
  it('says in plain words what to do, and never echoes an unknown code', () => {
    expect(shareErrorMessage('')).toBeNull();
    expect(shareErrorMessage('?error=ERR_SHARE_STORE')).toMatch(/Free some space/);
    expect(shareErrorMessage('?error=<img src=x>')).toBe('Sharing did not work. Try again.');
    expect(shareErrorMessage('?error=toString')).toBe('Sharing did not work. Try again.');
  });
});

describe('isAppShellPath: what the service worker answers with the cached app', () => {
  it('the app pages', () => {
    for (const p of ['/', '/r/abcDEF_-12', '/r/abc/', SHARE_TARGET_PATH])
      expect(isAppShellPath(p), p).toBe(true);
  });
  it('never the relay endpoints, the example apps or files', () => {
    for (const p of [
      '/ws',
      '/healthz',
      '/readyz',
      '/metrics',
      '/examples/editor/',
      '/sw.js',
      '/manifest.webmanifest',
      '/r/a/b',
      '/r/',
      '/share-target/x',
    ])
      expect(isAppShellPath(p), p).toBe(false);
  });
});
