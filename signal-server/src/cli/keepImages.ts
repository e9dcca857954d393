/**
 * What `peerboard keep` does with the board's images: asks the room for the bytes of every image
 * element its board holds, at start and whenever one appears (a paste, a sync, an undo), through
 * the room's image exchange (core transfer/imageBlobs.ts). Verified bytes land in its disk store
 * (keeperImages.ts), and the same exchange serves them from there to whoever asks, so a board's
 * pictures outlive the browsers that pasted them. An image that nobody here holds is asked for
 * again when someone joins (imageBlobs retries on every new peer).
 */
import type { Session } from '@peerboard/core';
import { observeBoard, readBoard, type BoardElement } from '@peerboard/core/collab';

export function keepBoardImages(session: Session): () => void {
  const { images } = session.transfers;
  const want = (els: readonly BoardElement[]) => {
    for (const el of els) if (el.type === 'image') images.want(el.sha256);
  };
  want(readBoard(session.doc.doc));
  return observeBoard(session.doc.doc, (c) => {
    want(c.added);
    want(c.updated);
  });
}
