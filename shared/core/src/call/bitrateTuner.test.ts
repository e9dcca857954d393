/**
 * The tuner's bookkeeping over a recording stand-in for room.media.setEncoding (the browser part,
 * RTCRtpSender.setParameters, is read back in web/e2e/call-mesh.test.ts: @roamhq/wrtc rejects
 * every setParameters). Tracks are plain objects: only identity and contentHint are used.
 */
import { describe, expect, it, vi } from 'vitest';
import {
  CPU_RELEASE_HOLD_MS,
  encodingFor,
  QUALITY_UPGRADE_HOLD_MS,
  type EncodingLimits,
} from './bitratePolicy';
import { makeBitrateTuner } from './bitrateTuner';
import type { Quality } from './quality';

const track = (contentHint = '') => ({ kind: 'video', contentHint }) as MediaStreamTrack;

function setup(answer: (peer: string) => boolean = () => true) {
  let t = 0;
  const calls: { peer: string; track: MediaStreamTrack; limits: EncodingLimits }[] = [];
  const media = {
    setEncoding: (peer: string, tr: MediaStreamTrack, limits: EncodingLimits) => {
      calls.push({ peer, track: tr, limits });
      return Promise.resolve(answer(peer));
    },
  };
  const log = vi.fn();
  const tuner = makeBitrateTuner(media, { now: () => t, log });
  const last = (peer: string, tr: MediaStreamTrack) =>
    calls.filter((c) => c.peer === peer && c.track === tr).at(-1)?.limits ?? null;
  return { tuner, calls, last, log, advance: (ms: number) => (t += ms) };
}

const flush = () => new Promise((r) => setTimeout(r, 0));
const peers = (...qs: [string, Quality][]) => qs.map(([id, quality]) => ({ id, quality }));

describe('makeBitrateTuner', () => {
  it('caps every receiver by the count, and re-applies when someone joins or leaves', async () => {
    const { tuner, last, calls } = setup();
    const cam = track();
    tuner.update(peers(['b', 'good'], ['c', 'good']), [cam]);
    await flush();
    expect(last('b', cam)).toEqual(encodingFor('camera', 2, 'good'));
    expect(last('c', cam)).toEqual(encodingFor('camera', 2, 'good'));
    tuner.update(peers(['b', 'good'], ['c', 'good']), [cam]);
    await flush();
    expect(calls).toHaveLength(2); // nothing changed, nothing touched

    const five = peers(['b', 'good'], ['c', 'good'], ['d', 'good'], ['e', 'good'], ['f', 'good']);
    tuner.update(five, [cam]);
    await flush();
    for (const p of 'bcdef') expect(last(p, cam)).toEqual(encodingFor('camera', 5, 'good'));
    expect(tuner.applied('b', cam)).toEqual(encodingFor('camera', 5, 'good'));

    tuner.update(peers(['b', 'good'], ['c', 'good']), [cam]);
    await flush();
    expect(last('b', cam)).toEqual(encodingFor('camera', 2, 'good'));
  });

  it("a poor link lowers only that receiver's stream; it comes back after the hold", async () => {
    const { tuner, last, advance } = setup();
    const cam = track();
    tuner.update(peers(['b', 'good'], ['c', 'good']), [cam]);
    await flush();
    tuner.update(peers(['b', 'poor'], ['c', 'good']), [cam]);
    await flush();
    expect(last('b', cam)).toEqual(encodingFor('camera', 2, 'poor'));
    expect(last('c', cam)).toEqual(encodingFor('camera', 2, 'good'));

    advance(2000);
    tuner.update(peers(['b', 'good'], ['c', 'good']), [cam]);
    await flush();
    expect(last('b', cam)).toEqual(encodingFor('camera', 2, 'poor')); // held
    advance(QUALITY_UPGRADE_HOLD_MS);
    tuner.update(peers(['b', 'good'], ['c', 'good']), [cam]);
    await flush();
    expect(last('b', cam)).toEqual(encodingFor('camera', 2, 'good'));
  });

  it('a screen track (content hint detail) gets the screen policy', async () => {
    const { tuner, last } = setup();
    const screen = track('detail');
    tuner.update(peers(['b', 'good']), [screen]);
    await flush();
    expect(last('b', screen)).toEqual(encodingFor('screen', 1, 'good'));
  });

  it('retries a refused apply, gives up after five refusals (logged once), forgets a peer', async () => {
    let refuse = true;
    const { tuner, calls, log } = setup(() => !refuse);
    const cam = track();
    for (let i = 0; i < 8; i++) {
      tuner.update(peers(['b', 'good']), [cam]);
      await flush();
    }
    expect(calls).toHaveLength(5);
    expect(log).toHaveBeenCalledTimes(1);
    expect(tuner.applied('b', cam)).toBeNull();

    // a re-created link starts uncapped: forget, and the next update applies again
    refuse = false;
    tuner.forget('b');
    tuner.update(peers(['b', 'good']), [cam]);
    await flush();
    expect(tuner.applied('b', cam)).toEqual(encodingFor('camera', 1, 'good'));
  });

  it("a CPU-limited encoder towards one peer halves that stream's resolution, not its bitrate", async () => {
    const { tuner, last, advance } = setup();
    const cam = track();
    tuner.update(peers(['b', 'good'], ['c', 'good']), [cam]);
    await flush();
    tuner.update(
      [
        { id: 'b', quality: 'good', cpuLimited: true },
        { id: 'c', quality: 'good', cpuLimited: false },
      ],
      [cam],
    );
    await flush();
    expect(last('b', cam)).toEqual(encodingFor('camera', 2, 'good', true));
    expect(last('b', cam)!.maxBitrate).toBe(encodingFor('camera', 2, 'good').maxBitrate);
    expect(last('c', cam)).toEqual(encodingFor('camera', 2, 'good'));
    // the lower resolution ends the limit at once; the resolution stays down for the hold
    advance(2000);
    tuner.update(peers(['b', 'good'], ['c', 'good']), [cam]);
    await flush();
    expect(last('b', cam)).toEqual(encodingFor('camera', 2, 'good', true));
    advance(CPU_RELEASE_HOLD_MS);
    tuner.update(peers(['b', 'good'], ['c', 'good']), [cam]);
    await flush();
    expect(last('b', cam)).toEqual(encodingFor('camera', 2, 'good'));
  });
});
