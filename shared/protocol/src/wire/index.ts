// Public entry of @peerboard/protocol/wire: the data-channel frame codec and its fragmentation.
export * from './frames';
export * from './fragments';
