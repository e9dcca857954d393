/**
 * Our shared screen, beside the camera rather than instead of it: its own senders (a second
 * makeCallSenders keyed by its own stream, so its own video transceiver on each connection) and
 * its own msid. That stream's id is what we announce as call_state.screen_stream; receivers file
 * each incoming stream by id (remoteMedia.ts) and call the announced one our screen.
 */
import type { RoomMedia } from '../room';
import { makeCallSenders } from './senders';

export interface ScreenShare {
  /** the video track we share, null when not sharing */
  track(): MediaStreamTrack | null;
  /** its getDisplayMedia stream, for our own preview */
  display(): MediaStream | null;
  /**
   * Start sending `track` (from `stream`); `onEnded` runs when the browser's own "Stop sharing"
   * bar ends it. Returns the stream id to announce.
   */
  begin(track: MediaStreamTrack, stream: MediaStream, onEnded: () => void): string;
  /** stop the track; false when nothing was shared */
  end(): boolean;
  /** send the screen to exactly the open peers `sendTo` accepts, pause it for the others */
  sync(open: ReadonlySet<string>, sendTo: (peer: string) => boolean): void;
  /** the peer's connection is gone or new */
  forget(peer: string): void;
}

export function makeScreenShare(media: RoomMedia): ScreenShare {
  const senders = makeCallSenders(media);
  let screen: MediaStreamTrack | null = null;
  let display: MediaStream | null = null;
  /** kept for the life of the call object, like the camera's key (senders.ts) */
  let key: MediaStream | null = null;
  return {
    track: () => screen,
    display: () => display,
    begin(track, stream, onEnded) {
      key ??= new (stream.constructor as new () => MediaStream)();
      screen = track;
      display = stream;
      track.addEventListener('ended', () => {
        if (screen === track) onEnded();
      });
      return key.id;
    },
    end() {
      if (!screen) return false;
      const track = screen;
      screen = null;
      display = null;
      track.stop();
      return true;
    },
    sync(open, sendTo) {
      if (key)
        for (const peer of open) senders.sync(peer, screen && sendTo(peer) ? [screen] : [], key);
      for (const peer of senders.peers()) if (!open.has(peer)) senders.forget(peer);
    },
    forget: (peer) => senders.forget(peer),
  };
}
