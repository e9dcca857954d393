/**
 * A link's orderly close after sending (link.closeAfterSent, used by the mesh's version cut so
 * the remote reads our hello): what was sent just before the close reaches the remote. Two real
 * links (@roamhq/wrtc) wired to each other in this process (simple-peer's test/binary.js idea);
 * the mesh's identity exchange is left out (each side accepts on connect).
 */
import { describe, expect, it } from 'vitest';
import type { WireFrame } from '@peerboard/protocol/wire';
import { makeLink, type Link } from '../src/peers/link';
import { waitFor, wrtc } from './kit/relay';
import { useCleanups } from './kit/relayRoom';

const defer = useCleanups();

interface End {
  reason: string;
  failed: boolean;
  wasOpen: boolean;
}

function linkPair() {
  const received: WireFrame[] = [];
  /** frames a's side delivered from b */
  const fromB: WireFrame[] = [];
  const ends: Record<'a' | 'b', End | null> = { a: null, b: null };
  const opened = { a: false, b: false };
  const links = {} as Record<'a' | 'b', Link>;
  for (const side of ['a', 'b'] as const) {
    const other = side === 'a' ? 'b' : 'a';
    const link = makeLink({
      cid: `link-${side}`,
      gen: 1,
      initiator: side === 'a',
      iceServers: [],
      wrtc,
      bulkChannel: false,
      log: () => undefined,
      onSignal: (data) => links[other].signal(data),
      onConnect: () => link.accept(),
      onIdentity: () => undefined,
      onOpen: () => (opened[side] = true),
      onFrame: (frame) => {
        if (side === 'b' && frame.type === 'sync') received.push(frame);
        if (side === 'a' && frame.type !== 'pong') fromB.push(frame);
      },
      onTrack: () => undefined,
      onStats: () => undefined,
      onEnd: (reason, failed, wasOpen) => (ends[side] = { reason, failed, wasOpen }),
    });
    links[side] = link;
    defer(() => link.destroy());
  }
  return { ...links, received, fromB, ends, opened };
}

describe('a link closed after sending', () => {
  it('the remote reads the frame sent in the same task as closeAfterSent; both ends close in order, nothing more is taken', async () => {
    const { a, b, received, fromB, ends, opened } = linkPair();
    await waitFor('both open', () => opened.a && opened.b);
    const hello = new TextEncoder().encode('our hello'); // a version cut's last frame
    expect(a.sendControl({ type: 'sync', data: hello })).toBe(true);
    a.closeAfterSent('speaks protocol 9, this peer 2');
    // closed to new frames at once, both ways
    expect(a.isOpen()).toBe(false);
    expect(a.sendControl({ type: 'sync', data: hello })).toBe(false);
    expect(b.sendControl({ type: 'chat', data: hello })).toBe(true);
    await waitFor('both ends closed', () => ends.a !== null && ends.b !== null, 5_000);
    expect(
      received.map((f) => (f.type === 'sync' ? new TextDecoder().decode(f.data) : '')),
    ).toEqual(['our hello']);
    expect(ends.a).toEqual({
      reason: 'speaks protocol 9, this peer 2',
      failed: false,
      wasOpen: true,
    });
    expect(ends.b).toMatchObject({ failed: false, wasOpen: true });
    expect(fromB).toEqual([]); // what b sent after a's close was not delivered on a's side
  });
});
