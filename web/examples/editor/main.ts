/**
 * A collaborative text editor written the way any CodeMirror + Yjs app is: CodeMirror 6,
 * y-codemirror.next's yCollab (shared text, remote cursors and selections from awareness, undo
 * scoped to this user), and a provider. The only Peerboard line is the provider's import; with
 * `import { WebrtcProvider as Provider } from 'y-webrtc'` it would be a y-webrtc app.
 *
 *   /examples/editor/?room=<name>          an open room named <name>
 *   /examples/editor/?room=<name>#k=<key>  a protected room (the key never reaches the relay)
 *   ...&debug                              exposes window.editorDebug for the E2E tests
 */
import { basicSetup, EditorView } from 'codemirror';
import { EditorState } from '@codemirror/state';
import { yCollab } from 'y-codemirror.next';
import * as Y from 'yjs';
import { PeerboardProvider as Provider } from '@peerboard/yjs';

const COLOURS = ['#d1495b', '#00798c', '#edae49', '#66a182', '#8d5a97', '#2e4057', '#f26419'];
const NAMES = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Ken', 'Frances', 'Donald'];
const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)]!;

const url = new URL(location.href);
let roomName = url.searchParams.get('room');
if (!roomName) {
  roomName = `notes-${Math.random().toString(36).slice(2, 8)}`;
  url.searchParams.set('room', roomName);
  history.replaceState(null, '', url);
}
const key = new URLSearchParams(location.hash.slice(1)).get('k');

const ydoc = new Y.Doc();
const provider = new Provider(roomName, ydoc, key ? { secret: key } : {});
const ytext = ydoc.getText('codemirror');
const undoManager = new Y.UndoManager(ytext);

const colour = pick(COLOURS);
provider.awareness.setLocalStateField('user', {
  name: url.searchParams.get('name') ?? pick(NAMES),
  color: colour,
  colorLight: `${colour}33`,
});

const view = new EditorView({
  state: EditorState.create({
    doc: ytext.toString(),
    extensions: [
      basicSetup,
      EditorView.lineWrapping,
      yCollab(ytext, provider.awareness, { undoManager }),
    ],
  }),
  parent: document.querySelector<HTMLElement>('#editor')!,
});

const status = document.querySelector<HTMLElement>('#status')!;
let peers = 0;
let tabs = 0;
function showStatus(): void {
  const parts = [provider.connected ? `Room "${roomName}"` : 'Connecting to the relay…'];
  parts.push(`${peers} ${peers === 1 ? 'peer' : 'peers'}`);
  if (tabs > 0) parts.push(`${tabs} other ${tabs === 1 ? 'tab' : 'tabs'}`);
  if (peers > 0) parts.push(provider.synced ? 'in sync' : 'syncing…');
  status.textContent = parts.join(' · ');
  status.dataset.connected = String(provider.connected);
  status.dataset.peers = String(peers);
  status.dataset.synced = String(provider.synced);
}
provider.on('status', showStatus);
provider.on('synced', showStatus);
provider.on('peers', (e) => {
  peers = e.webrtcPeers.length;
  tabs = e.bcPeers.length;
  showStatus();
});
showStatus();

if (url.searchParams.has('debug')) {
  (window as unknown as { editorDebug: unknown }).editorDebug = {
    provider,
    /** the shared Y.Text */
    text: () => ytext.toString(),
    /** what the editor shows */
    editorText: () => view.state.doc.toString(),
  };
}
