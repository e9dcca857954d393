/**
 * A peer's update, checked and applied from one decode. Yjs reads an update in two steps inside
 * its transaction: it decodes every struct (readClientsStructRefs), then integrates them. Yjs
 * lets the caller choose the decoder class (Y.applyUpdateV2's last argument), so this one is a
 * Y.UpdateDecoderV1 that hands Yjs every value unchanged and writes down, as Yjs reads them,
 * what each struct is: id, origins, parent, key, content. When the last struct has been read,
 * before Yjs integrates anything, `onRead` gets the records; it throws to refuse, and the
 * update leaves the document as it was (nothing integrated, delete set not read).
 *
 * Before this, the schema check decoded the update with Y.decodeUpdate and Y.applyUpdate
 * decoded it again: on a 10,000-stroke board the check cost as much as the apply.
 *
 * The records mirror readClientsStructRefs (yjs src/utils/encoding.js) step by step: which
 * fields a struct has follows from its info byte, and content is read by a fixed sequence of
 * calls per content kind. Any read out of that sequence is refused as malformed, so a Yjs
 * version that reads differently fails closed (every update refused), never open.
 */
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { readAny, readVarString } from './anyReads';

export type StructContent =
  | { kind: 'any'; values: unknown[] }
  | { kind: 'binary'; bytes: Uint8Array }
  /** a shared type: Y.Array 0, Y.Map 1, Y.Text 2, Xml 3-6 */
  | { kind: 'type'; typeRef: number }
  | { kind: 'deleted' }
  /** string, JSON, embed, format or subdocument content: never in the room document */
  | { kind: 'other'; name: string };

export interface ItemRecord {
  gap: false;
  id: Y.ID;
  length: number;
  origin: Y.ID | null;
  rightOrigin: Y.ID | null;
  /** a root type's name, the id of the item holding the parent type, or null (from origins) */
  parent: string | Y.ID | null;
  parentSub: string | null;
  content: StructContent;
  /** the check's own note on this struct (where it lives): a field is cheaper than a Map */
  memo?: unknown;
}

/** a GC or Skip struct: a clock range with no content */
export interface GapRecord {
  gap: true;
  id: Y.ID;
  length: number;
}

export type StructRecord = ItemRecord | GapRecord;

/** Thrown by `onRead` (or the decoder itself) to refuse an update before it is integrated. */
export class UpdateRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const malformed = (what: string): never => {
  throw new UpdateRefusal('ERR_DOC_MALFORMED', `unreadable update: ${what}`);
};

const BIT6 = 32;
const BIT7 = 64;
const BIT8 = 128;
const BITS5 = 31;

type Phase =
  | 'info'
  | 'gcLen'
  | 'origin'
  | 'right'
  | 'parentInfo'
  | 'rootName'
  | 'parentId'
  | 'parentSub'
  | 'content'
  | 'done';

/** what content of each kind (info & 31) reads, in order, after the struct's header */
const CONTENT_NAMES: Record<number, string> = {
  2: 'JSON',
  4: 'string',
  5: 'embed',
  6: 'format',
  9: 'subdocument',
};

export interface RecordingOptions {
  /** a root type name is checked as it is read: Yjs creates the root type right after */
  root(name: string): boolean;
  /** all structs read, nothing integrated yet: throw (UpdateRefusal) to refuse */
  onRead(records: StructRecord[]): void;
}

/**
 * The options of the decoder Yjs is about to make: Yjs constructs the decoder itself, once, at
 * the start of the apply (or decode), from the class it is given.
 */
let pending: RecordingOptions | null = null;

/**
 * A decoder class for Y.applyUpdateV2 / Y.decodeUpdateV2 that records what Yjs reads. One class
 * for every update (its options come from `pending`), not a class made per update: Yjs's reading
 * loop then always meets the same kind of decoder, and what the JIT learnt on one update (a
 * board's first, or the page's warm-up, loadWarmUp.ts) serves the next.
 */
class RecordingDecoder extends Y.UpdateDecoderV1 {
  private readonly o: RecordingOptions;
  private records: StructRecord[] = [];
  private clientsLeft: number;
  private structsLeft = 0;
  private client = 0;
  private clock = 0;
  /** where the next client's header starts */
  private boundary: number;
  private phase: Phase = 'info';
  private info = 0;
  private kind = 0;
  private origin: Y.ID | null = null;
  private rightOrigin: Y.ID | null = null;
  private parent: string | Y.ID | null = null;
  private parentSub: string | null = null;
  /** values still to read for JSON / Any content, and what was read */
  private count = -1;
  private values: unknown[] = [];
  private typeRef = -1;

  constructor(decoder: decoding.Decoder) {
    super(decoder);
    if (pending === null) throw new Error('a recording decoder is made only by withRecording');
    this.o = pending;
    pending = null;
    const peek = decoding.clone(decoder);
    this.clientsLeft = decoding.readVarUint(peek);
    this.boundary = peek.pos;
    if (this.clientsLeft === 0) this.finish();
  }

  private expect(phase: Phase): void {
    if (this.phase !== phase) malformed(`read out of order (${phase} during ${this.phase})`);
  }

  private finish(): void {
    this.phase = 'done';
    // Yjs reads the delete set only after integrating: one cut short would throw with the
    // structs already in. So it is walked here first (V1: varuints only, a few per delete).
    const ds = decoding.clone(this.restDecoder, this.boundary);
    try {
      for (let clients = decoding.readVarUint(ds); clients > 0; clients--) {
        decoding.readVarUint(ds);
        for (let deletes = decoding.readVarUint(ds); deletes > 0; deletes--) {
          decoding.readVarUint(ds);
          decoding.readVarUint(ds);
        }
      }
    } catch {
      malformed('the delete set is cut short');
    }
    const records = this.records;
    this.records = [];
    this.o.onRead(records);
  }

  private structDone(record: StructRecord, end: number): void {
    this.records.push(record);
    this.clock += record.length;
    this.phase = 'info';
    if (--this.structsLeft > 0) return;
    this.boundary = end;
    if (--this.clientsLeft === 0) this.finish();
  }

  /**
   * After a header field: the next one the info byte says is there. Runs several times per
   * struct on a big board, so it is plain branches (no per-call arrays or objects).
   */
  private advance(from: Phase): void {
    const info = this.info;
    const copyParent = (info & (BIT7 | BIT8)) !== 0;
    // the header's fields in order: 0 origin, 1 right, 2 parent info, 3 parent sub, 4 content
    const after =
      from === 'info'
        ? 0
        : from === 'origin'
          ? 1
          : from === 'right'
            ? 2
            : from === 'parentSub'
              ? 4
              : 3;
    if (after <= 0 && (info & BIT8) !== 0) this.phase = 'origin';
    else if (after <= 1 && (info & BIT7) !== 0) this.phase = 'right';
    else if (after <= 2 && !copyParent) this.phase = 'parentInfo';
    else if (after <= 3 && !copyParent && (info & BIT6) !== 0) this.phase = 'parentSub';
    else this.phase = 'content';
  }

  private itemDone(content: StructContent, length: number): void {
    this.structDone(
      {
        gap: false,
        id: Y.createID(this.client, this.clock),
        length,
        origin: this.origin,
        rightOrigin: this.rightOrigin,
        parent: this.parent,
        parentSub: this.parentSub,
        content,
        // made with the slot the check fills later, so no record changes shape then
        memo: undefined,
      },
      this.restDecoder.pos,
    );
  }

  /**
   * a content read: kind must be one of a, b, c and the struct must be at its content (fixed
   * parameters, not a rest array: this runs for every value of every struct)
   */
  private content(a: number, b = a, c = a): void {
    this.expect('content');
    const k = this.kind;
    if (k !== a && k !== b && k !== c) malformed(`unexpected read for content kind ${k}`);
  }

  override readClient(): number {
    this.expect('info');
    if (this.structsLeft !== 0 || this.clientsLeft === 0) malformed('client out of order');
    const header = decoding.clone(this.restDecoder, this.boundary);
    this.structsLeft = decoding.readVarUint(header);
    if (header.pos !== this.restDecoder.pos) malformed('struct count out of step');
    this.client = super.readClient();
    const peek = decoding.clone(this.restDecoder);
    this.clock = decoding.readVarUint(peek);
    if (this.structsLeft === 0) {
      this.boundary = peek.pos;
      if (--this.clientsLeft === 0) this.finish();
    }
    return this.client;
  }

  override readInfo(): number {
    this.expect('info');
    if (this.structsLeft === 0) malformed('more structs than announced');
    const info = super.readInfo();
    this.info = info;
    this.kind = info & BITS5;
    if (this.kind === 0) {
      this.phase = 'gcLen';
    } else if (this.kind === 10) {
      // Skip: Yjs reads its length straight from the bytes, so it is peeked here
      const peek = decoding.clone(this.restDecoder);
      const length = decoding.readVarUint(peek);
      this.structDone({ gap: true, id: Y.createID(this.client, this.clock), length }, peek.pos);
    } else {
      this.origin = this.rightOrigin = this.parent = this.parentSub = null;
      this.count = -1;
      // the array for JSON / Any values is made when their length is read (readLen)
      this.typeRef = -1;
      this.advance('info');
    }
    return info;
  }

  override readLen(): number {
    const n = super.readLen();
    if (this.phase === 'gcLen') {
      this.structDone(
        { gap: true, id: Y.createID(this.client, this.clock), length: n },
        this.restDecoder.pos,
      );
      return n;
    }
    this.content(1, 2, 8);
    if (this.kind === 1) this.itemDone({ kind: 'deleted' }, n);
    else if (this.count !== -1) malformed('length read twice');
    else if (n === 0) this.itemDone(this.kind === 8 ? { kind: 'any', values: [] } : other(2), 0);
    else {
      this.count = n;
      this.values = [];
    }
    return n;
  }

  override readLeftID(): Y.ID {
    const id = super.readLeftID();
    if (this.phase === 'origin') this.origin = id;
    else if (this.phase === 'parentId') this.parent = id;
    else malformed(`id read during ${this.phase}`);
    this.advance(this.phase);
    return id;
  }

  override readRightID(): Y.ID {
    this.expect('right');
    const id = super.readRightID();
    this.rightOrigin = id;
    this.advance('right');
    return id;
  }

  override readParentInfo(): boolean {
    this.expect('parentInfo');
    const named = super.readParentInfo();
    this.phase = named ? 'rootName' : 'parentId';
    return named;
  }

  override readString(): string {
    const s = readVarString(this.restDecoder);
    if (this.phase === 'rootName') {
      if (!this.o.root(s))
        throw new UpdateRefusal('ERR_DOC_SCHEMA', `unknown root type "${s.slice(0, 40)}"`);
      this.parent = s;
      this.advance('rootName');
    } else if (this.phase === 'parentSub') {
      this.parentSub = s;
      this.advance('parentSub');
    } else {
      this.content(2, 4, 9);
      if (this.kind === 4) this.itemDone(other(4), s.length);
      else if (this.kind === 9)
        this.count = 1; // then the subdocument's options
      else if (this.count <= 0) malformed('JSON content without a length');
      else if (--this.count === 0) this.itemDone(other(2), this.values.push(s));
      else this.values.push(s);
    }
    return s;
  }

  override readAny(): unknown {
    this.content(8, 9);
    const v = readAny(this.restDecoder);
    if (this.count <= 0) malformed('value without a length');
    if (this.kind === 9) this.itemDone(other(9), 1);
    else {
      this.values.push(v);
      if (--this.count === 0)
        this.itemDone({ kind: 'any', values: this.values }, this.values.length);
    }
    return v;
  }

  override readBuf(): Uint8Array {
    this.content(3);
    const bytes = super.readBuf();
    this.itemDone({ kind: 'binary', bytes }, 1);
    return bytes;
  }

  override readJSON(): unknown {
    this.content(5, 6);
    const v = super.readJSON();
    if (this.kind === 6 && this.count !== 1) malformed('format without its key');
    this.itemDone(other(this.kind), 1);
    return v;
  }

  override readKey(): string {
    this.content(6, 7);
    const key = readVarString(this.restDecoder);
    if (this.kind === 6) {
      if (this.count !== -1) malformed('format key read twice');
      this.count = 1;
    } else if (this.typeRef === 3 || this.typeRef === 5) {
      this.itemDone({ kind: 'type', typeRef: this.typeRef }, 1);
    } else malformed('type key out of order');
    return key;
  }

  override readTypeRef(): number {
    this.content(7);
    const ref = super.readTypeRef();
    if (this.typeRef !== -1 || !Number.isInteger(ref) || ref < 0 || ref > 6)
      malformed(`type ref ${ref}`);
    this.typeRef = ref;
    // XmlElement (3) and XmlHook (5) read their name next
    if (ref !== 3 && ref !== 5) this.itemDone({ kind: 'type', typeRef: ref }, 1);
    return ref;
  }
}

/** Runs `read` (an apply or a decode given RecordingDecoder) with `o` as its decoder's options. */
function withRecording(o: RecordingOptions, read: (cls: typeof Y.UpdateDecoderV1) => void): void {
  pending = o;
  try {
    read(RecordingDecoder);
  } finally {
    pending = null;
  }
}

function other(kind: number): StructContent {
  return { kind: 'other', name: CONTENT_NAMES[kind] ?? `kind ${kind}` };
}

/**
 * Apply `update` to `doc` from one decode: `check` sees the records first and throws an
 * UpdateRefusal to refuse (the document stays as it was). Other errors are Yjs's own (an update
 * it cannot read) and are rethrown.
 */
export function applyRecorded(
  doc: Y.Doc,
  update: Uint8Array,
  origin: unknown,
  o: RecordingOptions,
): void {
  withRecording(o, (cls) => Y.applyUpdateV2(doc, update, origin, cls));
}

/** The records of `update` without applying it (Y.decodeUpdateV2 drives the same decoder). */
export function readStructRecords(update: Uint8Array): StructRecord[] {
  let out: StructRecord[] | null = null;
  const o = { root: () => true, onRead: (r: StructRecord[]) => void (out = r) };
  withRecording(o, (cls) => Y.decodeUpdateV2(update, cls));
  return out ?? malformed('the update ended before its last struct');
}
