/**
 * Joining a big board (part of `pnpm bench board`): Alice's session holds the board, Bob's
 * session joins the room (real relay on loopback, @roamhq/wrtc data channels, the app's own
 * makeSession) and the time from Bob's makeSession() to his doc holding every stroke is taken.
 * The board is joined once stored with `pts` (integer points) and once with the older float
 * `points`, alternating, so the two formats are compared in the same run.
 *
 * Bob checks and applies the board from one decode (the update gate, structRecords.ts); each run
 * also joins with `twoDecodes`, the check as it was before (decode to check, then Y.applyUpdate),
 * so the saving is measured in the same run.
 *
 * Bob asks for his first screen (core collab/firstScreen.ts) for the view of a 1280 x 800 window
 * at the board's start: "Bob's first screen" is the time until that preview is checked and
 * ready to draw (Node draws nothing; web/e2e/board-join-preview.test.ts times the frame).
 *
 * Same-run references for each format: `Y.applyUpdate` of the same update into a fresh doc
 * (the local floor), and the raw channel time for its bytes: two simple-peer peers over
 * @roamhq/wrtc, the bytes sent in 64 KiB messages paced on bufferedAmount, until the receiver
 * has all of them (no relay, no framing, no Yjs).
 */
import SimplePeer from 'simple-peer';
import * as Y from 'yjs';
import {
  checkDocUpdate,
  elementsMap,
  readBoard,
  type DocUpdateCheck,
} from '@peerboard/core/collab';
import { fmt, formatTable, summary } from '@peerboard/bench-kit';
import { quietSession, startRelay, wrtc } from '../../shared/core/test/kit/relay';
import { randomRoomId } from './core-browser';

/** The schema check without its one-decode form: decoded to check, then again to apply. */
const twoDecodes: DocUpdateCheck = (doc, update) => checkDocUpdate(doc, update);

/** The same board with its strokes' points in the older float `points` field. */
export function legacyUpdate(update: Uint8Array): Uint8Array {
  const src = new Y.Doc();
  Y.applyUpdate(src, update);
  const out = new Y.Doc();
  out.transact(() => {
    for (const el of readBoard(src)) {
      const yel = new Y.Map<unknown>();
      for (const [k, v] of Object.entries(el)) yel.set(k, v);
      elementsMap(out).set(el.id, yel);
    }
  });
  return Y.encodeStateAsUpdate(out);
}

function applyMs(update: Uint8Array): number {
  const t = performance.now();
  Y.applyUpdate(new Y.Doc(), update);
  return performance.now() - t;
}

/** Raw data-channel time for `bytes` bytes (connect excluded). */
async function rawChannelMs(bytes: number): Promise<number> {
  const opts = { wrtc: wrtc as SimplePeer.Options['wrtc'], config: { iceServers: [] } };
  const p1 = new SimplePeer({ ...opts, initiator: true });
  const p2 = new SimplePeer({ ...opts, initiator: false });
  p1.on('signal', (d) => p2.signal(d));
  p2.on('signal', (d) => p1.signal(d));
  const connected = (p: SimplePeer.Instance) => new Promise((r) => p.once('connect', r));
  try {
    await Promise.all([connected(p1), connected(p2)]);
    const piece = new Uint8Array(64 * 1024);
    let received = 0;
    const done = new Promise<void>((resolve) =>
      p2.on('data', (d: Uint8Array) => {
        if ((received += d.length) >= bytes) resolve();
      }),
    );
    const channel = (p1 as unknown as { _channel: RTCDataChannel })._channel;
    const t0 = performance.now();
    for (let sent = 0; sent < bytes;) {
      // the app's control lane stops at 8 MiB buffered; wrtc updates bufferedAmount late
      while (channel.bufferedAmount > 4 * 1024 * 1024) await new Promise((r) => setTimeout(r, 1));
      const n = Math.min(piece.length, bytes - sent);
      p1.send(n === piece.length ? piece : piece.subarray(0, n));
      sent += n;
    }
    await done;
    return performance.now() - t0;
  } finally {
    p1.destroy();
    p2.destroy();
  }
}

/** Bob's view: the board's initial view of a desktop window */
const VIEW = { minX: 0, minY: 0, maxX: 1280, maxY: 800 };

/**
 * ms from Bob's makeSession() until his doc holds all `strokes` elements, and until his first
 * screen was ready (NaN if none came before the board).
 */
async function joinMs(
  url: string,
  update: Uint8Array,
  strokes: number,
  check?: DocUpdateCheck,
  /** false: Bob asks for no first screen (the same-run reference for its cost) */
  ask = true,
): Promise<{ complete: number; preview: number; previewElements: number; linkOpen: number }> {
  const roomId = randomRoomId();
  const alice = quietSession(url, roomId, 'Alice');
  Y.applyUpdate(alice.doc.doc, update, 'bench-load');
  await new Promise((r) => setTimeout(r, 300));
  const t0 = performance.now();
  const bob = quietSession(url, roomId, 'Bob', check ? { documentCheck: check } : {});
  let preview = NaN;
  let previewElements = 0;
  let linkOpen = NaN;
  bob.room.on('peer_open', () => {
    if (Number.isNaN(linkOpen)) linkOpen = performance.now() - t0;
  });
  if (ask) bob.doc.firstScreen.setView(VIEW);
  bob.doc.firstScreen.onPreview((p) => {
    if (!p || !Number.isNaN(preview)) return;
    preview = performance.now() - t0;
    previewElements = p.elements.length;
  });
  try {
    const elements = elementsMap(bob.doc.doc);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('Bob did not get the board in 120 s')),
        120_000,
      );
      const check = () => {
        if (elements.size < strokes) return;
        clearTimeout(timer);
        bob.doc.doc.off('afterTransaction', check);
        resolve();
      };
      bob.doc.doc.on('afterTransaction', check);
    });
    const ms = performance.now() - t0;
    if (readBoard(bob.doc.doc).length !== strokes) throw new Error('Bob reads fewer strokes');
    return { complete: ms, preview, previewElements, linkOpen };
  } finally {
    bob.destroy();
    alice.destroy();
  }
}

export async function boardJoinReport(
  update: Uint8Array,
  strokes: number,
  runs: number,
): Promise<void> {
  const formats = [
    { name: 'pts (integer points)', update },
    { name: 'points (floats, before)', update: legacyUpdate(update) },
  ];
  const rows = formats.map(() => ({
    join: [] as number[],
    preview: [] as number[],
    linkOpen: [] as number[],
    previewElements: 0,
    twice: [] as number[],
    noPreview: [] as number[],
    apply: [] as number[],
    raw: [] as number[],
  }));
  const relay = await startRelay();
  try {
    for (let run = 0; run < runs; run++) {
      for (const [i, f] of formats.entries()) {
        const joined = await joinMs(relay.url, f.update, strokes);
        rows[i]!.join.push(joined.complete);
        rows[i]!.preview.push(joined.preview);
        rows[i]!.linkOpen.push(joined.linkOpen);
        rows[i]!.previewElements = joined.previewElements;
        rows[i]!.twice.push((await joinMs(relay.url, f.update, strokes, twoDecodes)).complete);
        rows[i]!.noPreview.push(
          (await joinMs(relay.url, f.update, strokes, undefined, false)).complete,
        );
        rows[i]!.apply.push(applyMs(f.update));
        rows[i]!.raw.push(await rawChannelMs(f.update.length));
      }
    }
  } finally {
    await relay.close();
  }
  const med = (xs: number[]) => fmt(summary(xs).p50);
  console.log(
    `\njoin a board of ${strokes} strokes (Node, real relay + @roamhq/wrtc, median of ${runs}, ms):`,
  );
  console.log(
    formatTable(
      [
        'stored as',
        'update MB',
        "ref: Bob's link open",
        "Bob's first screen (elements)",
        "Bob's board complete",
        'ref: complete, no first screen',
        'before: check decodes again',
        'ref: Y.applyUpdate',
        'ref: raw channel',
      ],
      formats.map((f, i) => [
        f.name,
        fmt(f.update.length / 1e6, 2),
        med(rows[i]!.linkOpen),
        `${med(rows[i]!.preview)} (${rows[i]!.previewElements})`,
        med(rows[i]!.join),
        med(rows[i]!.noPreview),
        med(rows[i]!.twice),
        med(rows[i]!.apply),
        med(rows[i]!.raw),
      ]),
    ),
  );
}
