import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeMemoryNetwork } from '../../test/kit/memoryNetwork';
import { seededRandom } from '../../test/kit/seededRandom';
import { initPresence } from '../collab/presence';
import { makeTestPeer, type TestPeer } from '../../test/kit/testPeers';
import { makeTypingReporter, setTyping, typingNames } from './typing';

let peers: TestPeer[] = [];
afterEach(() => {
  vi.useRealTimers();
  peers.forEach((p) => p.destroy());
  peers = [];
});

describe('typing indicator', () => {
  it('is shared through awareness and cleared after idle', () => {
    vi.useFakeTimers();
    const net = makeMemoryNetwork(seededRandom(3));
    peers = ['a', 'b'].map((id) => makeTestPeer(net, id));
    const [a, b] = peers as [TestPeer, TestPeer];
    net.connect('a', 'b');
    initPresence(a.awareness, {
      name: 'Ann',
      colour: '#123456',
      cursor: null,
      selection: [],
      typing: false,
    });
    net.flush();
    setTyping(a.awareness, true);
    net.flush();
    expect(typingNames(b.awareness)).toEqual(['Ann']);
    expect(typingNames(a.awareness)).toEqual([]); // not ourselves
    const before = net.pending();
    setTyping(a.awareness, true); // unchanged: no broadcast
    expect(net.pending()).toBe(before);
    setTyping(a.awareness, false);
    net.flush();
    expect(typingNames(b.awareness)).toEqual([]);

    const reporter = makeTypingReporter(a.awareness, 1000);
    reporter.keystroke();
    net.flush();
    expect(typingNames(b.awareness)).toEqual(['Ann']);
    vi.advanceTimersByTime(1500);
    net.flush();
    expect(typingNames(b.awareness)).toEqual([]);
    reporter.keystroke();
    reporter.destroy();
    reporter.destroy();
    net.flush();
    expect(typingNames(b.awareness)).toEqual([]);
  });
});
