import { describe, expect, it, vi } from 'vitest';
import { makeActiveSpeakerPicker, makeActiveSpeakerTracker } from './activeSpeaker';
import {
  galleryTileWidth,
  remoteScreens,
  selfViewDock,
  screenTileId,
  stageLayout,
  stageTiles,
  type StageParticipant,
} from './stageLayout';

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

  it('two remote participants or more: an equal grid in call order, the speaker only in focus', () => {
    expect(stageLayout([me, p('a'), p('b'), p('c')], null, 'b')).toEqual({
      mode: 'gallery',
      main: null,
      strip: [],
      grid: ['a', 'b', 'c'],
      selfView: 'me',
      focus: 'b',
      reason: 'gallery',
    });
    // the order does not follow the speaker: tiles stay where they are
    expect(stageLayout([me, p('a'), p('b'), p('c')], null, 'c').grid).toEqual(['a', 'b', 'c']);
    expect(stageLayout([me, p('a'), p('b')], null, null)).toMatchObject({
      mode: 'gallery',
      grid: ['a', 'b'],
      focus: 'a',
    });
  });

  it('one remote participant: the speaker (or the first) large; alone: ourselves', () => {
    expect(stageLayout([me, p('a')], null, 'a')).toEqual({
      mode: 'spotlight',
      main: 'a',
      strip: [],
      grid: [],
      selfView: 'me',
      focus: 'a',
      reason: 'speaker',
    });
    expect(stageLayout([me, p('a')], null, null)).toMatchObject({ main: 'a', reason: 'first' });
    expect(stageLayout([me], null, null)).toMatchObject({
      main: 'me',
      strip: [],
      selfView: null,
      reason: 'alone',
    });
    expect(stageLayout([], null, null)).toMatchObject({ main: null, reason: 'empty' });
  });

  it('a screen is a tile of its own beside its sharer camera, and a remote one takes the stage', () => {
    const ps = [me, p('a'), p('b', { screen: true }), p('c')];
    expect(stageTiles(ps).map((t) => `${t.id}:${t.kind}`)).toEqual([
      'me:person',
      'a:person',
      'b:person',
      `${screenTileId('b')}:screen`,
      'c:person',
    ]);
    expect(stageLayout(ps, null, 'a')).toEqual({
      mode: 'spotlight',
      main: screenTileId('b'),
      strip: ['a', 'b', 'c'],
      grid: [],
      selfView: 'me',
      focus: screenTileId('b'),
      reason: 'screen',
    });
    expect(remoteScreens(ps)).toEqual(['b']);
  });

  it('our own screen never takes our stage: it is one more small tile', () => {
    const mine = [p('me', { self: true, screen: true }), p('a')];
    expect(stageLayout(mine, null, null)).toMatchObject({
      main: 'a',
      strip: [screenTileId('me')],
      selfView: 'me',
    });
    expect(remoteScreens(mine)).toEqual([]);
    const gallery = stageLayout([...mine, p('b')], null, null);
    expect(gallery).toMatchObject({ mode: 'gallery', selfView: 'me' });
    expect(gallery.grid).toEqual([screenTileId('me'), 'a', 'b']);
  });

  it('a pin turns the gallery into a spotlight, beats a screen, and is ignored once gone', () => {
    const ps = [me, p('a'), p('b', { screen: true })];
    expect(stageLayout(ps, 'a', 'b')).toMatchObject({
      mode: 'spotlight',
      main: 'a',
      strip: ['b', screenTileId('b')],
      reason: 'pinned',
    });
    expect(stageLayout(ps, 'me', null)).toMatchObject({ main: 'me', selfView: null });
    expect(stageLayout(ps, 'gone', 'a')).toMatchObject({ main: screenTileId('b') });
    // b stopped sharing: a pin on the screen tile no longer holds, the gallery is back
    const stopped = [me, p('a'), p('b')];
    expect(stageLayout(stopped, screenTileId('b'), null)).toMatchObject({ mode: 'gallery' });
    expect(stageLayout(stopped, 'b', null)).toMatchObject({ mode: 'spotlight', main: 'b' });
  });
});

describe('selfViewDock: room for our own view in the gallery', () => {
  const self = { w: 176, h: 132 };
  it('a wide stage with two tiles has height to spare: a row costs the tiles nothing', () => {
    const area = { w: 1200, h: 700 };
    expect(selfViewDock(area, 2, 2, self, 8)).toBe('row');
    expect(galleryTileWidth(area.w, area.h - self.h - 8, 2, 2, 8)).toBe(
      galleryTileWidth(area.w, area.h, 2, 2, 8),
    );
  });
  it('a short, wide stage full of tiles gives up a column instead', () => {
    expect(selfViewDock({ w: 1200, h: 500 }, 4, 2, self, 8)).toBe('column');
  });
  it('a phone (one column, tall) gives up a row', () => {
    expect(selfViewDock({ w: 359, h: 600 }, 2, 1, { w: 88, h: 66 }, 8)).toBe('row');
  });
});
