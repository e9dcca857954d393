// TextEncoder/TextDecoder exist in every runtime we target (browsers, Node >= 11) but live in
// the DOM lib typings; declare just what we use so shared/ stays free of DOM and Node types.
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean });
  decode(input?: Uint8Array): string;
}

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

export const utf8Encode = (text: string): Uint8Array => encoder.encode(text);

/** Throws on invalid UTF-8 (callers turn that into an error result). */
export const utf8Decode = (bytes: Uint8Array): string => strictDecoder.decode(bytes);

const COLOUR_RE = /^#[0-9a-fA-F]{6}$/;

/** A `#rrggbb` colour (element strokes, presence and chat author colours). */
export const isColour = (v: unknown): v is string =>
  typeof v === 'string' && v.length === 7 && COLOUR_RE.test(v);
