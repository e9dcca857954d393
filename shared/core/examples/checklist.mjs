// A shared checklist: your own peer-to-peer app on @peerboard/core in about 40 lines.
// Everyone who opens the same room id edits one list; items travel straight between peers
// over WebRTC data channels, the relay only introduces them. Runs in browsers and in Node
// (pass `WebSocket` from 'ws' and `wrtc` from '@roamhq/wrtc'; see checklist-cli.mjs).
import * as Y from 'yjs';
import { makeSession } from '@peerboard/core';
import { LOCAL_ORIGIN, checkAnyUpdate } from '@peerboard/core/collab';

/** @param {import('@peerboard/core').SessionOptions} options */
export function openChecklist(options) {
  // checkAnyUpdate: this app's document is its own (the default admits only board + chat)
  const session = makeSession({ ...options, documentCheck: checkAnyUpdate });
  const doc = session.doc.doc; // the room's Y.Doc: synced with every peer, stored locally
  /** @type {Y.Array<Y.Map<string | boolean>>} */
  const items = doc.getArray('checklist');
  // LOCAL_ORIGIN: what the room's undo manager and sync treat as this person's edits
  const edit = (fn) => doc.transact(fn, LOCAL_ORIGIN);

  return {
    session,
    add(text) {
      edit(() => {
        const item = new Y.Map();
        item.set('text', text);
        item.set('done', false);
        items.push([item]);
      });
    },
    toggle(index) {
      const item = items.get(index);
      if (item) edit(() => item.set('done', !item.get('done')));
    },
    remove(index) {
      edit(() => items.delete(index, 1));
    },
    /** @returns {{ text: string, done: boolean }[]} */
    list: () =>
      items.toArray().map((m) => ({ text: String(m.get('text')), done: m.get('done') === true })),
    /** calls `fn` after every change, local or from a peer; returns the unsubscribe */
    onChange(fn) {
      const observer = () => fn();
      items.observeDeep(observer);
      return () => items.unobserveDeep(observer);
    },
    leave: () => session.destroy(),
  };
}
