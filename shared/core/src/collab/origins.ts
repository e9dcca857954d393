/**
 * Transaction origin of every local edit of the room document (board and chat alike): the undo
 * manager tracks only this origin, and the provider sends only updates made under it or by a
 * persistence load, never a peer's update back.
 */
export const LOCAL_ORIGIN: { readonly name: string } = Object.freeze({ name: 'peerboard-local' });
