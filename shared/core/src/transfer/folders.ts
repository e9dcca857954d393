/**
 * Shared folders on top of makeTransfers: the sender's manifests (announced before the member
 * offers, to everyone and to each peer that opens a link later) and the receiver's trees, which
 * decide whether an offer that claims to belong to a folder is one of its files. A folder that
 * breaks a rule (see folder.ts) is refused whole: it is never shown and its offers are dropped.
 */
import { FOLDER_MAX_PER_PEER } from '@peerboard/protocol';
import {
  baseName,
  makeFolderTree,
  manifestPages,
  pathProblem,
  type FolderEntry,
  type FolderPage,
  type FolderTree,
} from './folder';
import { cleanFileName, newTransferId, type FileControl, type FileOffer } from './messages';
import type { FileSource } from './source';

export interface FolderSource {
  name: string;
  files: { path: string; source: FileSource }[];
  /** empty directories (paths relative to the folder) */
  dirs?: string[];
  /** entries the picker could not read (named to the person sharing, not offered) */
  skipped?: { path: string; reason: string }[];
}

export interface FolderView {
  id: string;
  direction: 'in' | 'out';
  name: string;
  /** the offerer (our own client id for a folder we share) */
  peerId: string;
  fileCount: number;
  bytes: number;
  /** one per file: its path in the folder and the id of its transfer */
  files: { path: string; id: string; size: number }[];
  dirs: string[];
  /** outgoing: entries left out when it was offered, with the reason */
  skipped: { path: string; reason: string }[];
}

export interface FoldersCtx {
  clientId: string;
  sendControl(peerId: string, msg: FileControl): boolean;
  broadcast(msg: FileControl): void;
  /** starts offering one member file (no merging with twins: a folder keeps every file) */
  offerMember(id: string, source: FileSource, name: string, folder: string): void;
  /** a member transfer is still offered (so the folder is worth announcing) */
  isLive(transferId: string): boolean;
  /** a member transfer is being hashed */
  isPreparing(transferId: string): boolean;
  /** a peer has an open link now */
  isOpen(peerId: string): boolean;
  /** the transfer that carries on for `transferId` (a re-shared folder's file), else itself */
  resolve(transferId: string): string;
  changed(): void;
}

interface Record_ {
  id: string;
  from: string;
  tree: FolderTree;
  head: FolderPage;
  refused: string | null;
  /** the same folder, re-shared: hidden, its files carry on those of this earlier folder */
  into?: string;
}

/** Same name, total, and the same paths with the same sizes (dirs included). */
function sameTree(a: Record_, b: Record_): boolean {
  if (a.head.name !== b.head.name || a.head.bytes !== b.head.bytes) return false;
  if (a.head.count !== b.head.count) return false;
  const sizes = new Map(a.tree.files().map((f) => [f.path, f.size]));
  const dirs = new Set(a.tree.dirs());
  return (
    b.tree.files().every((f) => sizes.get(f.path) === f.size) &&
    b.tree.dirs().every((d) => dirs.has(d))
  );
}

/**
 * Member files hashed at once. Each hash holds its own hashers and a block or two: a folder of
 * thousands of files is prepared a few files at a time, their offers following one by one.
 */
const PREPARE_AT_ONCE = 2;

export function makeFolders(ctx: FoldersCtx) {
  const outgoing = new Map<string, { view: FolderView; pages: FolderPage[] }>();
  const waiting: { id: string; source: FileSource; name: string; folder: string }[] = [];
  let preparing: string[] = [];
  let pumping = false;
  const pump = () => {
    // offering a member reports its state at once, which calls pump again
    if (pumping) return;
    pumping = true;
    try {
      preparing = preparing.filter((id) => ctx.isPreparing(id));
      while (preparing.length < PREPARE_AT_ONCE && waiting.length > 0) {
        const m = waiting.shift()!;
        ctx.offerMember(m.id, m.source, m.name, m.folder);
        preparing.push(m.id);
      }
    } finally {
      pumping = false;
    }
  };
  const incoming = new Map<string, Record_>();
  const memberOf = new Map<string, string>();
  /** incoming folders the person declined: files offered later are declined as they come */
  const declined = new Set<string>();
  /** a re-shared folder's file -> the same path's file in the folder it carries on */
  const carried = new Map<string, string>();

  /**
   * A sender who left and came back shares the same folder again (a new id, new file ids): the
   * new folder is not shown; its files carry on those of the folder we already have, each file
   * where it stands (transfers.ts decides per file).
   */
  const adopt = (r: Record_) => {
    const earlier = [...incoming.values()].find(
      (o) =>
        o !== r &&
        o.into === undefined &&
        !o.refused &&
        o.tree.complete &&
        o.from !== r.from &&
        !ctx.isOpen(o.from) &&
        !declined.has(o.id) &&
        sameTree(o, r),
    );
    if (!earlier) return;
    r.into = earlier.id;
    earlier.from = r.from;
    const byPath = new Map(earlier.tree.files().map((f) => [f.path, f.id]));
    for (const f of r.tree.files()) carried.set(f.id, byPath.get(f.path)!);
  };

  const viewIn = (r: Record_): FolderView => ({
    id: r.id,
    direction: 'in',
    // becomes a directory name or a zip's top folder: no separators, '..' or bidi controls
    name: cleanFileName(r.head.name),
    peerId: r.from,
    fileCount: r.tree.files().length,
    bytes: r.head.bytes,
    files: r.tree.files().map((f) => ({ ...f, id: ctx.resolve(f.id) })),
    dirs: r.tree.dirs(),
    skipped: [],
  });

  return {
    offer(folder: FolderSource): string {
      const id = newTransferId();
      const name = cleanFileName(folder.name).slice(0, 255);
      const skipped: FolderView['skipped'] = [...(folder.skipped ?? [])];
      const files: FolderView['files'] = [];
      const members: { id: string; source: FileSource; path: string }[] = [];
      for (const f of folder.files) {
        const problem = pathProblem(f.path);
        if (problem) {
          skipped.push({ path: f.path, reason: `it has ${problem}` });
          continue;
        }
        const tid = newTransferId();
        files.push({ path: f.path, id: tid, size: f.source.size });
        members.push({ id: tid, source: f.source, path: f.path });
      }
      const dirs = (folder.dirs ?? []).filter((d) => {
        const problem = pathProblem(d);
        if (problem) skipped.push({ path: d, reason: `it has ${problem}` });
        return !problem;
      });
      const entries: FolderEntry[] = [
        ...files.map((f) => ({ p: f.path, f: f.id, s: f.size })),
        ...dirs.map((p) => ({ p })),
      ];
      const bytes = files.reduce((n, f) => n + f.size, 0);
      const pages = manifestPages({ id, name, bytes }, entries);
      const view: FolderView = {
        id,
        direction: 'out',
        name,
        peerId: ctx.clientId,
        fileCount: files.length,
        bytes,
        files,
        dirs,
        skipped,
      };
      outgoing.set(id, { view, pages });
      // the manifest goes first: receivers only take member offers of a folder they know whole
      for (const p of pages) ctx.broadcast(p);
      for (const m of members) {
        memberOf.set(m.id, id);
        waiting.push({
          id: m.id,
          source: m.source,
          name: cleanFileName(baseName(m.path)),
          folder: id,
        });
      }
      pump();
      ctx.changed();
      return id;
    },

    /** a peer's link opened: the manifests of folders we still share, before their offers */
    announce(peerId: string) {
      for (const { view, pages } of outgoing.values())
        if (view.files.some((f) => ctx.isLive(f.id)) || view.files.length === 0)
          for (const p of pages) ctx.sendControl(peerId, p);
    },

    /** a manifest page; returns a drop reason or null */
    onPage(from: string, page: FolderPage): string | null {
      let r = incoming.get(page.id);
      if (r && r.from !== from) return "folder reuses the id of another peer's folder";
      if (outgoing.has(page.id)) return 'folder reuses the id of our own folder';
      if (r?.refused) return `folder already refused: ${r.refused}`;
      // the offerer announces again when its link comes back: a complete tree stays as it is
      if (r?.tree.complete && page.first === 0) return null;
      if (!r || page.first === 0) {
        if (
          !r &&
          [...incoming.values()].filter((x) => x.from === from).length >= FOLDER_MAX_PER_PEER
        )
          return 'too many folders from this peer';
        if (r) for (const f of r.tree.files()) memberOf.delete(f.id);
        r = {
          id: page.id,
          from,
          head: page,
          refused: null,
          tree: makeFolderTree(page, (tid) => memberOf.has(tid)),
        };
        incoming.set(page.id, r);
      }
      const why = r.tree.add(page);
      if (why) {
        r.refused = why;
        for (const f of r.tree.files()) memberOf.delete(f.id);
        ctx.changed();
        return `folder "${page.name}" refused: ${why}`;
      }
      for (const f of page.entries) if (f.f) memberOf.set(f.f, page.id);
      if (r.tree.complete) {
        adopt(r);
        ctx.changed();
      }
      return null;
    },

    /** an offer that names a folder: null if it is one of that folder's files, else why not */
    admit(from: string, offer: FileOffer): string | null {
      const r = offer.folder === undefined ? undefined : incoming.get(offer.folder);
      if (!r || r.from !== from) return 'offer names a folder this peer did not announce';
      if (r.refused) return 'offer of a refused folder';
      if (!r.tree.complete) return 'offer before its folder manifest was complete';
      const path = r.tree.pathOf(offer.id);
      if (path === undefined) return 'offer is not in its folder manifest';
      if (r.tree.sizeOf(offer.id) !== offer.size) return 'offer size differs from the manifest';
      if (offer.name !== cleanFileName(baseName(path)))
        return 'offer name differs from the manifest';
      return null;
    },

    isMember: (transferId: string) => memberOf.has(transferId),

    /** receiver: declines an incoming folder, its files offered so far and those to come */
    decline(id: string) {
      if (incoming.has(id)) declined.add(id);
    },
    isDeclined: (id: string) => declined.has(id),

    /** a re-shared folder's file: the id of the file it carries on (see adopt), if any */
    predecessor: (transferId: string) => carried.get(transferId),

    /** a transfer of ours changed state: start hashing the next waiting files */
    pump,

    /** files of a folder of ours not offered yet (they follow as others finish hashing) */
    queued: (id: string) => waiting.filter((m) => m.folder === id).length,

    list(): FolderView[] {
      return [
        ...[...outgoing.values()].map((o) => o.view),
        ...[...incoming.values()]
          .filter((r) => !r.refused && r.tree.complete && r.into === undefined)
          .map(viewIn),
      ];
    },

    get(id: string): FolderView | null {
      const out = outgoing.get(id);
      if (out) return out.view;
      const r = incoming.get(id);
      return r && !r.refused && r.tree.complete && r.into === undefined ? viewIn(r) : null;
    },

    /** stops offering the files of a folder of ours that were not offered yet */
    unqueue(id: string) {
      for (let i = waiting.length - 1; i >= 0; i--)
        if (waiting[i]!.folder === id) waiting.splice(i, 1);
    },

    remove(id: string) {
      const files = outgoing.get(id)?.view.files ?? incoming.get(id)?.tree.files() ?? [];
      for (const f of files) memberOf.delete(f.id);
      outgoing.delete(id);
      incoming.delete(id);
      declined.delete(id);
      for (const r of [...incoming.values()])
        if (r.into === id) {
          for (const f of r.tree.files()) {
            memberOf.delete(f.id);
            carried.delete(f.id);
          }
          incoming.delete(r.id);
        }
      ctx.changed();
    },
  };
}

export type Folders = ReturnType<typeof makeFolders>;
