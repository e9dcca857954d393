// Public entry of @peerboard/core: the room (signaling + peer mesh + framed wire) and its types.
export * from './room';
export * from './session';
export * from './types';
export * from './emitter';
export * from './backoff';
export * from './signaling/signalingClient';
export * from './peers/sendQueue';
export * from './peers/peerSignal';
export { makeIdentity, verificationCode, type Identity } from './identity';
