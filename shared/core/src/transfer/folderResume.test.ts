import { describe, expect, it } from 'vitest';
import { folderKey, makeFolderResume, type FolderShape } from './folderResume';
import { makeMemoryResumeBackend, makeResumeStore } from './resumeStore';

const shape: FolderShape = {
  name: 'trip',
  bytes: 30,
  peerId: 'alice',
  files: [
    { path: 'a.txt', size: 10 },
    { path: 'b/c.bin', size: 20 },
  ],
  dirs: ['empty'],
};

describe('folderResume', () => {
  it('keys a folder by its tree: not by the sender or the order of its files', async () => {
    const same = { ...shape, peerId: 'alice-again', files: [...shape.files].reverse() };
    expect(await folderKey(same)).toBe(await folderKey(shape));
    const other = { ...shape, files: [shape.files[0]!, { path: 'b/c.bin', size: 21 }], bytes: 31 };
    expect(await folderKey(other)).not.toBe(await folderKey(shape));
    expect(await folderKey({ ...shape, dirs: [] })).not.toBe(await folderKey(shape));
    expect(await folderKey(shape)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('finds where the folder was going, in a protected room too, until dropped', async () => {
    const store = makeResumeStore(makeMemoryResumeBackend(), {
      roomId: 'r',
      secret: 'k'.repeat(43),
    });
    const folders = makeFolderResume(store);
    expect(await folders.find(shape)).toBeNull();
    const handle = { name: 'trip' };
    await folders.keep(shape, { kind: 'folder', mode: 'directory', handle });
    expect(await folders.find({ ...shape, peerId: 'bob' })).toEqual({
      kind: 'folder',
      mode: 'directory',
      handle,
    });
    await folders.keep(shape, { kind: 'folder', mode: 'zip' });
    expect(await folders.find(shape)).toEqual({ kind: 'folder', mode: 'zip' });
    await folders.drop(shape);
    expect(await folders.find(shape)).toBeNull();
  });

  it('a file record under the same key is not taken for a folder', async () => {
    const store = makeResumeStore(makeMemoryResumeBackend(), { roomId: 'r' });
    const sha256 = await folderKey(shape);
    await store.put({
      sha256,
      size: 30,
      chunk: 16384,
      block: 64,
      name: 'trip',
      mime: '',
      sender: 'x',
      bytes: 10,
      place: { kind: 'opfs', base: 'peerboard-x' },
    });
    expect(await makeFolderResume(store).find(shape)).toBeNull();
    expect(await makeFolderResume(null).find(shape)).toBeNull();
  });
});
