/**
 * Arrows attached to shapes follow them. The new arrow points are written in the same
 * transaction as the shape's move or resize (rather than recomputed by every reader on render):
 * the stored points are then always the drawn ones, so export, hit testing, the spatial index
 * and peers on older versions need nothing new; a remote peer's move arrives with its arrow
 * already placed; and one undo puts back both.
 */
import * as Y from 'yjs';
import { elementsMap, updateElement } from './boardModel';
import { BINDING_KEYS, elementField, isBinding, readElement, type BoardElement } from './elements';
import { resolveArrow } from './bindingGeometry';
import { LOCAL_ORIGIN } from './origins';

const lookupIn =
  (map: Y.Map<unknown>) =>
  (id: string): BoardElement | undefined => {
    const r = readElement(map.get(id), id);
    return r.ok ? r.value : undefined;
  };

/**
 * After `changed` elements moved or resized: arrows attached to any of them are re-placed. An
 * arrow that moved while none of its shapes did (it was dragged away on its own) is detached.
 * Call it inside (or as) the same transaction as the move, so it is one undo step.
 */
export function followBindings(doc: Y.Doc, changed: ReadonlySet<string>): void {
  if (changed.size === 0) return;
  const map = elementsMap(doc);
  const lookup = lookupIn(map);
  doc.transact(() => {
    map.forEach((value, id) => {
      if (!(value instanceof Y.Map)) return;
      const targets: string[] = [];
      for (const key of BINDING_KEYS) {
        const b: unknown = elementField(value, key);
        if (isBinding(b)) targets.push(b.id);
      }
      if (targets.length === 0) return;
      const followed = targets.some((t) => changed.has(t));
      if (changed.has(id) && !followed) {
        updateElement(doc, id, { startBinding: null, endBinding: null });
        return;
      }
      if (!followed) return;
      const arrow = lookup(id);
      if (arrow?.type !== 'arrow' && arrow?.type !== 'line') return;
      updateElement(doc, id, resolveArrow(arrow, lookup));
    });
  }, LOCAL_ORIGIN);
}

/** Place a new arrow's attached ends on their shapes (it stops at their outlines). */
export function placeArrow<T extends Parameters<typeof resolveArrow>[0]>(doc: Y.Doc, arrow: T): T {
  return { ...arrow, ...resolveArrow(arrow, lookupIn(elementsMap(doc))) };
}
