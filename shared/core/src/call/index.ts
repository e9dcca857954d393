// Public entry of @peerboard/core/call.
export * from './activeSpeaker';
export * from './bitratePolicy';
export * from './bitrateTuner';
export * from './call';
export * from './callControl';
export * from './callState';
export * from './capture';
export * from './capturePolicy';
export * from './devices';
export * from './media';
export * from './quality';
export * from './qualityMonitor';
export * from './senders';
export * from './snapshot';
export * from './speaking';
export * from './stageLayout';
export * from './uplink';
