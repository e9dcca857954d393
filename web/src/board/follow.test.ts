import { describe, expect, it } from 'vitest';
import { followStep, IDLE, sameViewport, viewOf, viewportFor, type FollowState } from './follow';

const alice: FollowState = { kind: 'following', clientId: 1, name: 'Alice' };

describe('follow state machine', () => {
  it('starts on a click, stops on our own move, Escape, a second click or their leaving', () => {
    expect(followStep(IDLE, { type: 'start', clientId: 1, name: 'Alice' })).toEqual({
      state: alice,
      stopped: null,
    });
    expect(followStep(alice, { type: 'stop', reason: 'moved' })).toEqual({
      state: IDLE,
      stopped: 'moved',
    });
    expect(followStep(alice, { type: 'stop', reason: 'escape' }).stopped).toBe('escape');
    expect(followStep(alice, { type: 'start', clientId: 1, name: 'Alice' }).stopped).toBe('toggle');
    expect(followStep(alice, { type: 'peers', present: () => false })).toEqual({
      state: IDLE,
      stopped: 'left',
    });
    expect(followStep(alice, { type: 'peers', present: (id) => id === 1 }).state).toBe(alice);
    // switching to someone else is no stop
    expect(followStep(alice, { type: 'start', clientId: 2, name: 'Carol' })).toEqual({
      state: { kind: 'following', clientId: 2, name: 'Carol' },
      stopped: null,
    });
    // nothing to stop when idle: no notice
    expect(followStep(IDLE, { type: 'stop', reason: 'moved' }).stopped).toBeNull();
    expect(followStep(IDLE, { type: 'peers', present: () => false }).stopped).toBeNull();
  });

  it('puts their centre at ours, at their zoom, whatever our canvas size', () => {
    const theirs = viewOf({ x: 100, y: 50, zoom: 2 }, 1000, 600);
    expect(theirs).toEqual({ x: 350, y: 200, zoom: 2 });
    const ours = viewportFor(theirs, 400, 800);
    expect(ours).toEqual({ x: 250, y: 0, zoom: 2 });
    expect(viewOf(ours, 400, 800)).toEqual(theirs);
    expect(sameViewport(ours, { ...ours, x: ours.x + 1e-9 })).toBe(true);
    expect(sameViewport(ours, { ...ours, x: ours.x + 1 })).toBe(false);
  });
});
