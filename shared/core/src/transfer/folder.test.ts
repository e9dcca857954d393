import { describe, expect, it } from 'vitest';
import {
  FOLDER_MAX_DEPTH,
  FOLDER_MAX_ENTRIES,
  FOLDER_PATH_MAX_LENGTH,
  WIRE_JSON_MAX_BYTES,
} from '@peerboard/protocol';
import { encodeWireFrame, parseWireFrame } from '@peerboard/protocol/wire';
import { makeFolderTree, manifestPages, pathProblem, type FolderEntry } from './folder';
import { newTransferId, parseFileControl } from './messages';

describe('folder paths', () => {
  it.each([
    'a.txt',
    'deep/er/file.bin',
    'ünïcode/名前.txt',
    '.hidden/x',
    'a..b/c',
    'x'.repeat(255),
  ])('takes %s', (p) => expect(pathProblem(p)).toBeNull());

  it.each([
    ['', 'an empty path'],
    ['../x', '".."'],
    ['a/../../x', '".."'],
    ['./x', '"."'],
    ['/etc/passwd', 'an absolute path'],
    ['C:/x', 'a drive letter'],
    ['c:x', 'a drive letter'],
    ['a\\b', 'a backslash'],
    ['a//b', 'an empty path segment'],
    ['a/', 'an empty path segment'],
    ['a\u0000b', 'control or bidi'],
    ['a\nb', 'control or bidi'],
    ['invoice_\u202efdp.exe', 'control or bidi'],
    ['x'.repeat(256), 'a name longer'],
    ['a/'.repeat(FOLDER_MAX_DEPTH) + 'b', 'deeper'],
    ['ab/'.repeat(400).slice(0, FOLDER_PATH_MAX_LENGTH + 1), 'longer than'],
  ])('refuses %j (%s)', (p, why) => expect(pathProblem(p)).toContain(why));
});

describe('folder manifest pages', () => {
  const many = (n: number, len: number): FolderEntry[] =>
    Array.from({ length: n }, (_, i) => ({
      // long paths in segments of at most 200 characters
      p: `dïr-${i}/${Array.from({ length: len / 200 }, () => 'n'.repeat(200)).join('/')}-${i}.txt`,
      f: newTransferId(),
      s: i,
    }));

  it('a big manifest splits into pages that each fit a JSON frame and rebuild the same tree', () => {
    const entries = [...many(500, 800), { p: 'empty/dir' }];
    const bytes = entries.reduce((n, e) => n + (e.s ?? 0), 0);
    const pages = manifestPages({ id: newTransferId(), name: 'big', bytes }, entries);
    expect(pages.length).toBeGreaterThan(10);
    const parsed = pages.map((p) => {
      const wire = encodeWireFrame({ type: 'file_control', msg: p as never });
      expect(wire.length).toBeLessThan(WIRE_JSON_MAX_BYTES);
      const frame = parseWireFrame(wire);
      if (!frame.ok || frame.value.type !== 'file_control') throw new Error('not a frame');
      const msg = parseFileControl(frame.value.msg);
      if (!msg.ok || msg.value.type !== 'folder')
        throw new Error(`refused: ${JSON.stringify(msg)}`);
      return msg.value;
    });
    const tree = makeFolderTree(parsed[0]!, () => false);
    for (const p of parsed) expect(tree.add(p)).toBeNull();
    expect(tree.complete).toBe(true);
    expect(tree.files().map((f) => f.path)).toEqual(entries.slice(0, -1).map((e) => e.p));
    expect(tree.dirs()).toEqual(['empty/dir']);
  });

  it('an empty folder is one page with no entries', () => {
    const pages = manifestPages({ id: newTransferId(), name: 'nothing', bytes: 0 }, []);
    expect(pages).toHaveLength(1);
    expect(makeFolderTree(pages[0]!, () => false).add(pages[0]!)).toBeNull();
  });

  it('pages out of order, a page that changes the head, or a count over the limit are refused', () => {
    const entries = many(40, 800);
    const bytes = entries.reduce((n, e) => n + e.s!, 0);
    const [p0, p1, p2] = manifestPages({ id: newTransferId(), name: 'x', bytes }, entries);
    const tree = makeFolderTree(p0!, () => false);
    expect(tree.add(p0!)).toBeNull();
    expect(tree.add(p2!)).toMatch(/manifest page at \d+, expected \d+/);
    expect(makeFolderTree(p0!, () => false).add({ ...p1!, name: 'y' })).toMatch(/disagrees/);
    const over = parseFileControl({ ...p0!, count: FOLDER_MAX_ENTRIES + 1 } as never);
    expect(over.ok).toBe(false);
  });
});
