/**
 * `peerboard receive <room link> [--dir D] [--yes]`: accepts the files and folders offered in the
 * room (asking y/N for each on a terminal, unless --yes), streams each file to D through a disk
 * sink (a folder's files under D/<folder>/ with their tree), and checks the SHA-256 of the file
 * on disk against the offer once core has verified it. Exits when every offer is answered, the
 * accepted files are final and nothing new came for a second.
 *
 * Resume: an interrupted download leaves `<name>.part` and a record in D/.peerboard/resume.json
 * (partials.ts). A rerun in the same room that is offered the same content reopens the part;
 * core re-checks each kept block against its SHA-256 and asks the sender only for the rest.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import readline from 'node:readline/promises';
import type { Session } from '@peerboard/core';
import {
  isFinal,
  makeFolderReceive,
  makeResumeStore,
  type FolderFileResult,
  type FolderView,
  type ResumeStore,
  type TransferView,
} from '@peerboard/core/transfer';
import { joinOptions, parse, peerName, ROOM_FLAGS, ROOM_FLAGS_HELP, seconds } from './common';
import { CliError, EXIT, EXIT_CODES_HELP } from './errors';
import { admitted, onInterrupt, openSession, type JoinOptions } from './join';
import { parseRoomLink } from './link';
import { hashed, makeJsonResumeBackend, resumeFile, sinkFor, under } from './partials';
import { formatBytes, makeProgress, type ProgressLine } from './progress';

export const RECEIVE_HELP = `Usage: peerboard receive <room link> [--dir D] [--yes] [options]

Receives the files and folders offered in the room into D (default: the current folder),
folders with their tree, checking each file against its SHA-256. A file cut off by an earlier
run (Ctrl-C, a crash) continues where it stopped: what is on disk is checked again, and only
the missing part is fetched. Asks before each file on a terminal; --yes accepts everything (needed when
the input is not a terminal). Exits once every offer is answered and the accepted files are in.

Options:
  --dir D                  where to write (created if missing)
  -y, --yes                accept every offer without asking
  --wait SECS              give up if nothing is offered within this long (default: wait)
${ROOM_FLAGS_HELP}

${EXIT_CODES_HELP}`;

const FLAGS = {
  ...ROOM_FLAGS,
  dir: { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  wait: { type: 'string' },
} as const;

/** How long everything must stay settled before we exit (a second offer may be on its way). */
const QUIET_MS = 1000;

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function runReceive(
  args: readonly string[],
  join?: Partial<JoinOptions>,
): Promise<number> {
  const { values, positionals } = parse(args, FLAGS);
  if (values.help) {
    process.stdout.write(`${RECEIVE_HELP}\n`);
    return EXIT.ok;
  }
  if (positionals.length !== 1)
    throw new CliError('Give exactly one room link. See --help.', EXIT.usage);
  const ask = values.yes !== true;
  if (ask && !process.stdin.isTTY)
    throw new CliError(
      'The input is not a terminal, so nobody can answer y/N: pass --yes to accept every offer.',
      EXIT.usage,
    );
  const waitMs = values.wait === undefined ? null : seconds(values.wait, '--wait', 0) * 1000;
  const link = await parseRoomLink(positionals[0]!, values.relay);
  const dir = path.resolve(values.dir ?? '.');
  await fs.mkdir(dir, { recursive: true }).catch((e: Error) => {
    throw new CliError(`Cannot create ${dir}: ${e.message}`, EXIT.failed);
  });
  const store = makeResumeStore(makeJsonResumeBackend(resumeFile(dir)), {
    roomId: link.roomId,
    secret: link.secret,
    async discardPlace(place) {
      const part = under(dir, place);
      if (part?.endsWith('.part')) await fs.rm(part, { force: true });
    },
  });
  const o = { ...joinOptions(values, 'peerboard receive'), ...join };
  const session = openSession(link, o, store);
  const stopInterrupt = onInterrupt(() => session.destroy());
  try {
    await admitted(session, link, o.connectTimeoutMs);
    process.stdout.write(`Joined ${link.display}. Waiting for files (Ctrl-C to stop).\n`);
    return await receiveAll(session, { dir, ask, waitMs, store });
  } finally {
    stopInterrupt();
    session.destroy();
  }
}

interface ReceiveContext {
  dir: string;
  ask: boolean;
  waitMs: number | null;
  store: ResumeStore;
}

function receiveAll(session: Session, c: ReceiveContext): Promise<number> {
  const progress = makeProgress();
  const names = new Map<string, string>();
  /** offers we answered (or are asking about) -> where the file goes (null: declined) */
  const handled = new Map<string, string | null>();
  /** our own SHA-256 check of the file on disk, after core verified it */
  const checked = new Map<string, 'checking' | 'ok' | 'bad'>();
  /** folders: asking, declined, receiving, or their files' results */
  const folders = new Map<string, 'asking' | 'declined' | 'receiving' | FolderFileResult[]>();
  /** a folder's file -> its folder and its label (folder/path) */
  const members = new Map<string, { folder: string; label: string }>();
  let asking: Promise<unknown> = Promise.resolve();
  /** no redraw while a y/N question is on screen: the bars would move the cursor over it */
  let questionOpen = false;
  const held: string[] = [];
  /** a message now, or after the question on screen is answered */
  const say = (msg: string) => (questionOpen ? held.push(msg) : progress.note(msg));
  const rl = c.ask
    ? readline.createInterface({ input: process.stdin, output: process.stdout })
    : null;
  const labelOf = (v: TransferView) => members.get(v.id)?.label ?? v.name;
  const continuing = (label: string, kept: number) => {
    if (kept > 0)
      say(`${label}: continuing from ${formatBytes(kept)} kept on disk (checked again first).`);
  };

  const question = async (text: string): Promise<boolean> => {
    if (!rl) return true;
    questionOpen = true;
    let reply = '';
    try {
      reply = await rl.question(text);
    } catch {
      // input closed (Ctrl-D): no answer is a no
    } finally {
      questionOpen = false;
      for (const msg of held.splice(0)) progress.note(msg);
    }
    return /^y(es)?$/i.test(reply.trim());
  };

  return new Promise<number>((resolve) => {
    let quietSince: number | null = null;
    const startedAt = Date.now();

    const answer = async (v: TransferView) => {
      const from = peerName(names, v.peerId);
      if (!(await question(`${from} offers ${v.name} (${formatBytes(v.size)}). Accept? [y/N] `))) {
        handled.set(v.id, null);
        return session.transfers.decline(v.id);
      }
      const { sink, target, kept } = await sinkFor(v, c.dir, v.name, c);
      handled.set(v.id, target);
      continuing(v.name, kept);
      await session.transfers
        .accept(v.id, sink)
        .catch((e: Error) => say(`${v.name}: ${e.message}`));
    };

    const answerFolder = async (f: FolderView) => {
      const from = peerName(names, f.peerId);
      const what = `${f.fileCount} file${f.fileCount === 1 ? '' : 's'}, ${formatBytes(f.bytes)}`;
      if (!(await question(`${from} offers the folder ${f.name} (${what}). Accept? [y/N] `))) {
        folders.set(f.id, 'declined');
        return render();
      }
      // core refused unsafe paths already; resolving under D is the second lock
      const root = under(c.dir, f.name);
      if (!root) throw new Error(`the folder name ${JSON.stringify(f.name)} cannot be used here`);
      for (const d of f.dirs) {
        const full = under(root, d);
        if (full) await fs.mkdir(full, { recursive: true });
      }
      folders.set(f.id, 'receiving');
      const receive = makeFolderReceive(session.transfers, f.id, {
        async sinkFor(file) {
          await hashed(session, file.id);
          const v = session.transfers.get(file.id);
          const full = under(root, file.path);
          if (!v || !full) throw new Error(`${f.name}/${file.path}: not a path inside ${f.name}`);
          const got = await sinkFor(v, path.dirname(full), path.basename(full), c);
          handled.set(file.id, got.target);
          continuing(`${f.name}/${file.path}`, got.kept);
          return got.sink;
        },
      });
      void receive.finished.then((results) => {
        for (const r of results)
          if (r.state !== 'done')
            say(`${f.name}/${r.path}: ${r.state}${r.error ? ` (${r.error})` : ''}`);
        folders.set(f.id, results);
        render();
      });
    };

    const verify = async (v: TransferView, target: string) => {
      checked.set(v.id, 'checking');
      const actual = await sha256File(target).catch(() => 'unreadable');
      const ok = actual === v.sha256;
      checked.set(v.id, ok ? 'ok' : 'bad');
      say(
        ok
          ? `${target}: SHA-256 ${actual} verified`
          : `${target}: SHA-256 mismatch (got ${actual})`,
      );
      render();
    };

    const render = () => {
      for (const p of session.room.snapshot().peers) names.set(p.id, p.name);
      // folders first: their files must be known as theirs before they are seen as offers
      for (const f of session.transfers.folders()) {
        if (f.direction !== 'in' || folders.has(f.id)) continue;
        folders.set(f.id, 'asking');
        for (const m of f.files) members.set(m.id, { folder: f.id, label: `${f.name}/${m.path}` });
        asking = asking
          .then(() => answerFolder(f))
          .catch((e: Error) => {
            progress.note(`${f.name}: ${e.message}`);
            folders.set(f.id, 'declined');
          });
      }
      const incoming = session.transfers.list().filter((v) => v.direction === 'in');
      for (const v of incoming) {
        const member = members.get(v.id);
        if (member) {
          if (folders.get(member.folder) === 'declined' && v.state === 'offered') {
            handled.set(v.id, null);
            session.transfers.decline(v.id);
          }
        } else if (!handled.has(v.id) && v.state === 'offered' && v.sha256 !== null) {
          // the hash comes with a later copy of the offer: accept once it is known
          handled.set(v.id, '');
          asking = asking
            .then(() => answer(v))
            .catch((e: Error) => {
              progress.note(`${v.name}: ${e.message}`);
              handled.set(v.id, null);
              session.transfers.decline(v.id);
            });
        }
        const target = handled.get(v.id);
        if (v.state === 'done' && target && !checked.has(v.id)) void verify(v, target);
      }
      const lines: ProgressLine[] = incoming
        .filter((v) => handled.get(v.id))
        .map((v) => ({
          key: v.id,
          label: `${labelOf(v)} <- ${peerName(names, v.peerId)}`,
          bytes: v.bytes,
          total: v.size,
          state: v.error && v.state !== 'done' ? `${v.state}: ${v.error}` : v.state,
          speed: v.speed,
        }));
      if (!questionOpen) progress.render(lines);

      const accepted = incoming.filter((v) => handled.get(v.id));
      const folderStates = [...folders.values()];
      const settled =
        incoming.length > 0 &&
        folderStates.every((s) => s === 'declined' || Array.isArray(s)) &&
        incoming.every(
          (v) => (members.has(v.id) || handled.has(v.id)) && handled.get(v.id) !== '',
        ) &&
        accepted.every(
          (v) =>
            isFinal(v.state) &&
            (v.state !== 'done' || (checked.get(v.id) ?? 'checking') !== 'checking'),
        );
      const now = Date.now();
      if (!settled) quietSince = null;
      else if (quietSince === null) quietSince = now;
      else if (now - quietSince >= QUIET_MS) {
        const allIn = folderStates.every(
          (s) => s === 'declined' || (Array.isArray(s) && s.every((r) => r.state === 'done')),
        );
        return finish(
          allIn && accepted.every((v) => checked.get(v.id) === 'ok') ? EXIT.ok : EXIT.failed,
        );
      }
      if (c.waitMs !== null && incoming.length === 0 && now - startedAt > c.waitMs) {
        progress.note('Nothing was offered in time.');
        finish(EXIT.timeout);
      }
    };

    const offs = [session.transfers.on('change', render), session.room.on('change', render)];
    const tick = setInterval(render, 250);
    function finish(code: number) {
      clearInterval(tick);
      for (const off of offs) off();
      rl?.close();
      progress.finish();
      resolve(code);
    }
  });
}
