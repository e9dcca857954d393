// Public entry of @peerboard/core/chat.
export * from './chat';
export * from './chatModel';
export * from './chatText';
export * from './typing';
