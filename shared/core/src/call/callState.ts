/**
 * The call as a pure state machine: our own phase and switches, plus the last announced state of
 * every remote peer that is in the call. makeCall feeds it events and performs the effects
 * (media, tracks, messages); the reducer never touches a browser API, so every transition is a
 * unit test.
 *
 *   idle --start--> starting --media_ready--> in_call --leave--> idle
 *                     |  \--media_failed--> idle (with error)
 *                     \--leave--> idle (late media_ready is ignored: the caller stops it)
 *
 * Listen-only: media_ready with neither audio nor video (no getUserMedia at all); the
 * microphone can be added later (add_audio).
 */
import type { CallStateMessage } from './callControl';

export type CallPhase = 'idle' | 'starting' | 'in_call';

export type CallErrorCode =
  | 'permission_denied'
  | 'no_devices'
  | 'device_busy'
  | 'insecure_context'
  | 'unsupported'
  | 'screen_failed'
  | 'unknown';

export interface CallError {
  code: CallErrorCode;
  /** plain language, shown as is */
  message: string;
}

export interface LocalCallState {
  phase: CallPhase;
  joinedAt: number | null;
  audioMuted: boolean;
  videoOff: boolean;
  hasAudio: boolean;
  hasVideo: boolean;
  screen: boolean;
  /** the stream id our screen is sent under while we share (callControl.ts) */
  screenStream: string | null;
  error: CallError | null;
  /** set when we fell back to audio only, so the UI can say why there is no video */
  notice: string | null;
}

export interface RemoteParticipant {
  id: string;
  joinedAt: number;
  audioMuted: boolean;
  videoOff: boolean;
  hasAudio: boolean;
  hasVideo: boolean;
  screen: boolean;
  screenStream: string | null;
}

export interface CallModel {
  local: LocalCallState;
  /** remote peers that announced in_call, by stable client id */
  remote: Readonly<Record<string, RemoteParticipant>>;
}

export type CallEvent =
  | { type: 'start' }
  | { type: 'media_ready'; hasAudio: boolean; hasVideo: boolean; now: number; notice?: string }
  | { type: 'media_failed'; error: CallError }
  | { type: 'leave' }
  | { type: 'add_audio'; error?: CallError }
  | { type: 'set_muted'; muted: boolean }
  | { type: 'set_video_off'; off: boolean }
  | { type: 'set_screen'; on: boolean; streamId?: string; error?: CallError }
  | { type: 'remote_state'; from: string; msg: CallStateMessage }
  | { type: 'peer_gone'; id: string }
  | { type: 'dismiss_error' };

export const initialCallModel = (): CallModel => ({
  local: {
    phase: 'idle',
    joinedAt: null,
    audioMuted: false,
    videoOff: false,
    hasAudio: false,
    hasVideo: false,
    screen: false,
    screenStream: null,
    error: null,
    notice: null,
  },
  remote: {},
});

const withLocal = (m: CallModel, patch: Partial<LocalCallState>): CallModel => ({
  ...m,
  local: { ...m.local, ...patch },
});

export function callReducer(m: CallModel, e: CallEvent): CallModel {
  const inCall = m.local.phase === 'in_call';
  switch (e.type) {
    case 'start':
      return m.local.phase === 'idle'
        ? withLocal(m, { phase: 'starting', error: null, notice: null })
        : m;
    case 'media_ready':
      if (m.local.phase !== 'starting') return m;
      return withLocal(m, {
        phase: 'in_call',
        joinedAt: e.now,
        hasAudio: e.hasAudio,
        hasVideo: e.hasVideo,
        audioMuted: false,
        videoOff: false,
        screen: false,
        screenStream: null,
        notice: e.notice ?? null,
      });
    case 'media_failed':
      if (m.local.phase !== 'starting') return m;
      return withLocal(m, { phase: 'idle', error: e.error });
    case 'leave':
      if (m.local.phase === 'idle') return m;
      return { ...initialCallModel(), remote: m.remote };
    case 'add_audio':
      if (!inCall || m.local.hasAudio) return m;
      if (e.error) return withLocal(m, { error: e.error });
      return withLocal(m, { hasAudio: true, audioMuted: false, error: null });
    case 'set_muted':
      return inCall && m.local.hasAudio ? withLocal(m, { audioMuted: e.muted }) : m;
    case 'set_video_off':
      return inCall && m.local.hasVideo ? withLocal(m, { videoOff: e.off }) : m;
    case 'set_screen':
      if (!inCall) return m;
      return withLocal(m, {
        screen: e.on,
        screenStream: e.on ? (e.streamId ?? null) : null,
        error: e.error ?? m.local.error,
      });
    case 'remote_state': {
      const { [e.from]: _old, ...rest } = m.remote;
      if (!e.msg.inCall) return _old ? { ...m, remote: rest } : m;
      const { type: _t, inCall: _i, ...fields } = e.msg;
      return { ...m, remote: { ...rest, [e.from]: { id: e.from, ...fields } } };
    }
    case 'peer_gone': {
      if (!(e.id in m.remote)) return m;
      const { [e.id]: _gone, ...rest } = m.remote;
      return { ...m, remote: rest };
    }
    case 'dismiss_error':
      return m.local.error ? withLocal(m, { error: null }) : m;
    default:
      return e satisfies never;
  }
}

/** What we announce to the others. */
export function localMessage(m: CallModel): CallStateMessage {
  const l = m.local;
  return {
    type: 'call_state',
    inCall: l.phase === 'in_call',
    joinedAt: l.joinedAt ?? 0,
    audioMuted: l.audioMuted,
    videoOff: l.videoOff,
    hasAudio: l.hasAudio,
    hasVideo: l.hasVideo,
    screen: l.screen,
    screenStream: l.screen ? l.screenStream : null,
  };
}

/** Remote participants, first joined first (ties by id, so every peer shows the same order). */
export function participantsInOrder(m: CallModel): RemoteParticipant[] {
  return Object.values(m.remote).sort((a, b) => a.joinedAt - b.joinedAt || (a.id < b.id ? -1 : 1));
}

/** Media flows to a peer only while both of us are in the call. */
export const sendsMediaTo = (m: CallModel, peerId: string): boolean =>
  m.local.phase === 'in_call' && peerId in m.remote;

/** The call others are in while we are not: who started it (first joined) and how many. */
export function incomingCall(m: CallModel): { startedBy: string; count: number } | null {
  if (m.local.phase !== 'idle') return null;
  const list = participantsInOrder(m);
  const first = list[0];
  return first ? { startedBy: first.id, count: list.length } : null;
}
