/**
 * Checks a peer's Yjs update against the room document's schema before it is applied. Yjs
 * applies any update: a member could add a root type nobody reads, junk keys or a 32 MB string
 * in a field no reader looks at. Invisible, it survived "Clear board", every newcomer received
 * it and every peer stored it. The room document has exactly this shape:
 *
 *   elements  Y.Map   element id -> Y.Map   `base` -> { field name (ELEMENT_FIELDS) -> value }
 *                                            field name (ELEMENT_FIELDS) -> JSON value
 *   (`base`: the fields as created, one value; a field's own key: a change since; elements.ts)
 *   chat      Y.Array of JSON objects (chat messages)
 *
 * The update is decoded (Y.decodeUpdate: its structs and delete set, nothing integrated) and
 * every new item is placed: its parent is named in the update (a root name or the id of the
 * item holding its parent type) or inherited from its left/right origin, found in the same
 * update or in the document. An item that cannot be placed (it hangs off content we do not
 * have) is refused too: Yjs would keep it as pending, which is bloat of its own. Anti-entropy
 * (the periodic SyncStep1) brings a legitimately early update back once its parent is here.
 * Readers still validate every value (elements.ts, chatModel.ts): this check is about what may
 * be stored at all, and how big.
 */
import * as Y from 'yjs';
import { err, ok, type Result } from '@peerboard/protocol';
import { CHAT_KEY } from '../chat/chatModel';
import { ELEMENTS_KEY } from './boardModel';
import {
  BASE_KEY,
  BOARD_LIMITS,
  ELEMENT_FIELDS,
  ELEMENT_TYPES,
  isColour,
  isBinding,
  isElementId,
  isFillStyle,
  isImageMime,
  isSha256Hex,
} from './elements';
import { jsonLength } from './jsonSize';
import { measuredPtsBox, PTS_KEY } from './strokePoints';
import {
  readStructRecords,
  type ItemRecord,
  type StructContent,
  type StructRecord,
} from './structRecords';

export type DocSchemaCode = 'ERR_DOC_MALFORMED' | 'ERR_DOC_SCHEMA' | 'ERR_DOC_UNRESOLVED';

export const DOC_SCHEMA_LIMITS = {
  /** a stored chat message as JSON (the text is at most 2000 code points) */
  chatItemMaxChars: 16 * 1024,
  /** any element field but `points` and `text` (ids, colours, z keys, numbers) */
  fieldMaxChars: 512,
} as const;

/** Where an item lives: directly in a root type, or in one element's field map. */
type Place =
  | { level: 'root'; root: string; key: string | null }
  | { level: 'element'; key: string | null }
  /** Yjs drops it itself (its neighbour was garbage collected): harmless */
  | { level: 'dropped' };

/** a struct of the update (its record) or of the document */
type Struct = StructRecord | Y.Item | Y.GC | Y.Skip;

class SchemaError extends Error {
  constructor(
    readonly code: DocSchemaCode,
    message: string,
  ) {
    super(message);
  }
}

const fail = (code: DocSchemaCode, message: string): never => {
  throw new SchemaError(code, message);
};

function isPixelSize(v: unknown): boolean {
  return (
    Number.isSafeInteger(v) && (v as number) >= 1 && (v as number) <= BOARD_LIMITS.imageMaxPixels
  );
}

/**
 * Checks one element field's value (failing with the field's name); returns about how many
 * bytes Yjs stores for it.
 */
type FieldCheck = (key: string, value: unknown) => number;

/** Yjs stores a number in at most 9 bytes; its JSON form is under the field limit */
const NUMBER_BYTES = 9;
/** a string this short is under the field limit even with every character escaped (\u0000) */
const SHORT_STRING = (DOC_SCHEMA_LIMITS.fieldMaxChars - 2) / 6;

/** Any JSON scalar of at most the field limit: the fields without a closed set of values. */
const scalarField: FieldCheck = (key, value) => {
  // the usual values first: coordinates, sizes, ids, colours, z keys
  if (typeof value === 'number') return NUMBER_BYTES;
  if (typeof value === 'string' && value.length <= SHORT_STRING) return value.length + 2;
  if (typeof value === 'object' && value !== null) fail('ERR_DOC_SCHEMA', `${key}: not a scalar`);
  const n = jsonLength(value, DOC_SCHEMA_LIMITS.fieldMaxChars);
  if (n > DOC_SCHEMA_LIMITS.fieldMaxChars) fail('ERR_DOC_SCHEMA', `${key}: value too large`);
  return n;
};

/**
 * Fields with a closed set of values: a wrong one would make the element unreadable (so
 * invisible, yet stored and sent to every newcomer), or, for `locked`, silently unlocked.
 */
const closedField =
  (valid: (v: unknown) => boolean): FieldCheck =>
  (key, value) => {
    if (!valid(value)) fail('ERR_DOC_SCHEMA', `${key}: invalid value`);
    return scalarField(key, value);
  };

const ELEMENT_TYPE_SET: ReadonlySet<unknown> = new Set(ELEMENT_TYPES);

/** stroke points as bytes (strokePoints.ts): Yjs stores a Uint8Array as binary content */
const ptsField: FieldCheck = (_key, value) => {
  if (!(value instanceof Uint8Array)) return fail('ERR_DOC_SCHEMA', 'pts: not bytes');
  // bytes no reader can decode would be an invisible stroke sent to every newcomer; measured
  // as readElement measures them, which then finds the measure (one walk over the bytes)
  const box = measuredPtsBox(value, BOARD_LIMITS.strokeMaxPoints, BOARD_LIMITS.maxCoord);
  if (!box.ok) fail('ERR_DOC_SCHEMA', box.message);
  return value.length;
};

/** the older float points */
const pointsField: FieldCheck = (_key, value) => {
  if (!Array.isArray(value)) fail('ERR_DOC_SCHEMA', 'points: not an array');
  const points = value as unknown[];
  if (points.length > BOARD_LIMITS.strokeMaxPoints * 3) fail('ERR_DOC_SCHEMA', 'points: too many');
  if (!points.every((n) => typeof n === 'number'))
    fail('ERR_DOC_SCHEMA', 'points: not all numbers');
  return points.length * 9; // a float64 each at most, plus its tag
};

const textField: FieldCheck = (key, value) => {
  if (typeof value !== 'string' || value.length > BOARD_LIMITS.textMaxLength)
    fail('ERR_DOC_SCHEMA', `${key}: not a string of at most the text limit`);
  return (value as string).length * 3;
};

/**
 * the one object-valued field: { id, ax, ay, gap } exactly, nothing nested or extra; null is
 * "not attached" written over a base value
 */
const bindingField: FieldCheck = (key, value) => {
  if (value === null) return 4;
  if (!isBinding(value)) fail('ERR_DOC_SCHEMA', `${key}: not a binding`);
  return jsonLength(value, DOC_SCHEMA_LIMITS.fieldMaxChars);
};

const SPECIAL_FIELDS: Partial<Record<(typeof ELEMENT_FIELDS)[number], FieldCheck>> = {
  pts: ptsField,
  points: pointsField,
  text: textField,
  label: textField,
  startBinding: bindingField,
  endBinding: bindingField,
  type: closedField((v) => ELEMENT_TYPE_SET.has(v)),
  fill: closedField((v) => v === null || isColour(v)),
  fillStyle: closedField(isFillStyle),
  locked: closedField((v) => typeof v === 'boolean'),
  // null: ungrouped, written over a base value (CLEARED_FIELD)
  group: closedField((v) => v === null || isElementId(v)),
  opacity: closedField((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1),
  // an image's bytes are fetched by this hash and must be raster (never SVG: it could script)
  sha256: closedField(isSha256Hex),
  mime: closedField(isImageMime),
  naturalW: closedField(isPixelSize),
  naturalH: closedField(isPixelSize),
};

/**
 * Every element field's check, by name: one lookup per field (a board load checks ~90,000).
 * A name not here is no element field.
 */
const FIELD_CHECKS: ReadonlyMap<string, FieldCheck> = new Map(
  ELEMENT_FIELDS.map((key) => [key, SPECIAL_FIELDS[key] ?? scalarField]),
);

/** Rough bytes a struct adds to the stored document (its id, origins and parent info). */
const STRUCT_OVERHEAD = 16;

/** Checks an item's content for its place; returns about how many bytes it adds. */
function checkContent(item: ItemRecord, place: Place): number {
  if (place.level === 'dropped' || item.content.kind === 'deleted') return STRUCT_OVERHEAD;
  return STRUCT_OVERHEAD + contentSize(item.content, place);
}

function contentSize(content: StructContent, place: Exclude<Place, { level: 'dropped' }>): number {
  if (place.level === 'root' && place.root === ELEMENTS_KEY) {
    if (!isElementId(place.key)) fail('ERR_DOC_SCHEMA', 'elements: key is not an element id');
    if (content.kind !== 'type' || content.typeRef !== Y_MAP)
      fail('ERR_DOC_SCHEMA', 'elements: value is not a map');
    return place.key!.length;
  }
  if (place.level === 'root' && place.root === CHAT_KEY) {
    if (place.key !== null || content.kind !== 'any')
      return fail('ERR_DOC_SCHEMA', 'chat: not a list of JSON messages');
    let size = 0;
    for (const value of content.values) {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        fail('ERR_DOC_SCHEMA', 'chat: message is not an object');
      const n = jsonLength(value, DOC_SCHEMA_LIMITS.chatItemMaxChars);
      if (n > DOC_SCHEMA_LIMITS.chatItemMaxChars) fail('ERR_DOC_SCHEMA', 'chat: message too large');
      size += n;
    }
    return size;
  }
  if (place.level === 'root') return fail('ERR_DOC_SCHEMA', `unknown root type "${place.root}"`);
  // a field of one element, or all its fields as created
  if (place.key === BASE_KEY) return checkBase(content);
  const check = place.key === null ? undefined : FIELD_CHECKS.get(place.key);
  if (check === undefined)
    return fail('ERR_DOC_SCHEMA', `element: unknown field "${String(place.key).slice(0, 40)}"`);
  const key = place.key as string;
  if (key === PTS_KEY && content.kind === 'binary') return check(key, content.bytes);
  if (content.kind !== 'any' || content.values.length === 0)
    return fail('ERR_DOC_SCHEMA', `element field ${key}: not JSON values`);
  // Usually one value. Several when Yjs merged successive values of a key that were all
  // deleted together but kept for undo (move a shape, clear the board, undo): each is checked
  // and counted like a single one.
  let size = 0;
  for (const value of content.values) size += check(key, value);
  return size;
}

/**
 * An element's fields as created, one plain object of element fields, each checked as it would
 * be under its own key. Several values only as for a field (kept for undo, merged by Yjs).
 */
function checkBase(content: StructContent): number {
  if (content.kind !== 'any' || content.values.length === 0)
    return fail('ERR_DOC_SCHEMA', 'element base: not JSON values');
  let size = 0;
  for (const value of content.values) {
    if (
      typeof value !== 'object' ||
      value === null ||
      // a `__proto__` key read from the update would make another object its prototype
      Object.getPrototypeOf(value) !== Object.prototype
    )
      fail('ERR_DOC_SCHEMA', 'element base: not a plain object');
    // keys, not entries: one array per base instead of one more per field (a board load
    // checks ~90,000 fields)
    const fields = value as Record<string, unknown>;
    for (const key of Object.keys(fields)) {
      const check = FIELD_CHECKS.get(key);
      if (check === undefined)
        return fail('ERR_DOC_SCHEMA', `element base: unknown field "${key.slice(0, 40)}"`);
      size += key.length + check(key, fields[key]);
    }
  }
  return size;
}

/** Yjs's type ref of a Y.Map (ContentType) */
const Y_MAP = 1;

/** A client's structs in the update: `list[from..to)`, in clock order. */
interface ClientRun {
  list: readonly StructRecord[];
  from: number;
  to: number;
}

/**
 * The update's structs, findable by id. Yjs writes each client's structs as one run in clock
 * order, so a run is a range of the records themselves (no copy of ~90,000 records per board);
 * a client that comes back later in the update gets a list of its own.
 */
function indexStructs(structs: readonly StructRecord[]): Map<number, ClientRun> {
  const byClient = new Map<number, ClientRun>();
  let run: ClientRun | null = null;
  for (let i = 0; i < structs.length; i++) {
    const client = structs[i]!.id.client;
    if (run !== null && structs[run.from]!.id.client === client && run.to === i) {
      run.to = i + 1;
      continue;
    }
    const seen = byClient.get(client);
    if (seen === undefined) {
      run = { list: structs, from: i, to: i + 1 };
      byClient.set(client, run);
      continue;
    }
    // the same client again, apart from its first run: its structs get a list of their own
    if (seen.list === structs) {
      const list = structs.slice(seen.from, seen.to);
      list.push(structs[i]!);
      byClient.set(client, { list, from: 0, to: list.length });
    } else {
      (seen.list as StructRecord[]).push(structs[i]!);
      seen.to++;
    }
    run = null;
  }
  return byClient;
}

function findIn(run: ClientRun | undefined, clock: number): StructRecord | null {
  if (!run) return null;
  const list = run.list;
  let lo = run.from;
  let hi = run.to - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = list[mid]!;
    if (clock < s.id.clock) hi = mid - 1;
    else if (clock >= s.id.clock + s.length) lo = mid + 1;
    else return s;
  }
  return null;
}

export interface CheckedUpdate {
  /** about how many bytes the update's new content adds to the stored document */
  newBytes: number;
}

/**
 * The same check, on the update's struct records (structRecords.ts) as Yjs reads them while
 * applying: a check that has it is run from the apply's own decode (updateGate.ts).
 */
export interface StructsCheck {
  /** may a root type of this name exist? (asked as it is read: Yjs creates it right after) */
  root(name: string): boolean;
  check(
    doc: Y.Doc,
    structs: readonly StructRecord[],
    updateBytes: number,
  ): Result<CheckedUpdate, DocSchemaCode>;
}

/**
 * What a room document admits from peers. The whiteboard room uses `checkDocUpdate` (the board
 * and chat schema); an app with a document of its own passes `checkAnyUpdate` (or its own
 * check) to makeSession / makeRoomDoc / makeCollabProvider. Byte budgets apply either way.
 * A check with `structs` is run from the apply's own decode; one without decodes the update
 * itself before it is applied.
 */
export type DocUpdateCheck = ((
  doc: Y.Doc,
  update: Uint8Array,
) => Result<CheckedUpdate, DocSchemaCode>) & { structs?: StructsCheck };

/** Records of `update`, or the reason it cannot be read. */
function records(update: Uint8Array): Result<StructRecord[], DocSchemaCode> {
  try {
    return ok(readStructRecords(update));
  } catch (e) {
    return err(
      'ERR_DOC_MALFORMED',
      `undecodable update: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

/**
 * Any document shape: the update must decode; its size counts against the byte budgets. For
 * apps whose readers validate what they read (a generic Yjs provider cannot know the schema).
 */
export const checkAnyUpdate: DocUpdateCheck = Object.assign(
  (_doc: Y.Doc, update: Uint8Array): Result<CheckedUpdate, DocSchemaCode> => {
    const r = records(update);
    return r.ok ? ok({ newBytes: update.length }) : r;
  },
  {
    structs: {
      root: () => true,
      check: (_doc: Y.Doc, _structs: readonly StructRecord[], bytes: number) =>
        ok({ newBytes: bytes }),
    },
  },
);

/**
 * Check an update's structs against the room document schema, for application to `doc`. Items
 * `doc` already has are not checked again (Yjs skips them) and do not count in `newBytes`.
 */
export function checkDocStructs(
  doc: Y.Doc,
  structs: readonly StructRecord[],
): Result<CheckedUpdate, DocSchemaCode> {
  const own = indexStructs(structs);
  /** places of the document's own items (the update's are noted on their records) */
  const memo = new Map<Struct, Place>();

  const find = (id: Y.ID): Struct | null => {
    const mine = findIn(own.get(id.client), id.clock);
    if (mine) return mine;
    if (id.clock >= Y.getState(doc.store, id.client)) return null;
    try {
      return Y.getItem(doc.store, id) as Struct;
    } catch {
      return null;
    }
  };

  /**
   * Places are never changed once made, so one per element field name serves every element
   * (a 10,000-stroke board has ~80,000 field items).
   */
  const elementPlaces = new Map<string | null, Place>();
  const elementPlace = (key: string | null): Place => {
    let place = elementPlaces.get(key);
    if (!place) elementPlaces.set(key, (place = { level: 'element', key }));
    return place;
  };

  /** A type's content may only be the fields of an element: the type is an element entry's map. */
  const checkElementMap = (holder: Struct): void => {
    const isMap = isRecord(holder)
      ? !holder.gap && holder.content.kind === 'type' && holder.content.typeRef === Y_MAP
      : holder instanceof Y.Item && holder.content instanceof Y.ContentType
        ? holder.content.type instanceof Y.Map
        : fail('ERR_DOC_SCHEMA', 'parent is not a shared type');
    if (!isRecord(holder) || !holder.gap) {
      const at = placeOf(holder);
      if (at.level === 'root' && at.root === ELEMENTS_KEY && isMap) return;
    }
    fail('ERR_DOC_SCHEMA', 'nested shared type outside the board element map');
  };

  const remember = (item: Struct, place: Place): void => {
    if (isRecord(item)) (item as ItemRecord).memo = place;
    else memo.set(item, place);
  };

  /** Follows origins iteratively (a chain can be as long as the update). */
  function placeOf(start: Struct): Place {
    // the items placed by this call: nearly always one, so the array is made only for more
    let first: Struct | null = null;
    let chain: Struct[] | null = null;
    let s: Struct | null = start;
    let place: Place | undefined;
    while (place === undefined) {
      if (s === null)
        return fail('ERR_DOC_UNRESOLVED', 'refers to content this document does not have');
      const known = isRecord(s) ? ((s as ItemRecord).memo as Place | undefined) : memo.get(s);
      if (known) {
        place = known;
        break;
      }
      // a GC'd neighbour: Yjs turns the item into GC
      if (isRecord(s) ? s.gap : !(s instanceof Y.Item)) {
        place = { level: 'dropped' };
        break;
      }
      const item = s as ItemRecord | Y.Item;
      const parent = item.parent as unknown;
      if (typeof parent === 'string') {
        place = { level: 'root', root: parent, key: item.parentSub };
      } else if (parent instanceof Y.AbstractType) {
        const holder = parent._item;
        if (holder === null)
          place = { level: 'root', root: Y.findRootTypeKey(parent), key: item.parentSub };
        else {
          checkElementMap(holder);
          place = elementPlace(item.parentSub);
        }
      } else if (parent instanceof Y.ID) {
        const holder = find(parent);
        if (holder === null)
          return fail('ERR_DOC_UNRESOLVED', 'parent is content this document does not have');
        // a field first set on an element someone else has since deleted: Yjs integrates it
        // as garbage (no parent type left to hold it)
        if (isGone(holder)) place = { level: 'dropped' };
        else {
          checkElementMap(holder);
          place = elementPlace(item.parentSub);
        }
      } else {
        // no parent written: same parent and key as the left (or right) neighbour
        if (first === null) first = item;
        else (chain ??= []).push(item);
        const next = item.origin ?? item.rightOrigin;
        if (next === null) return fail('ERR_DOC_MALFORMED', 'item without parent or origin');
        s = find(next);
        continue;
      }
      if (first === null) first = item;
      else (chain ??= []).push(item);
    }
    if (first !== null) remember(first, place);
    if (chain !== null) for (const item of chain) remember(item, place);
    return place;
  }

  let newBytes = 0;
  try {
    for (const s of structs) {
      if (s.id.clock + s.length <= Y.getState(doc.store, s.id.client)) continue; // known
      // GC and Skip structs carry no content
      newBytes += s.gap ? STRUCT_OVERHEAD : checkContent(s, placeOf(s));
    }
  } catch (e) {
    if (e instanceof SchemaError) return err(e.code, e.message);
    return err('ERR_DOC_MALFORMED', `unreadable update: ${String(e)}`);
  }
  return ok({ newBytes });
}

const isRecord = (s: Struct): s is StructRecord => 'gap' in s;

/** A struct whose content Yjs has discarded (deleted, then garbage collected). */
const isGone = (s: Struct): boolean =>
  isRecord(s)
    ? s.gap || s.content.kind === 'deleted'
    : s instanceof Y.GC || (s instanceof Y.Item && s.content instanceof Y.ContentDeleted);

const ROOTS: ReadonlySet<string> = new Set([ELEMENTS_KEY, CHAT_KEY]);

/**
 * Check `update` against the room document schema, for application to `doc` (decodes it; the
 * update gate runs the same check from the apply's own decode, via `structs`).
 */
export const checkDocUpdate: DocUpdateCheck = Object.assign(
  (doc: Y.Doc, update: Uint8Array): Result<CheckedUpdate, DocSchemaCode> => {
    const r = records(update);
    return r.ok ? checkDocStructs(doc, r.value) : r;
  },
  {
    structs: {
      root: (name: string) => ROOTS.has(name),
      check: (doc: Y.Doc, structs: readonly StructRecord[]) => checkDocStructs(doc, structs),
    },
  },
);
