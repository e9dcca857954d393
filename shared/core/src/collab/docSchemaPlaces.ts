/**
 * The struct walk of the room document schema (docSchema.ts): every new item of an update is
 * placed (a root type, or one element's map) from its parent or its origins, in the update or in
 * the document, and its content checked for that place (docSchemaContent.ts).
 */
import * as Y from 'yjs';
import { err, ok, type Result } from '@peerboard/protocol';
import { ELEMENTS_KEY } from './boardModel';
import {
  checkContent,
  fail,
  SchemaError,
  STRUCT_OVERHEAD,
  Y_MAP,
  type DocSchemaCode,
  type Place,
} from './docSchemaContent';
import type { ItemRecord, StructRecord } from './structRecords';

/** a struct of the update (its record) or of the document */
type Struct = StructRecord | Y.Item | Y.GC | Y.Skip;

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
