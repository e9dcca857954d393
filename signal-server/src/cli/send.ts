/**
 * `peerboard send <files or folders...> <room link>`: offers the files to everyone in the room
 * and to whoever joins while it waits, one progress bar per file and receiver, and exits 0 once
 * every peer in the room has answered every file and at least one accepted copy is verified by
 * its receiver (the receiver checks the SHA-256 and says `done`). Ctrl-C says goodbye and exits.
 */
import type { Session } from '@peerboard/core';
import type { TransferView } from '@peerboard/core/transfer';
import { joinOptions, parse, peerName, ROOM_FLAGS, ROOM_FLAGS_HELP } from './common';
import { CliError, EXIT, EXIT_CODES_HELP } from './errors';
import { fileSource, filesToSend } from './files';
import { admitted, onInterrupt, openSession, type JoinOptions } from './join';
import { parseRoomLink } from './link';
import { makeProgress, type ProgressLine } from './progress';

export const SEND_HELP = `Usage: peerboard send <files or folders...> <room link> [options]

Offers files to everyone in the room (and to whoever joins while it waits) straight over WebRTC,
with a progress bar per receiver. A folder is offered as one folder: receivers get its tree
(sub-folders, empty ones too), each file verified on its own. Exits once every peer in the room
has answered every file and the accepted copies are verified (SHA-256).

Options:
${ROOM_FLAGS_HELP}

${EXIT_CODES_HELP}`;

const FINAL = new Set(['done', 'declined', 'failed', 'cancelled']);

/**
 * Every open peer answered every file, no copy is in flight to a peer still here, and at least
 * one copy is verified.
 */
function settled(files: readonly TransferView[], open: readonly string[]): boolean {
  let verified = 0;
  for (const f of files) {
    if (f.state !== 'offered') return false;
    for (const peer of open) {
      const r = f.receivers.find((x) => x.peerId === peer);
      if (!r || !FINAL.has(r.state)) return false;
    }
    for (const r of f.receivers) {
      // one who left may be back (same client id) to finish; a restarted process is a new one
      if (r.state === 'receiving' || (r.state === 'left' && open.includes(r.peerId))) return false;
      if (r.state === 'done') verified++;
    }
  }
  return verified > 0;
}

export async function runSend(
  args: readonly string[],
  join?: Partial<JoinOptions>,
): Promise<number> {
  const { values, positionals } = parse(args, ROOM_FLAGS);
  if (values.help) {
    process.stdout.write(`${SEND_HELP}\n`);
    return EXIT.ok;
  }
  if (positionals.length < 2)
    throw new CliError(
      'Give the files or folders to send, then the room link. See --help.',
      EXIT.usage,
    );
  const link = await parseRoomLink(positionals[positionals.length - 1]!, values.relay);
  const files = await filesToSend(positionals.slice(0, -1));
  const o = { ...joinOptions(values, 'peerboard send'), ...join };
  const session = openSession(link, o);
  const stopInterrupt = onInterrupt(() => session.destroy());
  try {
    await admitted(session, link, o.connectTimeoutMs);
    return await offerAll(session, files, link.display);
  } finally {
    stopInterrupt();
    session.destroy();
  }
}

async function offerAll(
  session: Session,
  files: Awaited<ReturnType<typeof filesToSend>>,
  display: string,
): Promise<number> {
  const progress = makeProgress();
  const ids: string[] = [];
  /** a folder's files are shown with their path */
  const labels = new Map<string, string>();
  let count = 0;
  for (const f of files) {
    if (f.kind === 'file') {
      ids.push(session.transfers.offer(await fileSource(f.file, f.name)));
      count++;
      continue;
    }
    const folder = session.transfers.offerFolder({
      name: f.name,
      files: await Promise.all(
        f.files.map(async (m) => ({ path: m.path, source: await fileSource(m.file, m.path) })),
      ),
      dirs: f.dirs,
    });
    const view = session.transfers.folder(folder)!;
    for (const s of view.skipped) progress.note(`Left out ${f.name}/${s.path}: ${s.reason}`);
    // its files are offered a few at a time as they are hashed: wait for every one
    for (const m of view.files) labels.set(m.id, `${view.name}/${m.path}`);
    ids.push(...view.files.map((m) => m.id));
    count += view.files.length;
  }
  progress.note(
    `Offering ${count} file${count === 1 ? '' : 's'} in ${display}. Waiting for receivers (Ctrl-C to stop).`,
  );
  const names = new Map<string, string>();
  return new Promise<number>((resolve) => {
    const render = () => {
      for (const p of session.room.snapshot().peers) names.set(p.id, p.name);
      const views = ids.map((id) => session.transfers.get(id)).filter((v) => v !== null);
      const lines: ProgressLine[] = [];
      for (const v of views) {
        const label = labels.get(v.id) ?? v.name;
        if (v.state === 'preparing')
          lines.push({
            key: v.id,
            label,
            bytes: v.bytes,
            total: v.size,
            state: 'hashing',
            speed: null,
          });
        for (const r of v.receivers)
          lines.push({
            key: `${v.id}:${r.peerId}`,
            label: `${label} -> ${peerName(names, r.peerId)}`,
            bytes: r.bytes,
            total: v.size,
            state: r.state === 'done' ? 'verified' : r.error ? `${r.state}: ${r.error}` : r.state,
            speed: r.speed,
          });
        if (v.state === 'failed' || v.state === 'cancelled')
          lines.push({
            key: v.id,
            label,
            bytes: 0,
            total: v.size,
            state: `${v.state}: ${v.error ?? ''}`,
            speed: null,
          });
      }
      progress.render(lines);
      const failed = views.find((v) => v.state === 'failed');
      if (failed)
        return finish(
          EXIT.failed,
          `Could not offer ${labels.get(failed.id) ?? failed.name}: ${failed.error ?? 'failed'}`,
        );
      if (views.length === ids.length && settled(views, session.room.openPeers())) {
        const bad = views.some((v) => v.receivers.some((r) => r.state === 'failed'));
        finish(
          bad ? EXIT.failed : EXIT.ok,
          bad ? 'Some receivers failed.' : 'All accepted copies are verified.',
        );
      }
    };
    const offs = [session.transfers.on('change', render), session.room.on('change', render)];
    const tick = setInterval(render, 1000);
    function finish(code: number, msg: string) {
      clearInterval(tick);
      for (const off of offs) off();
      progress.finish();
      process.stdout.write(`${msg}\n`);
      resolve(code);
    }
  });
}
