/**
 * What a rubber band selects: what lies fully inside it, and then all of any group one of those
 * belongs to (as a click on one member selects the group). Pure; the gesture is in
 * input/transformGestures.ts.
 */
import { withGroups, type BoardElement } from '@peerboard/core/collab';

export function marqueeSelection(
  base: ReadonlySet<string>,
  inside: readonly BoardElement[],
  /** every element: only walked when something inside belongs to a group */
  all: () => Iterable<BoardElement>,
): Set<string> {
  const ids = new Set(base);
  for (const el of inside) ids.add(el.id);
  if (!inside.some((el) => el.group)) return ids;
  for (const id of withGroups(
    all(),
    inside.map((el) => el.id),
  ))
    ids.add(id);
  return ids;
}
