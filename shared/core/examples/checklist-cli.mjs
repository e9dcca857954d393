/* global process, console */
// The checklist from a terminal. In this repository (the workspace resolves @peerboard/core to
// its TypeScript source, hence tsx):
//   node --import tsx shared/core/examples/checklist-cli.mjs ws://127.0.0.1:8080/ws my-list Ann "buy milk"
// From npm: `npm install @peerboard/core yjs ws @roamhq/wrtc`, then `node checklist-cli.mjs ...`.
import wrtc from '@roamhq/wrtc';
import WebSocket from 'ws';
import { openChecklist } from './checklist.mjs';

const [signalingUrl, roomId, name = 'Node', ...toAdd] = process.argv.slice(2);
if (!signalingUrl || !roomId) {
  console.error('usage: checklist-cli.mjs <ws://host/ws> <room id> [name] [items to add...]');
  process.exit(2);
}
const list = openChecklist({ roomId, name, signalingUrl, WebSocket, wrtc, log: () => {} });
const show = () =>
  console.log(
    list
      .list()
      .map((it, i) => `${i}. [${it.done ? 'x' : ' '}] ${it.text}`)
      .join('\n') || '(empty)',
  );
list.onChange(show);
for (const text of toAdd) list.add(text);
// type a number to tick that item, "+ text" to add one, Ctrl+D to leave
process.stdin.setEncoding('utf8').on('data', (line) => {
  for (const cmd of line
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)) {
    if (cmd.startsWith('+')) list.add(cmd.slice(1).trim());
    else if (/^\d+$/.test(cmd)) list.toggle(Number(cmd));
  }
});
process.stdin.on('end', () => {
  list.leave();
  process.exit(0);
});
