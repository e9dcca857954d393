export * from './ids';
export * from './limits';
export * from './protocol';
export * from './result';
export * from './text';
