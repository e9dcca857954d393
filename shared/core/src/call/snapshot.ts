/**
 * The plain-data view of a call for the UI (no MediaStream objects: the UI asks makeCall for a
 * stream by id and re-reads it when `mediaVersion` changes).
 */
import { incomingCall, participantsInOrder, type CallModel, type CallError } from './callState';
import type { DeviceState } from './devices';
import type { Quality, QualitySample } from './quality';

export interface ParticipantView {
  id: string;
  self: boolean;
  /** 'You' for ourselves */
  name: string;
  /** the person's room name, ours included (initials on the tile when there is no video) */
  fullName: string;
  audioMuted: boolean;
  videoOff: boolean;
  hasAudio: boolean;
  hasVideo: boolean;
  screen: boolean;
  speaking: boolean;
  /** connection quality to this peer; 'unknown' for ourselves and before the first sample */
  quality: Quality;
  /** the measurement behind `quality` (loss %, RTT, inbound kbit/s); null for ourselves/before */
  link: QualitySample | null;
  /** a remote stream has arrived (for ourselves: we have local media) */
  hasStream: boolean;
  /** the screen's stream is here (remote: received; ours: the capture) */
  hasScreenStream: boolean;
  /** in the call without microphone, camera or screen: joined to listen */
  listening: boolean;
}

export interface CallSnapshot {
  selfId: string;
  phase: CallModel['local']['phase'];
  error: CallError | null;
  notice: string | null;
  /** everyone in the call, ourselves first when we are in it, then by join time */
  participants: ParticipantView[];
  /** the remote participant who holds the stage (activeSpeaker.ts), null before anyone spoke */
  activeSpeaker: string | null;
  /** others are in a call we have not joined */
  incoming: { startedById: string; startedByName: string; count: number } | null;
  devices: DeviceState;
  canShareScreen: boolean;
  mediaVersion: number;
}

export interface SnapshotInput {
  model: CallModel;
  selfId: string;
  names: Map<string, string>;
  selfName: string;
  speaking: ReadonlySet<string>;
  activeSpeaker: string | null;
  quality: (id: string) => Quality;
  /** optional: callers without a monitor leave the figures out */
  sample?: (id: string) => QualitySample | null;
  hasStream: (id: string) => boolean;
  hasScreenStream: (id: string) => boolean;
  devices: DeviceState;
  canShareScreen: boolean;
  mediaVersion: number;
}

export function buildSnapshot(i: SnapshotInput): CallSnapshot {
  const { local } = i.model;
  const name = (id: string) => i.names.get(id) ?? 'Guest';
  const participants: ParticipantView[] = [];
  if (local.phase === 'in_call')
    participants.push({
      id: i.selfId,
      self: true,
      name: 'You',
      fullName: i.selfName,
      audioMuted: local.audioMuted,
      videoOff: local.videoOff,
      hasAudio: local.hasAudio,
      hasVideo: local.hasVideo,
      screen: local.screen,
      speaking: i.speaking.has(i.selfId) && !local.audioMuted,
      quality: 'unknown',
      link: null,
      hasStream: true,
      hasScreenStream: local.screen && i.hasScreenStream(i.selfId),
      listening: !local.hasAudio && !local.hasVideo && !local.screen,
    });
  for (const p of participantsInOrder(i.model))
    participants.push({
      id: p.id,
      self: false,
      name: name(p.id),
      fullName: name(p.id),
      audioMuted: p.audioMuted,
      videoOff: p.videoOff,
      hasAudio: p.hasAudio,
      hasVideo: p.hasVideo,
      screen: p.screen,
      speaking: i.speaking.has(p.id) && !p.audioMuted,
      quality: i.quality(p.id),
      link: i.sample?.(p.id) ?? null,
      hasStream: i.hasStream(p.id),
      hasScreenStream: p.screen && i.hasScreenStream(p.id),
      listening: !p.hasAudio && !p.hasVideo && !p.screen,
    });
  const inc = incomingCall(i.model);
  return {
    selfId: i.selfId,
    phase: local.phase,
    error: local.error,
    notice: local.notice,
    participants,
    activeSpeaker:
      i.activeSpeaker !== null && i.activeSpeaker in i.model.remote ? i.activeSpeaker : null,
    incoming: inc
      ? { startedById: inc.startedBy, startedByName: name(inc.startedBy), count: inc.count }
      : null,
    devices: i.devices,
    canShareScreen: i.canShareScreen,
    mediaVersion: i.mediaVersion,
  };
}
