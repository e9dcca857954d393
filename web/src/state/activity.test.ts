import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeActivity } from './activity';

function page() {
  const inputs = new EventTarget();
  const doc = Object.assign(new EventTarget(), {
    visibilityState: 'visible' as DocumentVisibilityState,
  });
  const seen: (string | null)[] = [];
  const activity = makeActivity({
    idleMs: 60_000,
    inputs,
    visibility: doc,
    onChange: (a) => seen.push(a),
  });
  const setHidden = (hidden: boolean) => {
    doc.visibilityState = hidden ? 'hidden' : 'visible';
    doc.dispatchEvent(new Event('visibilitychange'));
  };
  return { inputs, activity, seen, setHidden };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('activity', () => {
  it('goes idle after the quiet time and comes back on input', () => {
    const { inputs, activity, seen } = page();
    vi.advanceTimersByTime(59_000);
    inputs.dispatchEvent(new Event('keydown'));
    vi.advanceTimersByTime(59_000);
    expect(activity.away()).toBeNull();
    vi.advanceTimersByTime(2_000);
    expect(activity.away()).toBe('idle');
    inputs.dispatchEvent(new Event('pointermove'));
    expect(activity.away()).toBeNull();
    expect(seen).toEqual(['idle', null]);
    activity.destroy();
  });

  it('is away while the tab is hidden, whatever the input timer says', () => {
    const { activity, seen, setHidden } = page();
    setHidden(true);
    expect(activity.away()).toBe('hidden');
    vi.advanceTimersByTime(120_000);
    expect(activity.away()).toBe('hidden');
    setHidden(false);
    // back in view but nobody touched anything for two minutes
    expect(activity.away()).toBe('idle');
    expect(seen).toEqual(['hidden', 'idle']);
    activity.destroy();
  });
});
