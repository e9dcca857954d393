export type Uws = typeof import('uWebSockets.js');
export declare function nativeBindingError(reason: string): Error;
/** Returns the native uWebSockets.js module or throws an Error explaining why not. */
export declare function loadUws(): Uws;
