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

/**
 * Bidi controls: embeddings/overrides (U+202A-202E), isolates (U+2066-2069) and the invisible
 * marks (LRM, RLM, ALM). In a name they make text read in another order than it is stored:
 * `invoice_\u202Efdp.exe` shows as "invoice_exe.pdf". Nothing a peer sends needs them.
 */
const BIDI = '\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';
const UNSAFE_LINE = new RegExp(`[\\u0000-\\u001f\\u007f-\\u009f${BIDI}]`, 'g');
const UNSAFE_MULTILINE = new RegExp(`[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f${BIDI}]`, 'g');
const BIDI_ONLY = new RegExp(`[${BIDI}]`, 'g');

export interface SanitizeOptions {
  /** keep tab and newline (\r\n and \r become \n): chat messages */
  multiline?: boolean;
  /** what a C0/C1 control becomes (default: removed); bidi controls are always removed */
  controlsAs?: string;
}

/**
 * The one sanitizer for text a peer shows to others (display names, file names, chat): C0/C1
 * controls and bidi controls go, so what is displayed reads as it is stored. Does not trim.
 */
export function sanitizeText(text: string, options: SanitizeOptions = {}): string {
  const { multiline = false, controlsAs = '' } = options;
  const noBidi = text.replace(BIDI_ONLY, '');
  return multiline
    ? noBidi.replace(/\r\n?/g, '\n').replace(UNSAFE_MULTILINE, controlsAs)
    : noBidi.replace(UNSAFE_LINE, controlsAs);
}
