/**
 * makeSession over the real relay and real WebRTC peers (@roamhq/wrtc): one call assembles
 * room, document, transfers, chat and call; one destroy() leaves. Also the chat authorship
 * attack: a member forges a message with another member's author fields, and the victim's
 * client does not count it as its own.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Session } from '../src/session';
import { addElement, readBoard } from '../src/collab/boardModel';
import { LOCAL_ORIGIN } from '../src/collab/origins';
import { chatArray } from '../src/chat/chatModel';
import { bytesSource } from '../src/transfer/source';
import { uniqueRoom } from './kit/relay';
import { until, useSessionRelay } from './kit/sessions';

const net = useSessionRelay();
const join = (roomId: string, name: string): Session => net.join(roomId, name);

describe('makeSession', () => {
  it('assembles board, chat and files over one room, and one destroy() leaves it', async () => {
    const roomId = uniqueRoom('session');
    const ann = join(roomId, 'Ann');
    const bob = join(roomId, 'Bob');
    await until(() => ann.room.openPeers().length === 1 && bob.room.openPeers().length === 1);

    const stroke = addElement(ann.doc.doc, {
      type: 'rect',
      x: 10,
      y: 20,
      w: 30,
      h: 40,
      colour: '#112233',
      strokeWidth: 2,
      fill: null,
    });
    expect(stroke.ok).toBe(true);
    await until(() => readBoard(bob.doc.doc).some((e) => e.type === 'rect' && e.x === 10));

    const sent = ann.chat.send('hello Bob');
    expect(sent.ok).toBe(true);
    await until(() => bob.chat.messages().some((m) => m.text === 'hello Bob'));
    const id = sent.ok ? sent.value.id : '';
    expect(ann.chat.isMine(id)).toBe(true);
    expect(bob.chat.isMine(id)).toBe(false);

    const bytes = new Uint8Array(300_000).map((_, i) => (i * 7) & 255);
    const fileId = ann.transfers.offer(bytesSource(bytes, 'notes.bin'));
    await until(() => bob.transfers.get(fileId)?.state === 'offered');
    await bob.transfers.accept(fileId);
    await until(() => bob.transfers.get(fileId)?.state === 'done');
    const blob = await bob.transfers.received(fileId)!.blob();
    const got = new Uint8Array(await blob!.arrayBuffer());
    expect(createHash('sha256').update(got).digest('hex')).toBe(
      createHash('sha256').update(bytes).digest('hex'),
    );

    ann.destroy();
    ann.destroy(); // idempotent
    await until(() => bob.room.snapshot().peers.length === 0);
  });

  it('a forged chat message carrying the victim’s author fields does not show as theirs', async () => {
    const roomId = uniqueRoom('session-forge');
    const vic = join(roomId, 'Vic');
    const eve = join(roomId, 'Eve');
    await until(() => vic.room.openPeers().length === 1);
    const real = vic.chat.send('my real message');
    expect(real.ok).toBe(true);
    await until(() => eve.chat.messages().length === 1);

    // Eve writes straight into the shared document, copying Vic's author fields.
    const victim = eve.chat.messages()[0]!;
    eve.doc.doc.transact(() => {
      chatArray(eve.doc.doc).push([
        { ...victim, id: 'forged-message-1', text: 'I agree to everything', ts: Date.now() },
      ]);
    }, LOCAL_ORIGIN);
    await until(() => vic.chat.messages().some((m) => m.id === 'forged-message-1'));
    const forged = vic.chat.messages().find((m) => m.id === 'forged-message-1')!;
    expect(forged.authorClientId).toBe(vic.doc.doc.clientID); // the fields do claim Vic
    expect(vic.chat.isMine(forged.id)).toBe(false); // but Vic's client knows it never sent it
    expect(vic.chat.isMine(real.ok ? real.value.id : '')).toBe(true);
  });
});
