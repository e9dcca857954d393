/**
 * Loads uWebSockets.js and refuses the package's silent fallback.
 *
 * The package's loader (node_modules/uWebSockets.js/src/uws.js) catches a failed native load
 * (wrong Node ABI, musl, old glibc) or UWS_USE_FALLBACK=1 and returns `../dist/index`, a slow
 * `ws`-based shim, after only a console warning. A relay running on that shim would look fine
 * and be several times slower, so we detect it and fail loudly instead.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

export type Uws = typeof import('uWebSockets.js');

const require = createRequire(import.meta.url);

/** Exports only the native binding has; the shim defines App/_cfg/listen helpers only. */
const NATIVE_ONLY = ['getParts', 'SSLApp', 'DISABLED', 'SHARED_COMPRESSOR'] as const;

function fallbackModulePath(): string | null {
  try {
    const main = require.resolve('uWebSockets.js');
    return require.resolve(path.join(path.dirname(main), '../dist/index'));
  } catch {
    return null;
  }
}

export function nativeBindingError(reason: string): Error {
  return new Error(
    `uWebSockets.js native binding did not load (Node ABI ${process.versions.modules}, ` +
      `platform ${process.platform}-${process.arch}): ${reason}. ` +
      'The relay refuses to run on the slow ws-based fallback; use Node 20 on glibc >= 2.27 ' +
      '(and unset UWS_USE_FALLBACK).',
  );
}

/** Returns the native uWebSockets.js module or throws an Error explaining why not. */
export function loadUws(): Uws {
  let mod: Uws;
  try {
    mod = require('uWebSockets.js') as Uws;
  } catch (e) {
    throw nativeBindingError(`require failed: ${(e as Error).message}`);
  }
  const fallbackPath = fallbackModulePath();
  const fallback = fallbackPath === null ? undefined : require.cache[fallbackPath]?.exports;
  if (fallback !== undefined && fallback === mod)
    throw nativeBindingError('the package loaded its JavaScript fallback (dist/index)');
  const missing = NATIVE_ONLY.filter((k) => (mod as Record<string, unknown>)[k] === undefined);
  if (missing.length > 0)
    throw nativeBindingError(`native exports missing (${missing.join(', ')})`);
  return mod;
}
