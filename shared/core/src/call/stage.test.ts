import { describe, expect, it, vi } from 'vitest';
import { makeActiveSpeakerPicker, makeActiveSpeakerTracker } from './activeSpeaker';
import { remoteScreens, stageLayout, type StageParticipant } from './stageLayout';

const set = (...ids: string[]) => new Set(ids);
const ALL = set('a', 'b', 'c');

describe('active speaker with hysteresis', () => {
  it('the first to talk takes an empty stage at once', () => {
    const pick = makeActiveSpeakerPicker({ switchAfterMs: 300 });
    expect(pick(set(), ALL, 0).active).toBeNull();
    expect(pick(set('b'), ALL, 10).active).toBe('b');
  });

  it('keeps the speaker through silence until someone else talks long enough', () => {
    const pick = makeActiveSpeakerPicker({ switchAfterMs: 300 });
    pick(set('a'), ALL, 0);
    expect(pick(set(), ALL, 1000).active).toBe('a');
    // b starts: not yet, and the picker asks to be re-checked when b would qualify
    expect(pick(set('b'), ALL, 1100)).toEqual({ active: 'a', recheckInMs: 300 });
    expect(pick(set('b'), ALL, 1250)).toEqual({ active: 'a', recheckInMs: 150 });
    // a short interjection that stops before 300 ms never takes the stage
    expect(pick(set(), ALL, 1350).active).toBe('a');
    expect(pick(set('b'), ALL, 1400).active).toBe('a');
    expect(pick(set('b'), ALL, 1700).active).toBe('b');
  });

  it('while the speaker talks, a challenger talking over them does not take the stage', () => {
    const pick = makeActiveSpeakerPicker({ switchAfterMs: 300 });
    pick(set('a'), ALL, 0);
    expect(pick(set('a', 'b'), ALL, 100).active).toBe('a');
    expect(pick(set('a', 'b'), ALL, 5000).active).toBe('a');
    // a stops: b has been talking for long already and takes over at once
    expect(pick(set('b'), ALL, 5100).active).toBe('b');
  });

  it('of several challengers the one talking longest wins; a speaker who leaves frees the stage', () => {
    const pick = makeActiveSpeakerPicker({ switchAfterMs: 300 });
    pick(set('a'), ALL, 0);
    pick(set('a', 'c'), ALL, 100);
    pick(set('a', 'b', 'c'), ALL, 200);
    expect(pick(set('b', 'c'), ALL, 1000).active).toBe('c');
    expect(pick(set('b'), set('a', 'b'), 1100).active).toBe('b');
    expect(pick(set(), set('a'), 1200).active).toBeNull();
  });

  it('the tracker re-checks on a timer and reports only real changes', () => {
    vi.useFakeTimers();
    try {
      let t = 0;
      const changes: (string | null)[] = [];
      const tracker = makeActiveSpeakerTracker(
        (id) => changes.push(id),
        () => t,
        {
          switchAfterMs: 300,
        },
      );
      tracker.update(set('a'), ALL);
      tracker.update(set('a'), ALL);
      tracker.update(set('b'), ALL);
      expect(changes).toEqual(['a']);
      t = 300;
      vi.advanceTimersByTime(300);
      expect(changes).toEqual(['a', 'b']);
      expect(tracker.active()).toBe('b');
      tracker.update(set('c'), ALL);
      tracker.destroy();
      t = 1000;
      vi.advanceTimersByTime(1000);
      expect(changes).toEqual(['a', 'b']);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('stage layout', () => {
  const p = (id: string, extra: Partial<StageParticipant> = {}): StageParticipant => ({
    id,
    self: false,
    screen: false,
    ...extra,
  });
  const me = p('me', { self: true });

  it('the active speaker is large, others in the strip in call order, ourselves small', () => {
    expect(stageLayout([me, p('a'), p('b'), p('c')], null, 'b')).toEqual({
      main: 'b',
      strip: ['a', 'c'],
      selfView: 'me',
      reason: 'speaker',
    });
  });

  it('no speaker yet: the first remote; alone: ourselves; not in the call: nothing', () => {
    expect(stageLayout([me, p('a'), p('b')], null, null)).toMatchObject({
      main: 'a',
      reason: 'first',
    });
    expect(stageLayout([me], null, null)).toEqual({
      main: 'me',
      strip: [],
      selfView: null,
      reason: 'alone',
    });
    expect(stageLayout([], null, null).main).toBeNull();
  });

  it('a remote screen beats the speaker; our own screen does not take our stage', () => {
    const ps = [me, p('a'), p('b', { screen: true })];
    expect(stageLayout(ps, null, 'a')).toMatchObject({ main: 'b', strip: ['a'], reason: 'screen' });
    expect(remoteScreens(ps)).toEqual(['b']);
    const mine = [p('me', { self: true, screen: true }), p('a')];
    expect(stageLayout(mine, null, null).main).toBe('a');
    expect(remoteScreens(mine)).toEqual([]);
  });

  it('a pin beats everything, ourselves included, and is ignored once that person left', () => {
    const ps = [me, p('a'), p('b', { screen: true })];
    expect(stageLayout(ps, 'a', 'b')).toMatchObject({ main: 'a', strip: ['b'], reason: 'pinned' });
    expect(stageLayout(ps, 'me', null)).toMatchObject({
      main: 'me',
      selfView: null,
      strip: ['a', 'b'],
    });
    expect(stageLayout(ps, 'gone', 'a')).toMatchObject({ main: 'b', reason: 'screen' });
  });
});
