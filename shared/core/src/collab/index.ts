// Public entry of @peerboard/core/collab.
export * from './awarenessFilter';
export * from './boardModel';
export * from './zOrder';
export * from './docSchema';
export * from './docUpdates';
export * from './elements';
export * from './fractionalIndex';
export * from './origins';
export * from './peerColor';
export * from './persistence';
export * from './presence';
export * from './provider';
export * from './roomDoc';
export * from './sealedStore';
export * from './roomTransport';
export * from './transport';
export * from './undo';
