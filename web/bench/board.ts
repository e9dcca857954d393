/**
 * Whiteboard benchmark (`pnpm bench board`), not a test: figures with a same-run reference
 * beside each.
 *
 * - update size per stroke: the Yjs update one addElement produces (Node, same boardModel code
 *   as the app), beside the element's JSON size;
 * - load: a 10,000-stroke board applied to the app's own doc in Chromium as a peer's SyncStep2
 *   would bring it (decode + validation + scene/index build + handing the bytes to IndexedDB)
 *   and its first frame, beside decoding alone and the naive renderer's frame;
 * - reload: the same page reloaded, the board coming back from IndexedDB: navigation -> stored
 *   board applied -> first frame with it, beside the same page with an empty board;
 * - pan: frame times of a programmatic pan over that board (at 100% and zoomed to fit all),
 *   beside an empty board and the naive renderer (no Path2D cache, no culling, no layer);
 * - propagation: addElement in one Chromium context -> observed in the other, over the real
 *   data channel, beside the data-channel ping RTT/2 between the same two pages.
 *
 * Needs the built client (pnpm --filter @peerboard/web build).
 */
import type { Page } from 'playwright-core';
import * as Y from 'yjs';
import { addElement, updateElement, type BoardElement } from '@peerboard/core/collab';
import { fmt, formatTable, summary, type Benchmark } from '@peerboard/bench-kit';
import { seededRandom } from '../../shared/core/test/kit/seededRandom';
import { AREA, boardUpdate, strokeFields } from '../../shared/core/test/kit/syntheticBoard';
import { launchBrowser, startApp } from '../e2e/harness';
import { list, options, positiveInt } from './args';
import { boardJoinReport } from './boardJoin';
import { boardLayoutReport } from './boardLayout';
import { randomRoomId } from './core-browser';
import { INIT, openBoard, type W } from './boardPage';
import { boardLoadPairs } from './boardLoadPairs';

const median = (xs: number[]) => summary(xs).p50;

const DEFAULTS = { strokes: '10000', frames: '300', naiveFrames: '30', messages: '200', runs: '3' };
/**
 * `--parts join` runs only the join (Node); `--parts chromium` only the Chromium phases;
 * `--parts load` only Chromium's load of the board (fresh pages: apply + first frames), for
 * before/after comparisons on a busy machine (with `--vs DIR`: against the build in DIR, page
 * by page in turn, boardLoadPairs.ts); `--parts layout` only the document layout reference
 * (boardLayout.ts, Node)
 */
const PARTS = ['join', 'chromium', 'load', 'layout'] as const;

function parseOptions(
  args: string[],
): Record<keyof typeof DEFAULTS, number> & { parts: string[]; vs: string } {
  const o = options(args, { ...DEFAULTS, parts: PARTS.join(','), vs: '' });
  const n = (k: keyof typeof DEFAULTS) => positiveInt(k, o[k]);
  const parts = list(o.parts);
  for (const part of parts)
    if (!(PARTS as readonly string[]).includes(part)) throw new Error(`unknown part "${part}"`);
  return {
    parts,
    vs: o.vs,
    strokes: n('strokes'),
    frames: n('frames'),
    naiveFrames: n('naiveFrames'),
    messages: n('messages'),
    runs: n('runs'),
  };
}

// ---- update size (Node) ----

function updateSizes(): (string | number)[][] {
  const r = seededRandom(7);
  const doc = new Y.Doc();
  // an existing board, so the figures include what a real update refers to
  for (let i = 0; i < 200; i++) addElement(doc, strokeFields(r));
  const updateBytes = (fn: () => void): number => {
    let bytes = 0;
    const on = (u: Uint8Array) => (bytes += u.byteLength);
    doc.on('update', on);
    fn();
    doc.off('update', on);
    return bytes;
  };
  const rows: (string | number)[][] = [];
  let last: BoardElement | null = null;
  for (const n of [20, 70, 200]) {
    const fields = strokeFields(r, n);
    const bytes = updateBytes(() => {
      const res = addElement(doc, fields);
      if (res.ok) last = res.value;
    });
    const json = JSON.stringify(last).length;
    rows.push([`new stroke, ${n} points`, bytes, json, fmt(bytes / json, 2)]);
  }
  const moved = last as BoardElement | null;
  if (moved) {
    const patch = { x: moved.x + 13.25, y: moved.y - 7.5 };
    const bytes = updateBytes(() => void updateElement(doc, moved.id, patch));
    const json = JSON.stringify({ id: moved.id, ...patch }).length;
    rows.push(['move a stroke (x, y)', bytes, json, fmt(bytes / json, 2)]);
  }
  return rows;
}

// ---- Chromium ----

/** Pan by (dx, dy) CSS px per animation frame; each frame sets the camera and paints. */
function panFrames(page: Page, frames: number, dx: number, dy: number) {
  return page.evaluate(
    ({ frames, dx, dy }) =>
      new Promise<{ paint: number[]; interval: number[] }>((resolve) => {
        const board = (window as unknown as W).__peerboard!.board!;
        const canvas = document.querySelector<HTMLCanvasElement>('[data-board-layer="elements"]')!;
        const paint: number[] = [];
        const interval: number[] = [];
        let last = 0;
        let i = 0;
        const step = (t: number) => {
          if (last) interval.push(t - last);
          last = t;
          const v = board.viewport();
          board.setViewport({ x: v.x + dx / v.zoom, y: v.y + dy / v.zoom, zoom: v.zoom });
          // reading a pixel makes the canvas rasterise now, so the figure includes that work
          const t0 = performance.now();
          board.renderNow();
          canvas.getContext('2d')!.getImageData(0, 0, 1, 1);
          paint.push(performance.now() - t0);
          if (++i < frames) requestAnimationFrame(step);
          else resolve({ paint, interval });
        };
        requestAnimationFrame(step);
      }),
    { frames, dx, dy },
  );
}

export const boardBenchmark: Benchmark = {
  name: 'board',
  description:
    'whiteboard: 10k-stroke load, pan frame time, update size, propagation latency ' +
    '(--strokes 10000 --frames 300 --naiveFrames 30 --messages 200 --runs 3 --parts join,chromium,load,layout)',
  async run(args) {
    const o = parseOptions(args);
    console.log('update size per edit (Yjs update bytes vs the element as JSON):');
    console.log(formatTable(['edit', 'Yjs update B', 'JSON B', 'ratio'], updateSizes()));

    const t0 = performance.now();
    const update = boardUpdate(o.strokes);
    console.log(
      `\nsynthetic board: ${o.strokes} strokes (20-120 points) over ${AREA.w} x ${AREA.h}, ` +
        `update ${(update.byteLength / 1e6).toFixed(2)} MB, built in ${fmt(performance.now() - t0, 0)} ms (Node)`,
    );
    if (o.parts.includes('join')) await boardJoinReport(update, o.strokes, o.runs);
    if (o.parts.includes('layout')) boardLayoutReport(update, o.strokes, Math.max(o.runs, 5));
    const onlyLoad = !o.parts.includes('chromium');
    if (onlyLoad && !o.parts.includes('load')) return;
    const b64 = Buffer.from(update).toString('base64');

    const app = await startApp();
    const browser = await launchBrowser();
    try {
      if (o.vs && onlyLoad) return await boardLoadPairs(browser, b64, o.strokes, o.runs, o.vs);
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await ctx.addInitScript(INIT('Bench'));

      // ---- load ----
      const loads: {
        apply: number;
        first: number;
        fit: number;
        exactFit: number;
        decode: number;
        naive100: number;
        naiveFit: number;
      }[] = [];
      let page: Page | null = null;
      for (let run = 0; run < o.runs; run++) {
        await page?.close();
        page = await ctx.newPage();
        await openBoard(page, `${app.origin}/r/${randomRoomId()}?debug`);
        loads.push(
          await page.evaluate((data) => {
            const board = (window as unknown as W).__peerboard!.board!;
            const bin = atob(data);
            const u = new Uint8Array(bin.length);
            for (let i = 0; i < bin.length; i++) u[i] = bin.charCodeAt(i);
            const canvas = document.querySelector<HTMLCanvasElement>(
              '[data-board-layer="elements"]',
            )!;
            // a frame = painting + rasterising it (reading a pixel forces the raster now)
            const frame = () => {
              const t = performance.now();
              board.renderNow();
              canvas.getContext('2d')!.getImageData(0, 0, 1, 1);
              return performance.now() - t;
            };
            const decode = board.decodeOnly(u);
            board.setViewport({ x: 2000, y: 1500, zoom: 1 });
            const a = performance.now();
            board.applyUpdate(u);
            const apply = performance.now() - a;
            const first = frame();
            board.zoomToFit();
            const fit = frame();
            // before level of detail: the same cold frame painted exactly
            board.setRenderMode('exact');
            const exactFit = frame();
            board.setRenderMode('naive');
            const naiveFit = frame();
            board.setViewport({ x: 2000, y: 1500, zoom: 1 });
            const naive100 = frame();
            board.setRenderMode('fast');
            board.setViewport({ x: 2000, y: 1500, zoom: 1 });
            frame();
            if (board.count() < 1) throw new Error('board did not load');
            return { apply, first, fit, exactFit, decode, naive100, naiveFit };
          }, b64),
        );
      }
      const m = (k: keyof (typeof loads)[number]) => median(loads.map((l) => l[k]));
      console.log(
        `\nload of ${o.strokes} strokes in Chromium (median of ${o.runs} fresh pages, ms):`,
      );
      console.log(
        formatTable(
          ['step', 'Peerboard', 'reference', 'reference is'],
          [
            [
              "apply a peer's update (decode + validate + index)",
              fmt(m('apply')),
              fmt(m('decode')),
              'Y.applyUpdate alone',
            ],
            [
              'first frame at 100% (paint + raster; a big board drafted)',
              fmt(m('first')),
              fmt(m('naive100')),
              'naive renderer',
            ],
            ['load total (apply + first frame)', fmt(m('apply') + m('first')), '-', ''],
            ['first frame, zoomed to fit all', fmt(m('fit')), fmt(m('naiveFit')), 'naive renderer'],
            ['', '', fmt(m('exactFit')), 'exact (no level of detail)'],
          ],
        ),
      );
      console.log(
        `apply / Y.applyUpdate alone: ${fmt(m('apply') / m('decode'), 2)}x; ` +
          `load total / Y.applyUpdate alone: ${fmt((m('apply') + m('first')) / m('decode'), 2)}x ` +
          `(per page: ${loads.map((l) => fmt(l.apply / l.decode, 2)).join(', ')})`,
      );
      if (onlyLoad) return;

      // ---- pan ----
      const p = page!;
      // idle time: y-indexeddb stores the update, the renderer builds the remaining Path2D
      await p.waitForTimeout(4000);
      const warm = await p.evaluate(() => {
        const board = (window as unknown as W).__peerboard!.board!;
        const canvas = document.querySelector<HTMLCanvasElement>('[data-board-layer="elements"]')!;
        board.zoomToFit();
        const t = performance.now();
        board.renderNow();
        canvas.getContext('2d')!.getImageData(0, 0, 1, 1);
        return { ms: performance.now() - t, stats: board.stats() };
      });
      console.log(
        `first frame zoomed to fit all after ${(warm.stats as { warmed: number }).warmed} paths were ` +
          `built in idle time: ${fmt(warm.ms)} ms`,
      );
      const pan = async (mode: 'fast' | 'naive' | 'exact', fit: boolean, frames: number) => {
        await p.evaluate(
          ({ mode, fit }) => {
            const board = (window as unknown as W).__peerboard!.board!;
            board.setRenderMode(mode);
            if (fit) board.zoomToFit();
            else board.setViewport({ x: 2000, y: 1500, zoom: 1 });
            board.renderNow();
          },
          { mode, fit },
        );
        return panFrames(p, frames, 12, 5);
      };
      const rows: (string | number)[][] = [];
      const row = (label: string, r: { paint: number[]; interval: number[] }) => {
        const a = summary(r.paint);
        const b = summary(r.interval);
        rows.push([
          label,
          r.paint.length,
          `${fmt(a.p50, 2)} / ${fmt(a.p99, 2)}`,
          `${fmt(b.p50)} / ${fmt(b.p99)}`,
        ]);
      };
      const k = `${o.strokes / 1000}k strokes`;
      row(`${k}, 100%, Peerboard`, await pan('fast', false, o.frames));
      row(`${k}, fit all, Peerboard`, await pan('fast', true, o.frames));
      row(`${k}, fit all, exact (no level of detail)`, await pan('exact', true, o.frames));
      row(`${k}, 100%, naive renderer`, await pan('naive', false, o.naiveFrames));
      row(`${k}, fit all, naive renderer`, await pan('naive', true, o.naiveFrames));
      await p.evaluate(() => (window as unknown as W).__peerboard!.board!.setRenderMode('fast'));
      const empty = await ctx.newPage();
      await openBoard(empty, `${app.origin}/r/${randomRoomId()}?debug`);
      const emptyPan = await panFrames(empty, o.frames, 12, 5);
      const emptyRow = (label: string) => row(label, emptyPan);
      emptyRow('empty board (reference)');
      console.log(`\npan, 12 x 5 CSS px per frame, 1280 x 800 viewport (ms, p50 / p99):`);
      console.log(formatTable(['case', 'frames', 'paint', 'rAF interval'], rows));

      // ---- reload from IndexedDB ----
      const reloadOnce = async (pg: Page, min: number) => {
        await pg.reload();
        await pg.waitForFunction(
          (n) => {
            const board = (window as unknown as W).__peerboard?.board;
            if (!board || board.count() < n) return false;
            const t = board.loadTimings();
            return (
              Number.isFinite(t.persisted) && (n === 0 || Number.isFinite(t.firstContentFrame))
            );
          },
          min,
          { timeout: 60_000, polling: 50 },
        );
        return pg.evaluate(() => (window as unknown as W).__peerboard!.board!.loadTimings());
      };
      const full: { persisted: number; firstContentFrame: number }[] = [];
      const none: { persisted: number; firstContentFrame: number }[] = [];
      for (let run = 0; run < o.runs; run++) {
        full.push(await reloadOnce(p, o.strokes));
        none.push(await reloadOnce(empty, 0));
      }
      const med = (
        xs: { persisted: number; firstContentFrame: number }[],
        k: 'persisted' | 'firstContentFrame',
      ) => median(xs.map((x) => x[k]));
      console.log(
        `\nreload, board from IndexedDB (median of ${o.runs}, ms since navigation start):`,
      );
      console.log(
        formatTable(
          ['milestone', `${o.strokes} strokes`, 'empty board (reference)'],
          [
            [
              'IndexedDB loaded and applied',
              fmt(med(full, 'persisted')),
              fmt(med(none, 'persisted')),
            ],
            ['first frame with the board', fmt(med(full, 'firstContentFrame')), '-'],
          ],
        ),
      );
      await empty.close();
      await p.close();

      // ---- propagation ----
      const id = randomRoomId();
      const pa = await ctx.newPage();
      const ctxB = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await ctxB.addInitScript(INIT('Bench B'));
      const pb = await ctxB.newPage();
      await openBoard(pa, `${app.origin}/r/${id}?debug`);
      await openBoard(pb, `${app.origin}/r/${id}?debug`);
      for (const pg of [pa, pb])
        await pg.waitForFunction(
          () => ((window as unknown as W).__peerboard?.room?.openPeers().length ?? 0) > 0,
          null,
          {
            timeout: 60_000,
          },
        );
      await pa.waitForTimeout(1000);
      await pb.evaluate(() => (window as unknown as W).__peerboard!.board!.trackArrivals(true));
      const drafts = Array.from({ length: o.messages }, () =>
        strokeFields(seededRandom(Math.random() * 1e9), 70),
      );
      const sent = await pa.evaluate(async (list) => {
        const board = (window as unknown as W).__peerboard!.board!;
        const out: [string, number][] = [];
        for (const d of list) {
          const t = performance.timeOrigin + performance.now();
          const elId = board.addElement(d);
          if (elId) out.push([elId, t]);
          await new Promise((r) => setTimeout(r, 25));
        }
        return out;
      }, drafts);
      await pb.waitForTimeout(1000);
      const latencies = await pb.evaluate(
        (list) =>
          list
            .map(([elId, t]) => {
              const at = (window as unknown as W).__peerboard!.board!.arrival(elId);
              return at === null ? null : at - t;
            })
            .filter((x): x is number => x !== null),
        sent,
      );
      const rtts = await pa.evaluate(
        async (n) => {
          const room = (window as unknown as W).__peerboard!.room!;
          const peer = room.openPeers()[0]!;
          const out: number[] = [];
          for (let i = 0; i < n; i++) {
            out.push(await room.ping(peer));
            await new Promise((r) => setTimeout(r, 10));
          }
          return out;
        },
        Math.min(o.messages, 200),
      );
      const lat = summary(latencies);
      const half = summary(rtts.map((r) => r / 2));
      console.log(
        `\nstroke propagation A -> B (addElement -> B's observer), two Chromium contexts (ms):`,
      );
      console.log(
        formatTable(
          ['what', 'n', 'p50', 'p99', 'max'],
          [
            [
              'stroke (70 points) A -> B',
              `${lat.n}/${sent.length}`,
              fmt(lat.p50, 2),
              fmt(lat.p99, 2),
              fmt(lat.max, 2),
            ],
            [
              'reference: data-channel ping RTT/2',
              half.n,
              fmt(half.p50, 2),
              fmt(half.p99, 2),
              fmt(half.max, 2),
            ],
          ],
        ),
      );
      await ctxB.close();
      await ctx.close();
    } finally {
      await browser.close().catch(() => undefined);
      await app.stop();
    }
  },
};
