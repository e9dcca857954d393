/**
 * Applies bitratePolicy.ts to our video senders: for every peer our video goes to and every
 * video track we send, RTCRtpSender.setParameters (through room.media.setEncoding, so
 * simple-peer stays inside peers/link.ts) with the limits for (kind, receiver count, that
 * link's settled quality as the receiver reports it, and whether our encoder is CPU-limited;
 * uplink.ts). call.ts calls update() after every reconcile (people join/leave, start/stop
 * sharing) and after every quality poll (the hysteresis is time-based).
 *
 * With `capture` (capture.ts) the camera's own capture follows the largest picture any receiver
 * gets, and each camera sender's scale is divided by what that capture already took off.
 *
 * Only differences touch a sender. An apply that fails (a sender not negotiated yet, a closing
 * connection) is retried by the next update, up to MAX_FAILURES times for the same limits:
 * @roamhq/wrtc rejects every setParameters, and the Node tests must not spin on it.
 */
import type { RoomMedia } from '../room';
import {
  encodingFor,
  sameEncoding,
  settleCpu,
  settleQuality,
  type EncodingLimits,
  type SendKind,
  type SettledQuality,
} from './bitratePolicy';
import type { CameraCapture } from './capture';
import { senderScale } from './capturePolicy';
import type { Quality } from './quality';

const MAX_FAILURES = 5;

export interface BitrateTuner {
  /**
   * The peers our video goes to (with the quality they report of our stream, and whether our
   * encoder for them is CPU-limited) and our video tracks now. An empty list of either leaves
   * nothing to tune.
   */
  update(
    receivers: readonly { id: string; quality: Quality; cpuLimited?: boolean }[],
    video: readonly MediaStreamTrack[],
  ): void;
  /** the peer's connection is gone or new: its senders start uncapped */
  forget(peer: string): void;
  /** what was last applied for `track` towards `peer` (tests, debug) */
  applied(peer: string, track: MediaStreamTrack): EncodingLimits | null;
  destroy(): void;
}

interface SenderState {
  applied: EncodingLimits | null;
  busy: boolean;
  /** failures for `failedWant` (reset when the wanted limits change) */
  failures: number;
  failedWant: EncodingLimits | null;
}

/** screen content is marked `detail` (call.ts); everything else we send is a camera */
export const sendKind = (track: MediaStreamTrack): SendKind =>
  track.contentHint === 'detail' || track.contentHint === 'text' ? 'screen' : 'camera';

export function makeBitrateTuner(
  media: Pick<RoomMedia, 'setEncoding'>,
  options: {
    now?: () => number;
    log?: (msg: string, data?: unknown) => void;
    /** lowers the camera's capture when every receiver gets less than it (capture.ts) */
    capture?: Pick<CameraCapture, 'update'>;
  } = {},
): BitrateTuner {
  const now = options.now ?? Date.now;
  const settled = new Map<string, SettledQuality>();
  /** when each peer's encoder last reported a CPU limit (settleCpu) */
  const cpuSeen = new Map<string, number | null>();
  const senders = new Map<string, Map<MediaStreamTrack, SenderState>>();
  let destroyed = false;

  const apply = (peer: string, track: MediaStreamTrack, st: SenderState, want: EncodingLimits) => {
    st.busy = true;
    void media.setEncoding(peer, track, want).then((ok) => {
      st.busy = false;
      if (destroyed) return;
      if (ok) {
        st.applied = want;
        st.failures = 0;
        st.failedWant = null;
        return;
      }
      if (!st.failedWant || !sameEncoding(st.failedWant, want)) st.failures = 0;
      st.failedWant = want;
      if (++st.failures === MAX_FAILURES)
        options.log?.(`could not cap the video sent to ${peer}; sending uncapped`, want);
    });
  };

  return {
    update(receivers, video) {
      if (destroyed) return;
      const t = now();
      const peers = new Set(receivers.map((r) => r.id));
      for (const id of [...settled.keys()]) if (!peers.has(id)) settled.delete(id);
      for (const id of [...cpuSeen.keys()]) if (!peers.has(id)) cpuSeen.delete(id);
      for (const id of [...senders.keys()]) if (!peers.has(id)) senders.delete(id);
      const links = receivers.map(({ id, quality, cpuLimited = false }) => {
        const q = settleQuality(settled.get(id) ?? null, quality, t);
        settled.set(id, q);
        const cpu = settleCpu(cpuSeen.get(id) ?? null, cpuLimited, t);
        cpuSeen.set(id, cpu.lastLimitedAt);
        return { id, quality: q.applied, cpuLimited: cpu.applied };
      });
      const camera = video.find((v) => sendKind(v) === 'camera') ?? null;
      const wantFor = (kind: SendKind, link: (typeof links)[number]) =>
        encodingFor(kind, receivers.length, link.quality, link.cpuLimited);
      // the camera's capture goes down to the largest picture any receiver gets; the senders
      // then scale only what differs per receiver
      const captureScale =
        options.capture?.update(camera, camera ? links.map((l) => wantFor('camera', l)) : []) ?? 1;
      for (const link of links) {
        const { id } = link;
        let byTrack = senders.get(id);
        if (!byTrack) senders.set(id, (byTrack = new Map()));
        for (const track of [...byTrack.keys()]) if (!video.includes(track)) byTrack.delete(track);
        for (const track of video) {
          let st = byTrack.get(track);
          if (!st)
            byTrack.set(
              track,
              (st = { applied: null, busy: false, failures: 0, failedWant: null }),
            );
          let want = wantFor(sendKind(track), link);
          if (track === camera && captureScale > 1)
            want = {
              ...want,
              scaleResolutionDownBy: senderScale(want.scaleResolutionDownBy, captureScale),
            };
          if (st.busy || sameEncoding(st.applied, want)) continue;
          if (st.failures >= MAX_FAILURES && st.failedWant && sameEncoding(st.failedWant, want))
            continue;
          apply(id, track, st, want);
        }
      }
    },
    forget(peer) {
      settled.delete(peer);
      cpuSeen.delete(peer);
      senders.delete(peer);
    },
    applied: (peer, track) => senders.get(peer)?.get(track)?.applied ?? null,
    destroy() {
      destroyed = true;
      settled.clear();
      cpuSeen.clear();
      senders.clear();
    },
  };
}
