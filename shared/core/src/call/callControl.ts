/**
 * The call's peer-to-peer control message (wire kind `call_control`, JSON). It is a full state
 * snapshot, not an event: each client announces its own call state on every change and to every
 * peer whose data channel opens, so a peer that joins the room mid-call, or whose link was
 * re-created, learns the state from one message and a lost message is repaired by the next.
 *
 *   { type: 'call_state', in_call, joined_at, audio_muted, video_off, has_audio, has_video,
 *     screen, screen_stream? }
 *
 * The screen travels beside the camera on its own sender, grouped under its own stream;
 * `screen_stream` is that stream's id (the msid the receiver's MediaStream carries), so the
 * receiver can tell the screen from the camera. It is only ever matched against streams of
 * the announcing peer's own connection: a peer can mislabel nothing but its own media.
 *
 * Names are not in the message: the UI takes them from the room's peer list (the relay's hello),
 * so a peer cannot show up under two names. A peer may be malicious: readCallControl checks
 * every field and returns a code instead of throwing.
 */
import { err, ok, type Result } from '@peerboard/protocol';
import type { WireJson } from '@peerboard/protocol/wire';

export interface CallStateMessage {
  type: 'call_state';
  inCall: boolean;
  /** sender's clock (ms since epoch) when it joined; display order only, clocks differ */
  joinedAt: number;
  audioMuted: boolean;
  videoOff: boolean;
  hasAudio: boolean;
  hasVideo: boolean;
  screen: boolean;
  /** id of the stream our screen track is sent under; null while not sharing */
  screenStream: string | null;
}

/** msid stream ids: printable ASCII without spaces (RFC 8830 allows 1-64 token chars) */
const STREAM_ID = /^[\x21-\x7e]{1,64}$/;

export type CallControlMessage = CallStateMessage;

export type CallControlErrorCode = 'ERR_CALL_UNKNOWN_TYPE' | 'ERR_CALL_FIELD';

const BOOL_FIELDS = [
  ['in_call', 'inCall'],
  ['audio_muted', 'audioMuted'],
  ['video_off', 'videoOff'],
  ['has_audio', 'hasAudio'],
  ['has_video', 'hasVideo'],
  ['screen', 'screen'],
] as const;

export function encodeCallControl(msg: CallControlMessage): WireJson {
  switch (msg.type) {
    case 'call_state':
      return {
        type: 'call_state',
        in_call: msg.inCall,
        joined_at: msg.joinedAt,
        audio_muted: msg.audioMuted,
        video_off: msg.videoOff,
        has_audio: msg.hasAudio,
        has_video: msg.hasVideo,
        screen: msg.screen,
        screen_stream: msg.screenStream,
      };
    default:
      return msg.type satisfies never;
  }
}

export function readCallControl(msg: WireJson): Result<CallControlMessage, CallControlErrorCode> {
  if (msg.type !== 'call_state')
    return err('ERR_CALL_UNKNOWN_TYPE', `unknown call_control type "${msg.type}"`);
  const joinedAt = msg.joined_at;
  if (typeof joinedAt !== 'number' || !Number.isFinite(joinedAt) || joinedAt < 0)
    return err('ERR_CALL_FIELD', 'joined_at must be a non-negative finite number');
  const out: CallStateMessage = {
    type: 'call_state',
    inCall: false,
    joinedAt,
    audioMuted: false,
    videoOff: false,
    hasAudio: false,
    hasVideo: false,
    screen: false,
    screenStream: null,
  };
  // absent (an older client) or null: no separate screen stream
  const screenStream = msg.screen_stream ?? null;
  if (screenStream !== null && (typeof screenStream !== 'string' || !STREAM_ID.test(screenStream)))
    return err('ERR_CALL_FIELD', 'screen_stream must be a stream id (1-64 printable characters)');
  out.screenStream = screenStream;
  for (const [wire, field] of BOOL_FIELDS) {
    const v = msg[wire];
    if (typeof v !== 'boolean') return err('ERR_CALL_FIELD', `${wire} must be a boolean`);
    out[field] = v;
  }
  return ok(out);
}
