/**
 * Leaving -> gone at the other side, in Chromium (two contexts of one headless Chromium, the
 * built app, the real server). Alice waits in a room; per round Bob opens the room in a new tab,
 * connects, and leaves in one of three ways, in turn:
 * - tab closed: `page.close({ runBeforeUnload: true })`, a user closing the tab (the figure);
 * - navigated away to about:blank (same-run reference: the app's own cleanup also runs);
 * - tab closed with the pagehide goodbye suppressed (an init script swallows `pagehide`
 *   listeners): what is left is the relay's peer_left plus PEER_LEFT_GRACE_MS of silence on the
 *   link, the backstop when a `bye` is lost. Before the `bye` a closed tab took 15-17 s (ICE
 *   consent failure), see BENCHMARKS.md "Presence".
 * Times run from the Node-side call that closes or navigates (Date.now()) to the first room
 * `change` in Alice's page whose peer list lacks Bob (performance.timeOrigin + now(), the same
 * wall clock), so no poll interval enters a figure. Alice's `peer_close` reason is counted.
 */
import type { Page } from 'playwright-core';
import type { Room } from '@peerboard/core';
import {
  formatTable,
  latencyHeaders,
  latencyRow,
  sleep,
  summary,
  type Benchmark,
} from '@peerboard/bench-kit';
import { list, options, positiveInt } from './args';
import { clientId, randomRoomId, startBrowserBench } from './core-browser';

type Way = 'close' | 'navigate' | 'close-no-bye';
const WAYS: Record<Way, string> = {
  close: 'tab closed (pagehide: bye) -> gone at Alice',
  navigate: 'reference: navigated away -> gone at Alice',
  'close-no-bye': 'reference: tab closed, no bye (peer_left + grace)',
};

interface Gone {
  epoch: number;
  reason: string | null;
}
type Watch = { __gone: Record<string, Gone>; __peerboard: { room: Room } };

/** In Alice's page: for every peer seen, when it left the peer list and with which reason. */
function watchAlice(): void {
  const w = window as unknown as Watch;
  w.__gone = {};
  const seen = new Set<string>();
  const reasons = new Map<string, string>();
  const room = w.__peerboard.room;
  room.on('peer_close', ({ id, reason }) => reasons.set(id, reason));
  room.on('change', (snap) => {
    const now = performance.timeOrigin + performance.now();
    const ids = new Set(snap.peers.map((p) => p.id));
    for (const id of ids) seen.add(id);
    for (const id of seen)
      if (!ids.has(id)) {
        seen.delete(id);
        w.__gone[id] = { epoch: now, reason: reasons.get(id) ?? null };
      }
  });
}

/** Bob's pages in this context register no pagehide listener: the app cannot say goodbye. */
const NO_PAGEHIDE = `(() => {
  const add = window.addEventListener.bind(window);
  window.addEventListener = (type, ...rest) => type === 'pagehide' ? undefined : add(type, ...rest);
})()`;

const gone = (alice: Page, id: string) =>
  alice.evaluate((bob) => (window as unknown as Watch).__gone[bob] ?? null, id);

export async function runPresence(rounds: number): Promise<void> {
  const bench = await startBrowserBench();
  const times: Record<Way, number[]> = { close: [], navigate: [], 'close-no-bye': [] };
  const reasons: Record<Way, Record<string, number>> = {
    close: {},
    navigate: {},
    'close-no-bye': {},
  };
  try {
    const url = bench.roomUrl(randomRoomId());
    const alice = await (await bench.context('Alice')).newPage();
    await alice.goto(url);
    await clientId(alice);
    await alice.evaluate(watchAlice);
    const bob = await bench.context('Bob');
    const silentBob = await bench.context('Bob');
    await silentBob.addInitScript(NO_PAGEHIDE);
    const ways = Object.keys(WAYS) as Way[];
    for (let i = 0; i < rounds + 1; i++)
      for (const way of ways) {
        const page = await (way === 'close-no-bye' ? silentBob : bob).newPage();
        await page.goto(url);
        const id = await clientId(page);
        await alice.waitForFunction(
          (bobId) =>
            (window as unknown as Watch).__peerboard.room
              .snapshot()
              .peers.some((p) => p.id === bobId && p.state === 'direct'),
          id,
          { timeout: 30_000, polling: 20 },
        );
        await sleep(300); // let the first stats and pings settle, as on a real page
        const t0 = Date.now();
        if (way === 'navigate') await page.goto('about:blank');
        else await page.close({ runBeforeUnload: true });
        await alice.waitForFunction(
          (bobId) => (window as unknown as Watch).__gone[bobId] !== undefined,
          id,
          { timeout: 30_000, polling: 50 },
        );
        const g = (await gone(alice, id))!;
        if (way === 'navigate') await page.close();
        if (i === 0) continue; // warm-up
        times[way].push(g.epoch - t0);
        const r = g.reason ?? 'none';
        reasons[way][r] = (reasons[way][r] ?? 0) + 1;
      }
  } finally {
    await bench.close();
  }
  const ref = summary(times.navigate);
  console.log(
    `\nChromium (two contexts, built app, real server), ${rounds} rounds after 1 warm-up`,
  );
  console.log(
    formatTable(
      [...latencyHeaders('Bob leaves'), 'close reasons at Alice'],
      (Object.keys(WAYS) as Way[]).map((way) => [
        ...latencyRow(WAYS[way], summary(times[way]), way === 'navigate' ? null : ref),
        Object.entries(reasons[way])
          .map(([k, n]) => `${k} ${n}`)
          .join(', '),
      ]),
    ),
  );
}

export const presenceBenchmark: Benchmark = {
  name: 'presence',
  description:
    'tab closed -> peer gone at the other side (Chromium), vs navigating away and vs no goodbye ' +
    '(--env chromium --rounds 20)',
  async run(args) {
    const o = options(args, { env: 'chromium', rounds: '20' });
    const rounds = positiveInt('rounds', o.rounds);
    for (const env of list(o.env)) {
      if (env === 'chromium') await runPresence(rounds);
      else throw new Error(`unknown --env ${env} (chromium)`);
    }
  },
};
