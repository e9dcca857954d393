// Public entry of @peerboard/yjs: a y-webrtc-shaped Yjs provider on the Peerboard engine.
export {
  PeerboardProvider,
  type PeerboardProviderEvents,
  type PeerboardProviderOptions,
  type PeerOpts,
  type PeersEvent,
} from './provider';
export {
  PASSWORD_ITERATIONS,
  planTarget,
  resolveTarget,
  roomIdForName,
  secretFromPassword,
  type RoomTarget,
  type TargetErrorCode,
  type TargetOptions,
  type TargetPlan,
} from './roomTarget';
export {
  BROADCAST_LIMITS,
  BROADCAST_VERSION,
  makeBroadcastTransport,
  parseBroadcastMessage,
  type BroadcastErrorCode,
  type BroadcastMessage,
  type BroadcastTransport,
  type BroadcastTransportOptions,
  type ChannelCtor,
  type ChannelLike,
} from './broadcast';
