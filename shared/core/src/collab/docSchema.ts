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
import type { DocSchemaCode } from './docSchemaContent';
import { checkDocStructs, type CheckedUpdate } from './docSchemaPlaces';
import { readStructRecords, type StructRecord } from './structRecords';

// the schema's public surface stays here: docSchemaContent.ts (what may be stored where, by
// field), docSchemaPlaces.ts (placing each item of an update)
export { DOC_SCHEMA_LIMITS, type DocSchemaCode } from './docSchemaContent';
export { checkDocStructs, type CheckedUpdate } from './docSchemaPlaces';

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
