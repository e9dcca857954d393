export type Ok<T> = { ok: true; value: T };
export type Err<C extends string = string> = { ok: false; code: C; message: string };
export type Result<T, C extends string = string> = Ok<T> | Err<C>;

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
export const err = <C extends string>(code: C, message: string): Err<C> => ({
  ok: false,
  code,
  message,
});

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}

/** A plain object (not null, not an array): the first check of every received message. */
export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
