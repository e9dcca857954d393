import { describe, expect, it } from 'vitest';
import { encodeCallControl, readCallControl, type CallStateMessage } from './callControl';
import {
  callReducer,
  incomingCall,
  initialCallModel,
  localMessage,
  participantsInOrder,
  sendsMediaTo,
  type CallEvent,
  type CallModel,
} from './callState';

const remote = (inCall: boolean, joinedAt = 10, patch: Partial<CallStateMessage> = {}) => ({
  type: 'call_state' as const,
  inCall,
  joinedAt,
  audioMuted: false,
  videoOff: false,
  hasAudio: true,
  hasVideo: true,
  screen: false,
  screenStream: null,
  ...patch,
});
const run = (events: CallEvent[], m: CallModel = initialCallModel()) =>
  events.reduce(callReducer, m);
const ready: CallEvent = { type: 'media_ready', hasAudio: true, hasVideo: true, now: 100 };

describe('call_control message', () => {
  it('round-trips through the wire encoding', () => {
    const msg = remote(true, 1234, { audioMuted: true, screen: true, screenStream: '{9f-a1}' });
    const wire = JSON.parse(JSON.stringify(encodeCallControl(msg)));
    expect(readCallControl(wire)).toEqual({ ok: true, value: msg });
  });

  it('reads a message without screen_stream (an older client) as no separate screen', () => {
    const { screen_stream: _gone, ...older } = encodeCallControl(remote(true));
    expect(readCallControl(older)).toMatchObject({ ok: true, value: { screenStream: null } });
  });

  it('rejects a screen_stream that is not a stream id', () => {
    const good = encodeCallControl(remote(true, 10, { screen: true, screenStream: 'abc' }));
    for (const screen_stream of ['', 'a b', 'x'.repeat(65), 7, { id: 'a' }, ['a'], 'é'])
      expect(readCallControl({ ...good, screen_stream })).toMatchObject({
        ok: false,
        code: 'ERR_CALL_FIELD',
      });
  });

  it('rejects unknown types, missing and mistyped fields', () => {
    const good = encodeCallControl(remote(true));
    expect(readCallControl({ ...good, type: 'call_hangup' })).toMatchObject({
      ok: false,
      code: 'ERR_CALL_UNKNOWN_TYPE',
    });
    for (const bad of [
      { ...good, in_call: 'yes' },
      { ...good, audio_muted: 1 },
      { ...good, joined_at: -1 },
      { ...good, joined_at: Number.NaN },
      { ...good, joined_at: '5' },
      { type: 'call_state' },
    ])
      expect(readCallControl(bad)).toMatchObject({ ok: false, code: 'ERR_CALL_FIELD' });
  });
});

describe('call state machine', () => {
  it('idle -> starting -> in_call -> idle, announcing what it is', () => {
    let m = run([{ type: 'start' }]);
    expect(m.local.phase).toBe('starting');
    expect(localMessage(m).inCall).toBe(false);
    m = callReducer(m, ready);
    expect(m.local).toMatchObject({ phase: 'in_call', joinedAt: 100, hasVideo: true });
    expect(localMessage(m)).toMatchObject({ inCall: true, joinedAt: 100 });
    m = callReducer(m, { type: 'leave' });
    expect(m.local.phase).toBe('idle');
    expect(localMessage(m).inCall).toBe(false);
  });

  it('a failed getUserMedia returns to idle with the error; start clears it', () => {
    const error = { code: 'permission_denied' as const, message: 'blocked' };
    let m = run([{ type: 'start' }, { type: 'media_failed', error }]);
    expect(m.local).toMatchObject({ phase: 'idle', error });
    m = callReducer(m, { type: 'start' });
    expect(m.local.error).toBeNull();
  });

  it('ignores media that arrives after the user left, and duplicate starts', () => {
    const m = run([{ type: 'start' }, { type: 'leave' }, ready]);
    expect(m.local.phase).toBe('idle');
    const starting = run([{ type: 'start' }]);
    expect(callReducer(starting, { type: 'start' })).toBe(starting);
  });

  it('mute/camera/screen only apply in a call and only with that kind of track', () => {
    const idle = initialCallModel();
    expect(callReducer(idle, { type: 'set_muted', muted: true })).toBe(idle);
    const audioOnly = run([
      { type: 'start' },
      { type: 'media_ready', hasAudio: true, hasVideo: false, now: 1, notice: 'no camera' },
    ]);
    expect(audioOnly.local.notice).toBe('no camera');
    expect(callReducer(audioOnly, { type: 'set_video_off', off: true })).toBe(audioOnly);
    const m = run(
      [
        { type: 'set_muted', muted: true },
        { type: 'set_screen', on: true },
      ],
      audioOnly,
    );
    expect(localMessage(m)).toMatchObject({ audioMuted: true, screen: true, hasVideo: false });
  });

  it('listen-only: in the call with no media; the microphone can be added once, later', () => {
    const listening = run([
      { type: 'start' },
      { type: 'media_ready', hasAudio: false, hasVideo: false, now: 1 },
    ]);
    expect(localMessage(listening)).toMatchObject({ inCall: true, hasAudio: false });
    expect(callReducer(listening, { type: 'set_muted', muted: true })).toBe(listening);
    const talking = run([{ type: 'set_muted', muted: true }, { type: 'add_audio' }], listening);
    expect(localMessage(talking)).toMatchObject({ hasAudio: true, audioMuted: false });
    expect(callReducer(talking, { type: 'add_audio' })).toBe(talking);
    expect(callReducer(initialCallModel(), { type: 'add_audio' }).local.hasAudio).toBe(false);
  });

  it('tracks remote participants; incoming call names the first joiner', () => {
    let m = run([
      { type: 'remote_state', from: 'bob', msg: remote(true, 50) },
      { type: 'remote_state', from: 'ann', msg: remote(true, 20) },
    ]);
    expect(participantsInOrder(m).map((p) => p.id)).toEqual(['ann', 'bob']);
    expect(incomingCall(m)).toEqual({ startedBy: 'ann', count: 2 });
    expect(sendsMediaTo(m, 'ann')).toBe(false); // we are not in it
    m = run([{ type: 'start' }, ready], m);
    expect(incomingCall(m)).toBeNull();
    expect(sendsMediaTo(m, 'ann')).toBe(true);
    expect(sendsMediaTo(m, 'cy')).toBe(false); // in the room, not in the call
    m = callReducer(m, { type: 'remote_state', from: 'ann', msg: remote(false) });
    expect(Object.keys(m.remote)).toEqual(['bob']);
    m = callReducer(m, { type: 'peer_gone', id: 'bob' });
    expect(m.remote).toEqual({});
    // leaving keeps what we know about the others: they are still in their call
    const after = run(
      [{ type: 'remote_state', from: 'bob', msg: remote(true) }, { type: 'leave' }],
      m,
    );
    expect(incomingCall(after)).toEqual({ startedBy: 'bob', count: 1 });
  });

  it('ties on join time order by id, the same on every peer', () => {
    const m = run([
      { type: 'remote_state', from: 'zed', msg: remote(true, 5) },
      { type: 'remote_state', from: 'amy', msg: remote(true, 5) },
    ]);
    expect(participantsInOrder(m).map((p) => p.id)).toEqual(['amy', 'zed']);
  });

  it('a remote mute updates that participant only', () => {
    const m = run([
      { type: 'remote_state', from: 'ann', msg: remote(true) },
      { type: 'remote_state', from: 'bob', msg: remote(true) },
      { type: 'remote_state', from: 'ann', msg: remote(true, 10, { audioMuted: true }) },
    ]);
    expect(m.remote.ann?.audioMuted).toBe(true);
    expect(m.remote.bob?.audioMuted).toBe(false);
  });
});
