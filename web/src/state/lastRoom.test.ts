import { describe, expect, it } from 'vitest';
import { lastRoom, rememberLastRoom } from './lastRoom';

/** Storage's three methods over a Map (the real localStorage/sessionStorage are browser-only). */
const memory = () => {
  const m = new Map<string, string>();
  return {
    map: m,
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
  };
};
const SECRET = 'abcdefghijklmnopqrstuvwxyzABCDEF0123456789_-';

describe('lastRoom: where a share from another app goes', () => {
  it('an open room, from any tab', () => {
    const local = memory();
    rememberLastRoom('openRoom1', null, local, memory());
    expect(lastRoom(local, memory())).toEqual({ kind: 'room', href: '/r/openRoom1' });
  });
  it("a protected room: its link (with the key) only in this tab's session storage", () => {
    const [local, session] = [memory(), memory()];
    rememberLastRoom('prot1', SECRET, local, session);
    expect(lastRoom(local, session)).toEqual({ kind: 'room', href: `/r/prot1#k=${SECRET}` });
    // nothing long-lived holds the key or the id
    expect([...local.map.values()].join()).not.toContain(SECRET);
    expect([...local.map.values()].join()).not.toContain('prot1');
    // another tab (empty session storage) knows only that it was protected
    expect(lastRoom(local, memory())).toEqual({ kind: 'protected_elsewhere' });
  });
  it('a later open room replaces a protected one, and its tab forgets the key', () => {
    const [local, session] = [memory(), memory()];
    rememberLastRoom('prot1', SECRET, local, session);
    rememberLastRoom('open2', null, local, session);
    expect(lastRoom(local, session)).toEqual({ kind: 'room', href: '/r/open2' });
    expect([...session.map.values()].join()).not.toContain(SECRET);
  });
  it('nothing remembered, or edited storage that is not a room link: no room', () => {
    expect(lastRoom(memory(), memory())).toEqual({ kind: 'none' });
    const local = memory();
    local.setItem('peerboard.lastRoom', 'https://elsewhere.example/r/x');
    expect(lastRoom(local, memory())).toEqual({ kind: 'none' });
    local.setItem('peerboard.lastRoom', '//elsewhere.example');
    expect(lastRoom(local, memory())).toEqual({ kind: 'none' });
  });
  it('storage that throws (disabled) is the same as none', () => {
    const broken = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
      removeItem: () => {
        throw new Error('denied');
      },
    };
    expect(() => rememberLastRoom('r1', null, broken, broken)).not.toThrow();
    expect(lastRoom(broken, broken)).toEqual({ kind: 'none' });
  });
});
