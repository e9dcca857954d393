/**
 * makeCall(room): the audio/video call of a room, framework-free.
 *
 * - State lives in callState.ts (pure reducer); this file performs the effects: getUserMedia,
 *   tracks on the room's existing peer connections (room.media: simple-peer renegotiates over
 *   the open data channel, which is never touched), call_control announcements, speaking and
 *   quality monitors.
 * - Media flows to a peer only while both sides are in the call (sendsMediaTo). After every
 *   state change `reconcile()` adds or removes our tracks per peer, so "A starts, B joins later",
 *   "C enters the room mid-call" and "a link was re-created" are all the same code path.
 * - Every client announces its own state (callControl.ts) on change and on each peer_open.
 */
import { makeEmitter } from '../emitter';
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
import { makeCallDevices, type CallDevices } from './devices';
import {
  acquireCallMedia,
  browserMediaDevices,
  describeMediaError,
  type MediaDevicesLike,
} from './media';
import { makeQualityMonitor, QUALITY_POLL_MS } from './qualityMonitor';
import { makeSpeakingMonitor } from './speaking';
import { buildSnapshot, type CallSnapshot } from './snapshot';

export type { CallSnapshot, ParticipantView } from './snapshot';

export interface CallOptions {
  /** default: navigator.mediaDevices (Node tests pass @roamhq/wrtc tracks) */
  devices?: MediaDevicesLike;
  createAudioContext?: () => AudioContext | null;
  statsIntervalMs?: number;
  now?: () => number;
  log?: (msg: string, data?: unknown) => void;
}

export interface Call {
  snapshot(): CallSnapshot;
  on(event: 'change', fn: (s: CallSnapshot) => void): Unsubscribe;
  /** our outgoing stream (audio + camera or screen); null when not in the call */
  localStream(): MediaStream | null;
  /** the last stream received from a peer (audio and video tracks), null if none */
  remoteStream(peerId: string): MediaStream | null;
  /** start a call, or join the one others are in */
  start(): Promise<void>;
  leave(): void;
  setMuted(muted: boolean): void;
  setCameraOff(off: boolean): void;
  startScreenShare(): Promise<void>;
  stopScreenShare(): void;
  devices: CallDevices;
  dismissError(): void;
  destroy(): void;
}

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
  let screen: MediaStreamTrack | null = null;
  let mediaVersion = 0;
  const speaking = new Set<string>();
  /** tracks currently added to each peer's connection */
  const sentTo = new Map<string, Set<MediaStreamTrack>>();
  /** senders paused with replaceTrack(null) while that peer is out of the call, keyed by track */
  const parked = new Map<string, Set<MediaStreamTrack>>();
  const remoteStreams = new Map<string, MediaStream>();

  const md = (): MediaDevicesLike | null => {
    if (options.devices) return options.devices;
    const r = browserMediaDevices();
    return r.ok ? r.value : null;
  };

  const emitChange = () => {
    if (!destroyed) events.emit('change', snapshot());
  };
  const speakingMonitor = makeSpeakingMonitor((key, on) => {
    if (on) speaking.add(key);
    else speaking.delete(key);
    emitChange();
  }, options.createAudioContext);
  const quality = makeQualityMonitor(room, emitChange, options.statsIntervalMs ?? QUALITY_POLL_MS);

  const outgoing = (): MediaStreamTrack[] => {
    const audio = stream?.getAudioTracks()[0];
    const video = screen ?? camera;
    return [audio, video].filter((t): t is MediaStreamTrack => !!t);
  };

  const devices = makeCallDevices({
    md,
    log,
    current: () => ({ audio: stream?.getAudioTracks()[0] ?? null, video: camera }),
    swap: (kind, next) => {
      const old = kind === 'audio' ? (stream?.getAudioTracks()[0] ?? null) : camera;
      if (!stream || !old) return false;
      next.enabled = kind === 'audio' ? !model.local.audioMuted : !model.local.videoOff;
      if (kind === 'video') {
        camera = next;
        if (!screen) swapOnPeers(old, next);
      } else swapOnPeers(old, next);
      stream.removeTrack(old);
      stream.addTrack(next);
      old.stop();
      if (kind === 'audio') speakingMonitor.watch(room.clientId, stream);
      mediaVersion++;
      emitChange();
      return true;
    },
    onChange: emitChange,
  });

  function swapOnPeers(old: MediaStreamTrack | null, next: MediaStreamTrack | null) {
    if (!stream) return;
    for (const [peer, set] of sentTo) {
      if (old && set.has(old)) {
        const done = next
          ? room.media.replaceTrack(peer, old, next, stream)
          : room.media.removeTrack(peer, old, stream);
        set.delete(old);
        if (done && next) set.add(next);
      } else if (next && room.media.addTrack(peer, next, stream)) set.add(next);
    }
  }

  /**
   * Add/remove our tracks so exactly the in-call peers with an open channel get them.
   * A peer that leaves the call is not sent `removeTrack`: simple-peer refuses to add a track
   * again once its sender was removed (ERR_SENDER_REMOVED), so the sender is parked with
   * replaceTrack(null) (no renegotiation) and resumed with replaceTrack when the peer rejoins.
   */
  function reconcile() {
    const open = new Set(room.openPeers());
    for (const peer of open) {
      const want = stream && sendsMediaTo(model, peer);
      const set = sentTo.get(peer);
      if (want && !set) {
        const added = new Set<MediaStreamTrack>();
        const idle = parked.get(peer) ?? new Set<MediaStreamTrack>();
        for (const t of outgoing()) {
          const reuse = [...idle].find((p) => p.kind === t.kind);
          if (reuse) idle.delete(reuse);
          const ok = reuse
            ? room.media.replaceTrack(peer, reuse, t, stream!)
            : room.media.addTrack(peer, t, stream!);
          if (ok) added.add(t);
        }
        sentTo.set(peer, added);
      } else if (!want && set) {
        const idle = parked.get(peer) ?? new Set<MediaStreamTrack>();
        if (stream)
          for (const t of set) if (room.media.replaceTrack(peer, t, null, stream)) idle.add(t);
        parked.set(peer, idle);
        sentTo.delete(peer);
      }
    }
    for (const peer of [...sentTo.keys()]) if (!open.has(peer)) sentTo.delete(peer);
    for (const peer of [...parked.keys()]) if (!open.has(peer)) parked.delete(peer);
    quality.setPeers(
      model.local.phase === 'in_call'
        ? Object.values(model.remote).map((p) => ({
            id: p.id,
            expectVideo: (p.hasVideo && !p.videoOff) || p.screen,
          }))
        : [],
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
    return buildSnapshot({
      model,
      selfId: room.clientId,
      names: new Map(room.snapshot().peers.map((p) => [p.id, p.name])),
      speaking,
      quality: (id) => quality.quality(id),
      hasStream: (id) => remoteStreams.has(id),
      devices: devices.state(),
      canShareScreen: typeof md()?.getDisplayMedia === 'function',
      mediaVersion,
    });
  }

  function releaseLocal() {
    for (const t of stream?.getTracks() ?? []) t.stop();
    screen?.stop();
    stream = null;
    camera = null;
    screen = null;
    speakingMonitor.unwatch(room.clientId);
    mediaVersion++;
  }

  const offs: Unsubscribe[] = [
    room.onFrame('call_control', (frame, from) => {
      const r = readCallControl(frame.msg);
      if (!r.ok) return log(`ignored call_control from ${from}: ${r.message}`);
      if (!r.value.inCall && remoteStreams.delete(from)) {
        speakingMonitor.unwatch(from);
        mediaVersion++;
      }
      dispatch({ type: 'remote_state', from, msg: r.value });
    }),
    room.on('peer_open', ({ id }) => {
      sentTo.delete(id); // a new link carries no tracks
      parked.delete(id);
      const msg = localMessage(model);
      if (msg.inCall) room.send(id, { type: 'call_control', msg: encodeCallControl(msg) });
      reconcile();
    }),
    room.on('peer_close', ({ id }) => {
      sentTo.delete(id);
      parked.delete(id);
      if (remoteStreams.delete(id)) speakingMonitor.unwatch(id);
      mediaVersion++;
      dispatch({ type: 'peer_gone', id });
      emitChange();
    }),
    room.on('track', ({ from, stream: remote }) => {
      remoteStreams.set(from, remote);
      speakingMonitor.watch(from, remote);
      // a track added later (screen share from audio-only) arrives on the same stream
      remote.addEventListener?.('addtrack', () => speakingMonitor.watch(from, remote));
      mediaVersion++;
      emitChange();
    }),
    room.on('change', emitChange), // names, peers coming and going
  ];

  return {
    snapshot,
    on: (event, fn) => events.on(event, fn),
    localStream: () => stream,
    remoteStream: (id) => remoteStreams.get(id) ?? null,
    async start() {
      if (destroyed || model.local.phase !== 'idle') return;
      dispatch({ type: 'start' });
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
    leave() {
      if (model.local.phase === 'idle') return;
      if (stream)
        for (const [peer, set] of sentTo)
          for (const t of set) room.media.removeTrack(peer, t, stream);
      sentTo.clear();
      releaseLocal();
      dispatch({ type: 'leave' });
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
      if (model.local.phase !== 'in_call' || screen || !api?.getDisplayMedia) return;
      let display: MediaStream;
      try {
        display = await api.getDisplayMedia({ video: true, audio: false });
      } catch (e) {
        return dispatch({ type: 'set_screen', on: false, error: describeMediaError(e, 'screen') });
      }
      const track = display.getVideoTracks()[0];
      if (!track || phase() !== 'in_call' || !stream) {
        for (const t of display.getTracks()) t.stop();
        return;
      }
      screen = track;
      // the browser's own "Stop sharing" bar ends the track
      track.addEventListener('ended', () => {
        if (screen === track) this.stopScreenShare();
      });
      swapOnPeers(camera, track);
      mediaVersion++;
      dispatch({ type: 'set_screen', on: true });
    },
    stopScreenShare() {
      if (!screen) return;
      const track = screen;
      screen = null;
      swapOnPeers(track, camera);
      track.stop();
      mediaVersion++;
      dispatch({ type: 'set_screen', on: false });
    },
    devices,
    dismissError: () => dispatch({ type: 'dismiss_error' }),
    destroy() {
      if (destroyed) return;
      this.leave();
      destroyed = true;
      for (const off of offs) off();
      speakingMonitor.destroy();
      quality.destroy();
      devices.destroy();
      remoteStreams.clear();
      events.clear();
    },
  };
}
