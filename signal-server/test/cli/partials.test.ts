/**
 * partials.ts on its own: where a record's `place` may lead, and the JSON file of resume rows
 * (a sealed body is bytes, which JSON cannot hold as they are).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeJsonResumeBackend, under } from '../../src/cli/partials';

const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'peerboard-partials-'));
afterAll(() => fs.rm(tmp, { recursive: true, force: true }));

describe('under(D, place)', () => {
  it('keeps paths inside D and refuses every way out', () => {
    expect(under('/d', 'a/b.part')).toBe(path.resolve('/d/a/b.part'));
    for (const bad of ['../x.part', 'a/../../x', '/etc/passwd', '', '.', 'a/..', 7, null])
      expect(under('/d', bad), String(bad)).toBeNull();
  });
});

describe('makeJsonResumeBackend', () => {
  it('keeps rows across reopenings, sealed bodies as bytes, and forgets deleted ones', async () => {
    const file = path.join(tmp, 'r', 'resume.json');
    const a = makeJsonResumeBackend(file);
    const sealed = new Uint8Array([0, 1, 2, 250, 255]);
    await a.put({ key: 'k1', room: 'sealed:x', body: sealed, place: 'f.part' });
    await a.put({ key: 'k2', room: 'open:y', body: { sha256: 'z' }, place: 'g.part' });
    const b = makeJsonResumeBackend(file);
    expect((await b.get('k1'))?.body).toEqual(sealed);
    expect(await b.byRoom('open:y')).toEqual([
      { key: 'k2', room: 'open:y', body: { sha256: 'z' }, place: 'g.part' },
    ]);
    await b.delete('k1');
    expect((await makeJsonResumeBackend(file).all()).map((r) => r.key)).toEqual(['k2']);
  });

  it('starts empty from a damaged file instead of failing the receive', async () => {
    const file = path.join(tmp, 'bad.json');
    await fs.writeFile(file, '{ not json');
    expect(await makeJsonResumeBackend(file).all()).toEqual([]);
  });
});
