/**
 * The one validator every element reader goes through (the types are in elementTypes.ts). The
 * Y.Doc is written by untrusted peers: anything can be in it (wrong types, NaN, huge arrays,
 * 10 MB strings). Readers never trust a field: they reject what cannot be drawn and clamp what
 * merely looks odd. The field list is documented in shared/PROTOCOL.md ("Room document model").
 */
import { assertNever, err, isColour, ok, type Result } from '@peerboard/protocol';
import {
  clamp,
  colour,
  coord,
  FieldError,
  num,
  readBindings,
  readLabel,
  readOptional,
  readStroke,
} from './elementFieldReads';
import {
  BOARD_LIMITS,
  ELEMENT_TYPES,
  isElementId,
  isFillStyle,
  isImageMime,
  isSha256Hex,
  type BoardElement,
  type ElementBase,
  type ElementErrorCode,
  type ElementType,
} from './elementTypes';
import { isValidZKey } from './fractionalIndex';
import { fieldReader } from './storedElement';

// the element modules' public surface stays here: elementTypes.ts (types, limits, value checks),
// storedElement.ts (the stored form), elementFieldReads.ts (field readers)
export {
  BINDING_KEYS,
  BOARD_LIMITS,
  compareElements,
  ELEMENT_FIELDS,
  ELEMENT_TYPES,
  FILL_SEMI_ALPHA,
  FILL_STYLES,
  IMAGE_MIMES,
  isBinding,
  isElementId,
  isFillStyle,
  isImageMime,
  isSha256Hex,
  MAX_BINDING_GAP,
  type Binding,
  type BoardElement,
  type ElementErrorCode,
  type ElementType,
  type FillStyle,
  type ImageElement,
  type ImageMime,
  type LineElement,
  type ShapeElement,
  type StrokeElement,
  type TextElement,
} from './elementTypes';
export {
  BASE_KEY,
  baseHasField,
  CLEARED_FIELD,
  elementField,
  isDefaultField,
  storedBase,
  storedFieldReader,
  storedFields,
} from './storedElement';
export { quantizeCoord, quantizePressure, readLegacyPoints } from './elementFieldReads';

export { isColour };

/**
 * Validate and normalise one element. `expectedId` is the key it is stored under; an element
 * claiming another id is rejected (it would otherwise shadow a different element).
 */
export function readElement(
  raw: unknown,
  expectedId?: string,
): Result<BoardElement, ElementErrorCode> {
  const get = fieldReader(raw);
  if (!get) return err('ERR_NOT_OBJECT', 'element is not an object');
  try {
    const type = get('type');
    if (typeof type !== 'string' || !(ELEMENT_TYPES as readonly string[]).includes(type))
      return err('ERR_TYPE', 'unknown element type');
    const id = get('id');
    if (!isElementId(id)) return err('ERR_FIELD', 'id: invalid');
    if (expectedId !== undefined && id !== expectedId)
      return err('ERR_FIELD', 'id: does not match its key');
    const author = get('author');
    if (!Number.isSafeInteger(author) || (author as number) < 0)
      return err('ERR_FIELD', 'author: not a client id');
    const z = get('z');
    if (!isValidZKey(z)) return err('ERR_FIELD', 'z: invalid order key');
    const base: ElementBase = {
      id,
      author: author as number,
      z,
      x: coord(get, 'x'),
      y: coord(get, 'y'),
      colour: colour(get, 'colour'),
      strokeWidth: clamp(
        num(get, 'strokeWidth'),
        BOARD_LIMITS.minStrokeWidth,
        BOARD_LIMITS.maxStrokeWidth,
      ),
    };
    readOptional(get, base);
    const t = type as ElementType;
    switch (t) {
      case 'stroke':
        return ok(readStroke(get, base));
      case 'line':
      case 'arrow':
        return ok({
          ...base,
          type: t,
          w: coord(get, 'w'),
          h: coord(get, 'h'),
          ...readBindings(get),
        });
      case 'rect':
      case 'ellipse':
      case 'diamond': {
        const fill = get('fill');
        if (fill !== null && fill !== undefined && !isColour(fill))
          return err('ERR_FIELD', 'fill: not a colour or null');
        const fillStyle = get('fillStyle') ?? 'solid';
        if (!isFillStyle(fillStyle)) return err('ERR_FIELD', 'fillStyle: not solid or semi');
        const w = Math.abs(coord(get, 'w'));
        const h = Math.abs(coord(get, 'h'));
        const semi = fillStyle === 'semi' ? { fillStyle } : {};
        const label = readLabel(get('label'));
        return ok({
          ...base,
          type: t,
          w,
          h,
          fill: fill ? fill.toLowerCase() : null,
          ...semi,
          ...label,
        });
      }
      case 'text': {
        const text = get('text');
        if (typeof text !== 'string') return err('ERR_FIELD', 'text: not a string');
        return ok({
          ...base,
          type: t,
          w: Math.abs(coord(get, 'w')),
          h: Math.abs(coord(get, 'h')),
          text:
            text.length > BOARD_LIMITS.textMaxLength
              ? text.slice(0, BOARD_LIMITS.textMaxLength)
              : text,
          fontSize: clamp(num(get, 'fontSize'), BOARD_LIMITS.minFontSize, BOARD_LIMITS.maxFontSize),
        });
      }
      case 'image': {
        const sha256 = get('sha256');
        if (!isSha256Hex(sha256)) return err('ERR_FIELD', 'sha256: not a lowercase hex SHA-256');
        const mime = get('mime');
        if (!isImageMime(mime)) return err('ERR_FIELD', 'mime: not png, jpeg, webp or gif');
        const pixels = (key: string) => {
          const v = get(key);
          if (
            !Number.isSafeInteger(v) ||
            (v as number) < 1 ||
            (v as number) > BOARD_LIMITS.imageMaxPixels
          )
            throw new FieldError('ERR_FIELD', `${key}: not a pixel size`);
          return v as number;
        };
        return ok({
          ...base,
          type: t,
          w: Math.abs(coord(get, 'w')),
          h: Math.abs(coord(get, 'h')),
          sha256,
          mime,
          naturalW: pixels('naturalW'),
          naturalH: pixels('naturalH'),
        });
      }
      default:
        return assertNever(t);
    }
  } catch (e) {
    if (e instanceof FieldError) return err(e.code, e.message);
    return err('ERR_FIELD', `unreadable element: ${String(e)}`);
  }
}
