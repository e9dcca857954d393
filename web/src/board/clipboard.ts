/**
 * The board's clipboard format, pure: what Copy puts on the system clipboard and what Paste
 * accepts. Elements travel as JSON (documented in shared/PROTOCOL.md, "Board clipboard"):
 *
 *   { "type": "peerboard/elements", "version": 1, "elements": [ element without id/author/z ] }
 *
 * Each element carries `ref`, its id on the source board, and an arrow keeps the bindings that
 * name another copied element (by that ref): the paste binds the new arrow to the new shape
 * (bindCopies). A binding to anything outside the copy is dropped, so nothing dangles.
 *
 * under the custom type CLIPBOARD_MIME (between Peerboard tabs, rooms and browsers) and as
 * text/plain (what survives apps and clipboards that drop custom types), with the SVG of the
 * selection as text/html for other apps. A paste is untrusted input like a peer's update: every
 * element goes through readElement and the counts and sizes are capped.
 */
import { err, ok, type Result } from '@peerboard/protocol';
import {
  BINDING_KEYS,
  BOARD_LIMITS,
  isElementId,
  newElementId,
  readElement,
  type Binding,
  type BoardElement,
  type ElementDraft,
} from '@peerboard/core/collab';
import { elementFrame, unionRects, type Point } from './geometry';

export const CLIPBOARD_MIME = 'application/x-peerboard+json';
/** the same type through the async Clipboard API (Chromium's web custom formats) */
export const CLIPBOARD_WEB_MIME = `web ${CLIPBOARD_MIME}`;
export const CLIPBOARD_KIND = 'peerboard/elements';

export const CLIPBOARD_LIMITS = {
  maxElements: 5_000,
  /** characters of clipboard text looked at (a 20,000-point stroke is ~400 KB of JSON) */
  maxChars: 16 * 1024 * 1024,
} as const;

export type ClipboardErrorCode = 'ERR_NOT_PEERBOARD' | 'ERR_TOO_LARGE' | 'ERR_EMPTY';

/**
 * A copy on its way to a board: `ref` is the source element's id, and its bindings name other
 * copies by their ref (never anything outside the copy). addCopies.ts turns refs into new ids.
 */
export type CopyDraft = ElementDraft & { ref?: string };

/** Drops identity (id, author, order, lock) and every binding to an element not in `refs`. */
function copyOf(el: BoardElement, refs: ReadonlySet<string>, ref: string | null): CopyDraft {
  const { id: _id, author: _author, z: _z, locked: _locked, ...rest } = el;
  const out: CopyDraft = ref === null ? rest : { ...rest, ref };
  if (out.type === 'arrow' || out.type === 'line')
    for (const key of BINDING_KEYS) {
      const b = out[key];
      if (b && (ref === null || !refs.has(b.id))) delete out[key];
    }
  return out;
}

/** Copies of a group form a new group of their own (not members of the original's). */
function freshGroups(drafts: CopyDraft[]): CopyDraft[] {
  const renamed = new Map<string, string>();
  return drafts.map((d) => {
    if (!d.group) return d;
    let g = renamed.get(d.group);
    if (!g) renamed.set(d.group, (g = newElementId()));
    return { ...d, group: g };
  });
}

/** The clipboard JSON of `elements` (in paint order); copies are never locked. */
export function encodeClipboard(
  elements: readonly BoardElement[],
  /** image bytes carried along (images/clipboardImages.ts): SHA-256 -> base64 */
  images?: Record<string, string>,
): string {
  return JSON.stringify({
    type: CLIPBOARD_KIND,
    version: 1,
    elements: draftsWithRefs(elements),
    ...(images ? { images } : {}),
  });
}

/**
 * Drafts from clipboard text. ERR_NOT_PEERBOARD: any other text (the caller may paste it as a
 * text element); invalid elements inside a Peerboard payload are skipped.
 */
export function parseClipboard(text: string): Result<CopyDraft[], ClipboardErrorCode> {
  if (text.length > CLIPBOARD_LIMITS.maxChars) return err('ERR_TOO_LARGE', 'clipboard too large');
  if (!text.trimStart().startsWith('{')) return err('ERR_NOT_PEERBOARD', 'not board elements');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return err('ERR_NOT_PEERBOARD', 'not JSON');
  }
  if (typeof value !== 'object' || value === null) return err('ERR_NOT_PEERBOARD', 'not JSON');
  const { type, elements } = value as Record<string, unknown>;
  if (type !== CLIPBOARD_KIND || !Array.isArray(elements))
    return err('ERR_NOT_PEERBOARD', 'not board elements');
  if (elements.length > CLIPBOARD_LIMITS.maxElements)
    return err('ERR_TOO_LARGE', `more than ${CLIPBOARD_LIMITS.maxElements} elements`);
  const objects = elements.filter(
    (raw): raw is Record<string, unknown> =>
      typeof raw === 'object' && raw !== null && !Array.isArray(raw),
  );
  const refOf = (raw: Record<string, unknown>): string | null =>
    isElementId(raw.ref) ? raw.ref : null;
  const refs = new Set(objects.map(refOf).filter((r): r is string => r !== null));
  const out: CopyDraft[] = [];
  for (const raw of objects) {
    const { ref: _ref, ...fields } = raw;
    const r = readElement({ ...fields, id: 'paste', author: 0, z: 'a0' });
    if (r.ok) out.push(copyOf(r.value, refs, refOf(raw)));
  }
  if (out.length === 0) return err('ERR_EMPTY', 'no element could be read');
  return ok(freshGroups(out));
}

/** Drafts moved so the middle of their frame is at `at` (every kind has its origin at x, y). */
export function placeDrafts<D extends ElementDraft>(drafts: readonly D[], at: Point): D[] {
  const frame = unionRects(
    drafts.map((d) => elementFrame({ ...d, id: 'x', author: 0, z: 'a0' } as BoardElement)),
  );
  if (!frame) return [];
  const dx = at.x - (frame.minX + frame.maxX) / 2;
  const dy = at.y - (frame.minY + frame.maxY) / 2;
  return drafts.map((d) => ({ ...d, x: d.x + dx, y: d.y + dy }));
}

/** Drafts shifted by (dx, dy): Duplicate puts its copies a little below right. */
export const offsetDrafts = <D extends ElementDraft>(
  drafts: readonly D[],
  dx: number,
  dy: number,
) => drafts.map((d) => ({ ...d, x: d.x + dx, y: d.y + dy }));

/** Copies of `elements`, each with its ref, bound among themselves only. */
function draftsWithRefs(elements: readonly BoardElement[]): CopyDraft[] {
  const refs = new Set(elements.map((e) => e.id));
  return elements.map((el) => copyOf(el, refs, el.id));
}

export const draftsOf = (elements: readonly BoardElement[]): CopyDraft[] =>
  freshGroups(draftsWithRefs(elements));

/**
 * The bindings to write once copies are on the board: `added[i]` is the new element of
 * `drafts[i]`. A binding whose ref names no added copy is left out (the end stays loose).
 */
export function bindCopies(
  drafts: readonly CopyDraft[],
  added: readonly string[],
): { id: string; patch: Partial<Record<(typeof BINDING_KEYS)[number], Binding>> }[] {
  if (added.length !== drafts.length) return [];
  const newId = new Map<string, string>();
  drafts.forEach((d, i) => {
    if (d.ref !== undefined && !newId.has(d.ref)) newId.set(d.ref, added[i]!);
  });
  const out: ReturnType<typeof bindCopies> = [];
  drafts.forEach((d, i) => {
    const patch: Partial<Record<(typeof BINDING_KEYS)[number], Binding>> = {};
    for (const key of BINDING_KEYS) {
      const b = d.type === 'arrow' || d.type === 'line' ? d[key] : undefined;
      const target = b && newId.get(b.id);
      if (b && target && target !== added[i]) patch[key] = { ...b, id: target };
    }
    if (Object.keys(patch).length > 0) out.push({ id: added[i]!, patch });
  });
  return out;
}

/** What addElements stores of a copy: no ref, no binding (bindCopies adds them after). */
export function looseDraft(d: CopyDraft): ElementDraft {
  const { ref: _ref, ...rest } = d;
  if (rest.type === 'arrow' || rest.type === 'line')
    for (const key of BINDING_KEYS) delete rest[key];
  return rest;
}

/** Plain text pasted onto the board becomes a text element (cut to the text limit). */
export function textDraft(
  text: string,
  at: Point,
  style: { colour: string; fontSize: number; strokeWidth: number },
  measure: (text: string, fontSize: number) => { w: number; h: number },
): ElementDraft | null {
  const clean = text
    .replace(/\r\n?/g, '\n')
    .replace(/\s+$/, '')
    .slice(0, BOARD_LIMITS.textMaxLength);
  if (clean.trim() === '') return null;
  const size = measure(clean, style.fontSize);
  return {
    type: 'text',
    x: at.x - size.w / 2,
    y: at.y - size.h / 2,
    w: size.w,
    h: size.h,
    text: clean,
    fontSize: style.fontSize,
    colour: style.colour,
    strokeWidth: style.strokeWidth,
  };
}
