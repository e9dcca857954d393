/**
 * The contract between the framework-free core and the UI. `makeRoom()` (room.ts) returns a
 * `Room`; the Solid bridge (web/src/state) turns its events and snapshots into signals.
 */
import type { IceServer, PeerId } from '@peerboard/shared';

export type SignalingStatus =
  | 'connecting'
  | 'open' // connected, hello done, joined
  | 'reconnecting' // lost the server; peer connections keep running
  | 'version_mismatch' // fatal: server speaks another protocol version
  | 'closed'; // destroy() was called

export type PeerLinkState = 'connecting' | 'direct' | 'relayed' | 'failed';

export interface PeerInfo {
  id: PeerId;
  name: string;
  state: PeerLinkState;
  /** round-trip time of the selected ICE candidate pair, from getStats() */
  rttMs: number | null;
}

export interface RoomSnapshot {
  roomId: string;
  selfId: PeerId | null;
  selfName: string;
  signaling: SignalingStatus;
  /** plain-language reason for the current signaling status, for banners */
  signalingDetail: string | null;
  peers: PeerInfo[];
}

export interface RoomOptions {
  roomId: string;
  name: string;
  /** ws(s)://host/ws; the browser default is the page's own origin */
  signalingUrl: string;
  /** a WebRTC implementation for Node (e.g. @roamhq/wrtc); browsers use their own */
  wrtc?: unknown;
  /** extra ICE servers; TURN credentials from the server's joined message are added */
  iceServers?: IceServer[];
}

export type Unsubscribe = () => void;
