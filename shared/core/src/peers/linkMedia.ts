/**
 * Media on a link (call/*): simple-peer's renegotiating track API, getStats, and the cap on
 * what one sender encodes. link.ts builds it over its simple-peer instance (the only file that
 * imports simple-peer); what needs only the RTCPeerConnection lives here.
 */

/** Media operations on one link (simple-peer's renegotiating track API, plus getStats). */
export interface LinkMedia {
  addStream(stream: MediaStream): void;
  removeStream(stream: MediaStream): void;
  addTrack(track: MediaStreamTrack, stream: MediaStream): void;
  removeTrack(track: MediaStreamTrack, stream: MediaStream): void;
  replaceTrack(old: MediaStreamTrack, next: MediaStreamTrack | null, stream: MediaStream): void;
  getStats(): Promise<RTCStatsReport | null>;
  /**
   * Cap what the sender of `track` encodes (first encoding: maxBitrate, scaleResolutionDownBy,
   * maxFramerate). False when no sender sends `track` now or the browser refused.
   */
  setEncoding(track: MediaStreamTrack, limits: EncodingCaps): Promise<boolean>;
}

export type EncodingCaps = Required<
  Pick<RTCRtpEncodingParameters, 'maxBitrate' | 'scaleResolutionDownBy' | 'maxFramerate'>
>;

/** RTCRtpSender.setParameters on the sender now sending `track` (see LinkMedia.setEncoding). */
export async function setEncoding(
  pc: RTCPeerConnection | undefined,
  track: MediaStreamTrack,
  limits: EncodingCaps,
): Promise<boolean> {
  const sender = pc?.getSenders().find((s) => s.track === track);
  if (!sender) return false;
  try {
    // getParameters and setParameters in one task: the transaction id must be the latest
    const params = sender.getParameters();
    const first = params.encodings[0];
    if (!first) return false; // not negotiated yet: a later call applies it
    Object.assign(first, limits);
    await sender.setParameters(params);
    return true;
  } catch {
    return false; // closing connection, or an implementation without it (@roamhq/wrtc)
  }
}
