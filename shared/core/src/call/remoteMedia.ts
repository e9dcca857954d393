/**
 * The streams our peers send us, filed per peer and stream id for the life of its link: a peer
 * that rejoins resumes its paused senders without renegotiation, so no new 'track' event comes
 * and the stream we already hold is the one that plays again. Dropped only when the link closes
 * or is re-created (forget).
 *
 * Which stream is the screen: each peer announces the id of its screen stream
 * (call_state.screen_stream); that one is its screen, any other its camera + audio. The last
 * announced id is kept after the share stops: the paused screen stream stays on the connection
 * and must not be taken for the camera.
 */
export interface RemoteMedia {
  /** a track arrived on `stream` from `peer` */
  add(peer: string, stream: MediaStream): void;
  /** the peer announced `id` as its screen stream; true when that is news */
  setScreenId(peer: string, id: string): boolean;
  camera(peer: string): MediaStream | null;
  screen(peer: string): MediaStream | null;
  peers(): Iterable<string>;
  /** the peer's link is gone or new: its streams went with the old one */
  forget(peer: string): void;
  clear(): void;
}

export function makeRemoteMedia(): RemoteMedia {
  const streams = new Map<string, Map<string, MediaStream>>();
  const screenIds = new Map<string, string>();
  return {
    add(peer, stream) {
      let byId = streams.get(peer);
      if (!byId) streams.set(peer, (byId = new Map()));
      byId.set(stream.id, stream);
    },
    setScreenId(peer, id) {
      if (screenIds.get(peer) === id) return false;
      screenIds.set(peer, id);
      return true;
    },
    camera(peer) {
      const id = screenIds.get(peer);
      for (const [sid, s] of streams.get(peer) ?? []) if (sid !== id) return s;
      return null;
    },
    screen(peer) {
      const id = screenIds.get(peer);
      return (id !== undefined && streams.get(peer)?.get(id)) || null;
    },
    peers: () => streams.keys(),
    forget: (peer) => void streams.delete(peer),
    clear: () => streams.clear(),
  };
}
