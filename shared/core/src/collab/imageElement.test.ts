import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addElement, elementsMap, readBoard, updateElement, type ElementDraft } from './boardModel';
import { checkDocUpdate } from './docSchema';
import { readElement } from './elements';

const SHA = 'ab'.repeat(32);
const image = {
  id: 'img1',
  type: 'image',
  author: 7,
  z: 'a0',
  x: 10,
  y: 20,
  w: 200,
  h: 100,
  colour: '#000000',
  strokeWidth: 1,
  sha256: SHA,
  mime: 'image/png',
  naturalW: 400,
  naturalH: 200,
};

describe('image element: readElement', () => {
  it('reads a valid image element', () => {
    const r = readElement(image, 'img1');
    expect(r).toEqual({ ok: true, value: image });
  });

  it.each([
    ['an SVG (it could script)', { mime: 'image/svg+xml' }],
    ['a non-image mime', { mime: 'text/html' }],
    ['an uppercase hash', { sha256: SHA.toUpperCase() }],
    ['a short hash', { sha256: 'ab'.repeat(31) }],
    ['a missing hash', { sha256: undefined }],
    ['a fractional natural width', { naturalW: 10.5 }],
    ['a zero natural height', { naturalH: 0 }],
    ['a natural size past the limit', { naturalW: 100_000 }],
  ])('rejects %s', (_what, patch) => {
    const r = readElement({ ...image, ...patch }, 'img1');
    expect(r.ok).toBe(false);
    expect(r.ok ? null : r.code).toBe('ERR_FIELD');
  });

  it('keeps the bytes fixed: an update may move and resize but not swap the hash', () => {
    const doc = new Y.Doc();
    const { id: _i, author: _a, z: _z, ...draft } = image;
    const added = addElement(doc, draft as ElementDraft);
    expect(added.ok).toBe(true);
    const id = added.ok ? added.value.id : '';
    updateElement(doc, id, { x: 50, w: 100, h: 50 });
    updateElement(doc, id, { sha256: 'cd'.repeat(32) } as never);
    const [el] = readBoard(doc);
    expect(el).toMatchObject({ type: 'image', x: 50, w: 100, h: 50, sha256: SHA });
  });
});

describe('image element: document schema', () => {
  const updateWith = (fields: Record<string, unknown>): { doc: Y.Doc; update: Uint8Array } => {
    const source = new Y.Doc();
    const el = new Y.Map<unknown>();
    elementsMap(source).set('img1', el);
    for (const [k, v] of Object.entries(fields)) el.set(k, v);
    return { doc: new Y.Doc(), update: Y.encodeStateAsUpdate(source) };
  };

  it('admits a valid image element', () => {
    const { doc, update } = updateWith(image);
    expect(checkDocUpdate(doc, update).ok).toBe(true);
  });

  it.each([
    ['an SVG mime', { mime: 'image/svg+xml' }],
    ['a hash that is not hex', { sha256: 'zz'.repeat(32) }],
    ['a natural width that is not an integer', { naturalW: 1.5 }],
  ])('refuses %s before it is stored', (_what, patch) => {
    const { doc, update } = updateWith({ ...image, ...patch });
    const r = checkDocUpdate(doc, update);
    expect(r.ok ? null : r.code).toBe('ERR_DOC_SCHEMA');
  });
});
