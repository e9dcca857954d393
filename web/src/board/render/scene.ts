/**
 * The renderer's view of the board: validated elements by id with their bounds, paint order and
 * a grid index, kept up to date from observeBoard's incremental changes so a stroke added to a
 * 10,000-element board costs one insert, not a rebuild. Each entry has a `cache` slot the
 * renderer fills with its Path2D; it is dropped whenever the element changes. Pure (no DOM).
 *
 * A big batch (a peer's board arriving, the stored board on reload) does not wait for the grid:
 * its elements are listed as pending and indexed later, a slice at a time (`indexPending`, the
 * renderer's idle work). Until the last one is in, every query walks all entries, which gives
 * exactly the answers the grid would: one pass over 10,000 boxes is well under a millisecond,
 * while filling the grid took ~10% of a 10,000-stroke load before its first frame.
 */
import { compareElements, type BoardElement } from '@peerboard/core/collab';
import type { BoardChange } from '@peerboard/core/collab';
import {
  elementBounds,
  expandRect,
  rectContains,
  rectsIntersect,
  unionRects,
  type Point,
  type Rect,
} from '../geometry';
import { hitElement } from '../hitTest';
import { makeGridIndex } from '../spatialIndex';

export interface SceneEntry {
  el: BoardElement;
  bounds: Rect;
  /** position in paint order (valid after `ordered()`) */
  order: number;
  /** renderer-owned cache (Path2D); null after any change */
  cache: unknown;
}

export interface Scene {
  /** replace everything (initial load) */
  reset(elements: readonly BoardElement[]): void;
  apply(change: Pick<BoardChange, 'added' | 'updated' | 'removed'>): void;
  get(id: string): SceneEntry | undefined;
  readonly size: number;
  /** all entries in paint order */
  ordered(): readonly SceneEntry[];
  /** entries whose bounds meet `r`, in paint order */
  visible(r: Rect): SceneEntry[];
  /** topmost element whose ink is within `tolerance` of `p` */
  hitTop(p: Point, tolerance: number): BoardElement | null;
  /** every element whose ink is within `tolerance` of `p` */
  hitAll(p: Point, tolerance: number): BoardElement[];
  /** elements whose bounds lie fully inside `r` (marquee selection) */
  inside(r: Rect): BoardElement[];
  /** bounds of everything, null for an empty board */
  bounds(): Rect | null;
  /** bumps on every change: caches keyed on it know when to redraw */
  readonly version: number;
  /**
   * put pending elements into the grid index while `more()` (at least a batch per call);
   * true when none are left
   */
  indexPending(more: () => boolean): boolean;
  /** elements not in the grid index yet (queries walk every entry meanwhile) */
  readonly pendingIndex: number;
}

/** a batch this big is indexed later (indexPending) rather than before the frame that shows it */
export const DEFER_INDEX_AT = 512;
/** elements indexed between two `more()` checks */
const INDEX_BATCH = 256;

export function makeScene(): Scene {
  const entries = new Map<string, SceneEntry>();
  const grid = makeGridIndex();
  /** ids whose entry is not in the grid yet */
  const pending = new Set<string>();
  let order: SceneEntry[] = [];
  let orderDirty = false;
  let version = 0;

  /** into the grid now, or listed for indexPending (which reads the bounds then) */
  const place = (id: string, bounds: Rect, defer: boolean): void => {
    if (defer) {
      grid.remove(id);
      pending.add(id);
    } else grid.insert(id, bounds);
  };

  const upsert = (el: BoardElement, defer: boolean): void => {
    const prev = entries.get(el.id);
    const bounds = elementBounds(el);
    if (prev) {
      if (prev.el.z !== el.z) orderDirty = true;
      prev.el = el;
      prev.bounds = bounds;
      prev.cache = null;
    } else {
      const entry: SceneEntry = { el, bounds, order: order.length, cache: null };
      entries.set(el.id, entry);
      const last = order[order.length - 1];
      // the common case, a new element on top, keeps the order without a sort
      if (!orderDirty && (!last || compareElements(last.el, el) < 0)) order.push(entry);
      else orderDirty = true;
    }
    place(el.id, bounds, defer);
  };

  const ordered = (): SceneEntry[] => {
    if (orderDirty) {
      order = Array.from(entries.values()).sort((a, b) => compareElements(a.el, b.el));
      order.forEach((e, i) => (e.order = i));
      orderDirty = false;
    }
    return order;
  };

  const candidates = (r: Rect): SceneEntry[] => {
    const all = ordered();
    if (pending.size > 0) return all.filter((e) => rectsIntersect(e.bounds, r));
    const ids = grid.query(r);
    // when most of the board is in view the index buys nothing: walk the paint order
    if (ids.size * 2 > all.length) return all.filter((e) => rectsIntersect(e.bounds, r));
    const out: SceneEntry[] = [];
    for (const id of ids) {
      const e = entries.get(id);
      if (e && rectsIntersect(e.bounds, r)) out.push(e);
    }
    return out.sort((a, b) => a.order - b.order);
  };

  return {
    reset(elements) {
      entries.clear();
      grid.clear();
      pending.clear();
      order = [];
      orderDirty = true;
      const defer = elements.length >= DEFER_INDEX_AT;
      for (const el of elements) {
        const entry: SceneEntry = { el, bounds: elementBounds(el), order: 0, cache: null };
        entries.set(el.id, entry);
        place(el.id, entry.bounds, defer);
      }
      version++;
    },
    apply(change) {
      let removedAny = false;
      for (const id of change.removed) {
        if (entries.delete(id)) {
          grid.remove(id);
          pending.delete(id);
          removedAny = true;
        }
      }
      if (removedAny && !orderDirty) {
        // deleting keeps the relative order: a linear filter instead of a sort
        order = order.filter((e) => entries.get(e.el.id) === e);
        order.forEach((e, i) => (e.order = i));
      }
      const defer = change.added.length + change.updated.length >= DEFER_INDEX_AT;
      for (const el of change.added) upsert(el, defer);
      for (const el of change.updated) upsert(el, defer);
      version++;
    },
    get: (id) => entries.get(id),
    get size() {
      return entries.size;
    },
    ordered,
    visible: candidates,
    hitTop(p, tolerance) {
      const near = candidates(
        expandRect({ minX: p.x, minY: p.y, maxX: p.x, maxY: p.y }, tolerance),
      );
      for (let i = near.length - 1; i >= 0; i--) {
        if (hitElement(near[i]!.el, p, tolerance)) return near[i]!.el;
      }
      return null;
    },
    hitAll(p, tolerance) {
      const near = candidates(
        expandRect({ minX: p.x, minY: p.y, maxX: p.x, maxY: p.y }, tolerance),
      );
      return near.filter((e) => hitElement(e.el, p, tolerance)).map((e) => e.el);
    },
    inside(r) {
      return candidates(r)
        .filter((e) => rectContains(r, e.bounds))
        .map((e) => e.el);
    },
    bounds: () => unionRects(Array.from(entries.values(), (e) => e.bounds)),
    get version() {
      return version;
    },
    indexPending(more) {
      let n = 0;
      for (const id of pending) {
        if (n > 0 && n % INDEX_BATCH === 0 && !more()) return false;
        pending.delete(id);
        const entry = entries.get(id);
        if (entry) grid.insert(id, entry.bounds);
        n++;
      }
      return true;
    },
    get pendingIndex() {
      return pending.size;
    },
  };
}

/**
 * `scene` as everything but the painter sees it: `settle()` first (observeBoard's elements of a
 * big batch that wait to be read, boardObserver.ts), so a hit test, a selection, an export or
 * a fit to the board always meets the whole board. The renderer paints from the scene itself,
 * which fills in as those elements are read in idle time.
 */
export function settledScene(scene: Scene, settle: () => void): Scene {
  return {
    reset: (elements) => scene.reset(elements),
    apply: (change) => scene.apply(change),
    get: (id) => (settle(), scene.get(id)),
    get size() {
      settle();
      return scene.size;
    },
    ordered: () => (settle(), scene.ordered()),
    visible: (r) => (settle(), scene.visible(r)),
    hitTop: (p, tolerance) => (settle(), scene.hitTop(p, tolerance)),
    hitAll: (p, tolerance) => (settle(), scene.hitAll(p, tolerance)),
    inside: (r) => (settle(), scene.inside(r)),
    bounds: () => (settle(), scene.bounds()),
    get version() {
      return scene.version;
    },
    indexPending: (more) => scene.indexPending(more),
    get pendingIndex() {
      return scene.pendingIndex;
    },
  };
}
