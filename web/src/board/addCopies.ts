/**
 * Puts copies (paste, duplicate, Alt-drag) on the board in one transaction: the elements first,
 * then the bindings among them with the new ids (an arrow copied with its shape is attached to
 * the copy of the shape, not to the original). One transaction, so one undo step.
 */
import type * as Y from 'yjs';
import {
  addElements,
  LOCAL_ORIGIN,
  updateElement,
  type BoardElement,
} from '@peerboard/core/collab';
import { bindCopies, looseDraft, type CopyDraft } from './clipboard';

export function addCopies(doc: Y.Doc, drafts: readonly CopyDraft[]): BoardElement[] {
  let added: BoardElement[] = [];
  doc.transact(() => {
    added = addElements(doc, drafts.map(looseDraft));
    const ids = added.map((e) => e.id);
    for (const { id, patch } of bindCopies(drafts, ids)) updateElement(doc, id, patch);
  }, LOCAL_ORIGIN);
  return added;
}
