/**
 * `peerboard keep <room link...> --data DIR`: a headless member of each room that stores the
 * room's document (board and chat: one Y.Doc) on disk and brings it back when it restarts, so a
 * board outlives its browsers: whoever joins syncs it from the keeper like from any peer.
 * Peers' updates pass the same checks as in the app (the session's default document check), and
 * it stores exactly the bytes it applied (the doc's update tap). Files offered in the room are
 * kept too, within quotas, and served to whoever joins later (keepFiles.ts), and so are the
 * board's images (keepImages.ts, keeperImages.ts).
 */
import * as Y from 'yjs';
import type { Session } from '@peerboard/core';
import { joinOptions, parse, ROOM_FLAGS, ROOM_FLAGS_HELP } from './common';
import { CliError, EXIT, EXIT_CODES_HELP } from './errors';
import { admitted, onInterrupt, openSession, type JoinOptions } from './join';
import { openKeeperStore, type KeeperStore } from './keeperStore';
import { DEFAULT_QUOTA, loadKeptFiles, parseSize, type FileQuota } from './keepFiles';
import { openKeeperImages } from './keeperImages';
import { keepBoardImages } from './keepImages';
import { parseRoomLink, type RoomLink } from './link';

export const KEEP_HELP = `Usage: peerboard keep <room link...> --data DIR [options]

Stays in the rooms and keeps their board and chat in DIR (an append-only log per room, compacted
as it grows; sealed with AES-GCM under a key derived from the room key for protected rooms), and
gives them to whoever joins, so a board outlives its browsers. Files offered in the room are
kept too (beside the log, sealed the same way), checked against their SHA-256, and served to
whoever joins later, after a restart too. Folders are not kept. The board's images are kept
too (each up to 2 MiB): fetched from whoever has them, checked, stored and served from DIR.
Runs until Ctrl-C.

Options:
  --data DIR               where the rooms are stored (required)
  --max-file-size SIZE     larger files are not kept (default 1G; 0 keeps no files)
  --max-total SIZE         all kept files and images of one room together (default 10G)
${ROOM_FLAGS_HELP}

${EXIT_CODES_HELP}`;

const FLAGS = {
  ...ROOM_FLAGS,
  data: { type: 'string' },
  'max-file-size': { type: 'string' },
  'max-total': { type: 'string' },
} as const;

/** the keeper's own loads: neither sent to peers nor stored again */
const LOAD_ORIGIN = { keeperLoad: true };

interface Kept {
  session: Session;
  store: KeeperStore;
  stop(): Promise<void>;
}

async function keepRoom(
  link: RoomLink,
  dir: string,
  o: JoinOptions,
  quota: FileQuota,
): Promise<Kept> {
  const store = await openKeeperStore(dir, link);
  const stored = await store.load().catch((e: Error) => {
    throw new CliError(`Cannot read ${store.file}: ${e.message}`, EXIT.failed);
  });
  const say = (msg: string) => process.stdout.write(`${link.display}: ${msg}\n`);
  const images = openKeeperImages(store.imagesDir, store.imagesKeys, {
    maxTotal: quota.maxTotal,
    otherUsed: () => files.used(),
    say,
  });
  const files = await loadKeptFiles(store, quota, say, () => images.used());
  const restoredImages = await images.load();
  const session = openSession(link, {
    ...o,
    session: { ...o.session, transfers: { ...o.session?.transfers, imageStore: images } },
  });
  const { doc, updates, provider } = session.doc;
  const unquiet = updates.quiet(LOAD_ORIGIN);
  if (stored.length > 0) Y.applyUpdate(doc, Y.mergeUpdates(stored), LOAD_ORIGIN);
  unquiet();
  const offs = [
    updates.onUpdate((update) => {
      void store.append(update).then(() => store.maybeCompact(() => Y.encodeStateAsUpdate(doc)));
    }),
    files.start(session),
    keepBoardImages(session),
  ];
  provider.pushState();
  process.stdout.write(
    `Keeping ${link.display} in ${store.file} (${stored.length} stored record${stored.length === 1 ? '' : 's'}, ${restoredImages} image${restoredImages === 1 ? '' : 's'}, ${files.restored} file${files.restored === 1 ? '' : 's'}).\n`,
  );
  return {
    session,
    store,
    async stop() {
      for (const off of offs) off();
      session.destroy();
      await store.flush();
    },
  };
}

export async function runKeep(
  args: readonly string[],
  join?: Partial<JoinOptions>,
): Promise<number> {
  const { values, positionals } = parse(args, FLAGS);
  if (values.help) {
    process.stdout.write(`${KEEP_HELP}\n`);
    return EXIT.ok;
  }
  if (positionals.length === 0)
    throw new CliError('Give at least one room link. See --help.', EXIT.usage);
  if (values.data === undefined)
    throw new CliError('Say where to keep the rooms: --data DIR.', EXIT.usage);
  const links = [];
  for (const raw of positionals) links.push(await parseRoomLink(raw, values.relay));
  const o = { ...joinOptions(values, 'peerboard keep'), ...join };
  const quota = {
    maxFile: parseSize(values['max-file-size'], '--max-file-size', DEFAULT_QUOTA.maxFile),
    maxTotal: parseSize(values['max-total'], '--max-total', DEFAULT_QUOTA.maxTotal),
  };
  const kept: Kept[] = [];
  const stopAll = async () => {
    await Promise.all(kept.map((k) => k.stop()));
  };
  onInterrupt(stopAll);
  try {
    for (const link of links) {
      const k = await keepRoom(link, values.data, o, quota);
      kept.push(k);
      await admitted(k.session, link, o.connectTimeoutMs);
    }
  } catch (e) {
    await stopAll();
    throw e;
  }
  process.stdout.write('Ready. Ctrl-C to stop.\n');
  // runs until a signal: onInterrupt stops the rooms and exits
  return new Promise<number>(() => {});
}
