/**
 * makeCall(room): the audio/video call of a room, framework-free.
 *
 * - State lives in callState.ts (pure reducer); this file performs the effects: getUserMedia,
 *   tracks on the room's existing peer connections (room.media: simple-peer renegotiates over
 *   the open data channel, which is never touched), call_control announcements, speaking and
 *   quality monitors.
 * - Media flows to a peer only while both sides are in the call (sendsMediaTo). After every
 *   state change `reconcile()` resumes or pauses our senders per peer (senders.ts: replaceTrack,
 *   never removeTrack), so "A starts, B joins later", "B leaves and rejoins", "C enters the room
 *   mid-call" and "a link was re-created" are all the same code path.
 * - A remote stream belongs to the connection, not to one join (remoteMedia.ts).
 * - Every client announces its own state (callControl.ts) on change and on each peer_open.
 * - Listen-only joins without getUserMedia (no permission asked): we receive everyone and send
 *   nothing until enableMicrophone() or a screen share.
 * - A shared screen goes beside the camera, not instead of it (screenShare.ts).
 * - Send caps per receiver (bitrateTuner) follow that receiver's reports of our stream; the
 *   tiles' badges show what we receive (qualityMonitor.ts). When every receiver gets less than
 *   the camera captures, the camera captures less (capture.ts).
 */
import { makeEmitter } from '../emitter';
import { makeBitrateTuner } from './bitrateTuner';
import { makeCameraCapture } from './capture';
import { makeActiveSpeakerTracker } from './activeSpeaker';
import type { Room } from '../room';
import type { Unsubscribe } from '../types';
import { readCallControl, encodeCallControl } from './callControl';
import {
  callReducer,
  initialCallModel,
  localMessage,
  sendsMediaTo,
  type CallEvent,
  type CallModel,
} from './callState';
import { makeCallDevices } from './devices';
import {
  acquireCallMedia,
  acquireMicrophone,
  acquireScreen,
  browserMediaDevices,
  type MediaDevicesLike,
} from './media';
import { makeRemoteMedia } from './remoteMedia';
import { makeScreenShare } from './screenShare';
import { makeQualityMonitor, QUALITY_POLL_MS } from './qualityMonitor';
import { makeCallSenders } from './senders';
import { makeSpeakingMonitor } from './speaking';
import { buildSnapshot, type CallSnapshot } from './snapshot';

export type { CallSnapshot, ParticipantView } from './snapshot';
export type { Call, CallOptions } from './callApi';
import type { Call, CallOptions } from './callApi';

export function makeCall(room: Room, options: CallOptions = {}): Call {
  const log =
    options.log ?? ((m: string, d?: unknown) => console.warn(`[peerboard] call: ${m}`, d ?? ''));
  const now = options.now ?? Date.now;
  const events = makeEmitter<{ change: CallSnapshot }>();
  let model: CallModel = initialCallModel();
  /** read through a function: TS would keep a narrowing of model across an await */
  const phase = () => model.local.phase;
  let destroyed = false;
  let lastAnnounced = '';
  let stream: MediaStream | null = null;
  let camera: MediaStreamTrack | null = null;
  /** the sender key and msid of all our joins (senders.ts); made from the first stream */
  let sendKey: MediaStream | null = null;
  let mediaVersion = 0;
  const speaking = new Set<string>();
  const senders = makeCallSenders(room.media);
  const share = makeScreenShare(room.media);
  const remote = makeRemoteMedia();
  /** remote streams the speaking monitor measures: peers in the call while we are */
  const watched = new Map<string, MediaStream>();

  const md = (): MediaDevicesLike | null => {
    if (options.devices) return options.devices;
    const r = browserMediaDevices();
    return r.ok ? r.value : null;
  };

  const emitChange = () => {
    if (destroyed) return;
    // the tracker calls back here when the stage moves (then it no longer changes)
    stage.update(
      new Set([...speaking].filter((id) => model.remote[id]?.audioMuted === false)),
      new Set(Object.keys(model.remote)),
    );
    events.emit('change', snapshot());
  };
  const stage = makeActiveSpeakerTracker(emitChange, now);
  const speakingMonitor = makeSpeakingMonitor((key, on) => {
    if (on) speaking.add(key);
    else speaking.delete(key);
    emitChange();
  }, options.createAudioContext);
  // a capture change re-tunes: the senders' scales are relative to what the camera captures
  const capture = makeCameraCapture(() => tune(), log);
  const tuner = makeBitrateTuner(room.media, { now, log, capture });
  const quality = makeQualityMonitor(
    room,
    emitChange,
    options.statsIntervalMs ?? QUALITY_POLL_MS,
    () => {
      tune();
      emitChange(); // the tiles' loss/RTT/bitrate figures
    },
  );

  const outgoing = (): MediaStreamTrack[] => {
    const audio = stream?.getAudioTracks()[0];
    return [audio, camera].filter((t): t is MediaStreamTrack => !!t);
  };

  const devices = makeCallDevices({
    md,
    log,
    current: () => ({ audio: stream?.getAudioTracks()[0] ?? null, video: camera }),
    swap: (kind, next) => {
      const old = kind === 'audio' ? (stream?.getAudioTracks()[0] ?? null) : camera;
      if (!stream || !old) return false;
      next.enabled = kind === 'audio' ? !model.local.audioMuted : !model.local.videoOff;
      if (kind === 'video') camera = next;
      stream.removeTrack(old);
      stream.addTrack(next);
      old.stop();
      if (kind === 'audio') speakingMonitor.watch(room.clientId, stream);
      mediaVersion++;
      reconcile();
      emitChange();
      return true;
    },
    onChange: emitChange,
  });

  /**
   * Our senders: exactly the in-call peers with an open channel get our tracks; every other
   * open peer's senders are paused (senders.ts). Also which remote streams are measured for
   * the speaking indicator, and which peers for quality.
   */
  function reconcile() {
    const open = new Set(room.openPeers());
    if (sendKey) {
      const tracks = outgoing();
      for (const peer of open)
        senders.sync(peer, stream && sendsMediaTo(model, peer) ? tracks : [], sendKey);
    }
    share.sync(open, (peer) => sendsMediaTo(model, peer));
    for (const peer of senders.peers()) if (!open.has(peer)) senders.forget(peer);
    for (const peer of remote.peers()) {
      const cam = remote.camera(peer);
      const want = model.local.phase === 'in_call' && peer in model.remote && cam !== null;
      if (want && watched.get(peer) !== cam) {
        watched.set(peer, cam!);
        speakingMonitor.watch(peer, cam);
      } else if (!want && watched.delete(peer)) speakingMonitor.unwatch(peer);
    }
    quality.setPeers(
      model.local.phase === 'in_call'
        ? Object.values(model.remote).map((p) => ({
            id: p.id,
            expectVideo: (p.hasVideo && !p.videoOff) || p.screen,
          }))
        : [],
    );
    tune();
  }

  /** mesh bandwidth: cap each video sender per receiver count and link quality (bitrateTuner) */
  function tune() {
    // the shared screen has its own sender beside the camera; the tuner tells them apart by hint
    const screen = share.track();
    const video = [...outgoing(), ...(screen ? [screen] : [])].filter((t) => t.kind === 'video');
    const receivers = room.openPeers().filter((peer) => sendsMediaTo(model, peer));
    // the receiver's reports of our stream, not what we receive from it (uplink.ts)
    tuner.update(
      receivers.map((id) => {
        const up = quality.uplink(id);
        return { id, quality: up.quality, cpuLimited: up.cpuLimited };
      }),
      video,
    );
  }

  function announce(force = false) {
    const msg = localMessage(model);
    const key = JSON.stringify(msg);
    if (!force && key === lastAnnounced) return;
    lastAnnounced = key;
    room.broadcast({ type: 'call_control', msg: encodeCallControl(msg) });
  }

  function dispatch(e: CallEvent) {
    const next = callReducer(model, e);
    if (next === model) return;
    model = next;
    reconcile();
    announce();
    emitChange();
  }

  function snapshot(): CallSnapshot {
    const roomNow = room.snapshot();
    return buildSnapshot({
      model,
      selfId: room.clientId,
      names: new Map(roomNow.peers.map((p) => [p.id, p.name])),
      selfName: roomNow.selfName,
      speaking,
      activeSpeaker: stage.active(),
      quality: (id) => quality.quality(id),
      sample: (id) => quality.sample(id),
      hasStream: (id) => remote.camera(id) !== null,
      hasScreenStream: (id) =>
        id === room.clientId ? share.display() !== null : remote.screen(id) !== null,
      devices: devices.state(),
      canShareScreen: typeof md()?.getDisplayMedia === 'function',
      mediaVersion,
    });
  }

  function releaseLocal() {
    for (const t of stream?.getTracks() ?? []) t.stop();
    share.end(); // the leave that follows says so
    stream = null;
    camera = null;
    speakingMonitor.unwatch(room.clientId);
    mediaVersion++;
  }

  /** the peer's link is gone or new: its senders and its stream went with the old one */
  const dropLink = (id: string) => {
    senders.forget(id);
    share.forget(id);
    tuner.forget(id);
    remote.forget(id);
    if (watched.delete(id)) speakingMonitor.unwatch(id);
    mediaVersion++;
  };

  const offs: Unsubscribe[] = [
    room.onFrame('call_control', (frame, from) => {
      const r = readCallControl(frame.msg);
      if (!r.ok) return log(`ignored call_control from ${from}: ${r.message}`);
      const sid = r.value.screenStream;
      // a stream already received may turn out to be the screen
      if (sid !== null && remote.setScreenId(from, sid)) mediaVersion++;
      dispatch({ type: 'remote_state', from, msg: r.value });
    }),
    room.on('peer_open', ({ id }) => {
      dropLink(id);
      const msg = localMessage(model);
      if (msg.inCall) room.send(id, { type: 'call_control', msg: encodeCallControl(msg) });
      reconcile();
      emitChange();
    }),
    room.on('peer_close', ({ id }) => {
      dropLink(id);
      dispatch({ type: 'peer_gone', id });
      reconcile();
      emitChange();
    }),
    room.on('track', ({ from, track, stream: incoming }) => {
      remote.add(from, incoming);
      // a track added later (screen share from audio-only) arrives on the same stream, and
      // an analyser only hears the audio tracks the stream had when it was made
      if (track.kind === 'audio' && watched.delete(from)) speakingMonitor.unwatch(from);
      reconcile();
      mediaVersion++;
      emitChange();
    }),
    room.on('change', emitChange), // names, peers coming and going
  ];

  return {
    snapshot,
    on: (event, fn) => events.on(event, fn),
    localStream: () => stream,
    localScreen: () => share.display(),
    remoteStream: (peer) => remote.camera(peer),
    remoteScreen: (peer) => remote.screen(peer),
    async start(opts = {}) {
      if (destroyed || model.local.phase !== 'idle') return;
      dispatch({ type: 'start' });
      if (opts.listenOnly) {
        mediaVersion++;
        return dispatch({ type: 'media_ready', hasAudio: false, hasVideo: false, now: now() });
      }
      const devicesApi = md();
      if (!devicesApi) {
        const r = browserMediaDevices();
        const message = r.ok ? '' : r.message;
        return dispatch({ type: 'media_failed', error: { code: 'unsupported', message } });
      }
      const got = await acquireCallMedia(devicesApi, devices.choice());
      if (!got.ok) return dispatch({ type: 'media_failed', error: got });
      if (destroyed || phase() !== 'starting') {
        for (const t of got.value.stream.getTracks()) t.stop(); // left while asking
        return;
      }
      stream = got.value.stream;
      camera = stream.getVideoTracks()[0] ?? null;
      // an empty stream of the same implementation (browser or wrtc): only its id is used
      sendKey ??= new (stream.constructor as new () => MediaStream)();
      speakingMonitor.watch(room.clientId, stream);
      mediaVersion++;
      dispatch({
        type: 'media_ready',
        hasAudio: stream.getAudioTracks().length > 0,
        hasVideo: camera !== null,
        now: now(),
        notice: got.value.notice ?? undefined,
      });
      void devices.refresh(); // labels are only readable after permission
    },
    async enableMicrophone() {
      const api = md();
      if (phase() !== 'in_call' || model.local.hasAudio || !api) return;
      const r = await acquireMicrophone(api, devices.choice().audioInputId);
      if (!r.ok) return dispatch({ type: 'add_audio', error: r });
      const { track, stream: got } = r.value;
      if (!track || phase() !== 'in_call' || model.local.hasAudio || stream) {
        track?.stop();
        return;
      }
      stream = new (got.constructor as new (tracks: MediaStreamTrack[]) => MediaStream)([track]);
      sendKey ??= new (got.constructor as new () => MediaStream)();
      speakingMonitor.watch(room.clientId, stream);
      mediaVersion++;
      dispatch({ type: 'add_audio' });
      void devices.refresh();
    },
    leave() {
      if (model.local.phase === 'idle') return;
      releaseLocal();
      dispatch({ type: 'leave' }); // reconcile pauses every sender
    },
    setMuted(muted) {
      for (const t of stream?.getAudioTracks() ?? []) t.enabled = !muted;
      dispatch({ type: 'set_muted', muted });
    },
    setCameraOff(off) {
      if (camera) camera.enabled = !off;
      dispatch({ type: 'set_video_off', off });
    },
    async startScreenShare() {
      const api = md();
      if (model.local.phase !== 'in_call' || share.track() || !api?.getDisplayMedia) return;
      const r = await acquireScreen(api);
      if (!r.ok) return dispatch({ type: 'set_screen', on: false, error: r });
      const { track, stream: shared } = r.value;
      if (!track || phase() !== 'in_call' || share.track()) {
        for (const t of shared.getTracks()) t.stop();
        return;
      }
      const streamId = share.begin(track, shared, () => this.stopScreenShare());
      mediaVersion++;
      dispatch({ type: 'set_screen', on: true, streamId });
    },
    stopScreenShare() {
      if (!share.end()) return;
      mediaVersion++;
      dispatch({ type: 'set_screen', on: false });
    },
    devices,
    debug: { capture: () => capture.state() },
    dismissError: () => dispatch({ type: 'dismiss_error' }),
    destroy() {
      if (destroyed) return;
      this.leave();
      destroyed = true;
      for (const off of offs) off();
      speakingMonitor.destroy();
      stage.destroy();
      quality.destroy();
      tuner.destroy();
      capture.destroy();
      devices.destroy();
      remote.clear();
      events.clear();
    },
  };
}
