/**
 * The board's clipboard format, pure: what Copy puts on the system clipboard and what Paste
 * accepts. Elements travel as JSON (documented in shared/PROTOCOL.md, "Board clipboard"):
 *
 *   { "type": "peerboard/elements", "version": 1, "elements": [ element without id/author/z ] }
 *
 * under the custom type CLIPBOARD_MIME (between Peerboard tabs, rooms and browsers) and as
 * text/plain (what survives apps and clipboards that drop custom types), with the SVG of the
 * selection as text/html for other apps. A paste is untrusted input like a peer's update: every
 * element goes through readElement and the counts and sizes are capped.
 */
import { err, ok, type Result } from '@peerboard/protocol';
import {
  BOARD_LIMITS,
  newElementId,
  readElement,
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

/** Attachments name elements of the source board: a copy is not attached to anything. */
const withoutIdentity = (el: BoardElement): ElementDraft => {
  const { id: _id, author: _author, z: _z, locked: _locked, ...rest } = el;
  if ('startBinding' in rest) delete rest.startBinding;
  if ('endBinding' in rest) delete rest.endBinding;
  return rest;
};

/** Copies of a group form a new group of their own (not members of the original's). */
function freshGroups(drafts: ElementDraft[]): ElementDraft[] {
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
    elements: elements.map(withoutIdentity),
    ...(images ? { images } : {}),
  });
}

/**
 * Drafts from clipboard text. ERR_NOT_PEERBOARD: any other text (the caller may paste it as a
 * text element); invalid elements inside a Peerboard payload are skipped.
 */
export function parseClipboard(text: string): Result<ElementDraft[], ClipboardErrorCode> {
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
  const out: ElementDraft[] = [];
  for (const raw of elements) {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) continue;
    const r = readElement({ ...(raw as object), id: 'paste', author: 0, z: 'a0' });
    if (r.ok) out.push(withoutIdentity(r.value));
  }
  if (out.length === 0) return err('ERR_EMPTY', 'no element could be read');
  return ok(freshGroups(out));
}

/** Drafts moved so the middle of their frame is at `at` (every kind has its origin at x, y). */
export function placeDrafts(drafts: readonly ElementDraft[], at: Point): ElementDraft[] {
  const frame = unionRects(
    drafts.map((d) => elementFrame({ ...d, id: 'x', author: 0, z: 'a0' } as BoardElement)),
  );
  if (!frame) return [];
  const dx = at.x - (frame.minX + frame.maxX) / 2;
  const dy = at.y - (frame.minY + frame.maxY) / 2;
  return drafts.map((d) => ({ ...d, x: d.x + dx, y: d.y + dy }));
}

/** Drafts shifted by (dx, dy): Duplicate puts its copies a little below right. */
export const offsetDrafts = (drafts: readonly ElementDraft[], dx: number, dy: number) =>
  drafts.map((d) => ({ ...d, x: d.x + dx, y: d.y + dy }));

export const draftsOf = (elements: readonly BoardElement[]): ElementDraft[] =>
  freshGroups(elements.map(withoutIdentity));

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
