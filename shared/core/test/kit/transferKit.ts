/**
 * Transfer test kit: people with makeTransfers on a real room (joinRoom: the real relay, real
 * @roamhq/wrtc peers), the relay started once per test file and everybody left after each test,
 * and the steps most file tests share: wait for the mesh, offer until the receiver knows the
 * file's hash, accept until done, read what arrived.
 */
import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, expect, vi } from 'vitest';
import {
  bytesSource,
  makeTransfers,
  type Transfers,
  type TransfersOptions,
} from '../../src/transfer';
import type { RoomOptions } from '../../src/types';
import { fullMesh, joinRoom, startRelay, wrtc, type Relay, type TestPeer } from './relay';

export const MiB = 1024 * 1024;
export const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

export interface FilePeer {
  peer: TestPeer;
  files: Transfers;
}

export interface FileRelay {
  /** the running relay (from beforeAll on) */
  readonly relay: Relay;
  /** joins `roomId` with transfers (`options`; their log goes to peer.logs) */
  join(
    roomId: string,
    name: string,
    options?: Omit<TransfersOptions, 'room'>,
    room?: Partial<RoomOptions>,
  ): FilePeer;
  /** ends that person's transfers and room now (as a closed tab would) */
  leave(p: FilePeer): void;
  /** something else the test started (a raw peer), destroyed after the test with the rest */
  track(thing: { destroy(): void }): void;
}

/**
 * One relay for the calling test file (beforeAll / afterAll) and, after each test, everybody
 * joined through it leaves, latest first.
 */
export function useFileRelay(): FileRelay {
  let relay: Relay | undefined;
  const live: { destroy(): void }[] = [];
  const leave = (p: FilePeer) => {
    p.files.destroy();
    p.peer.room.destroy();
  };
  beforeAll(async () => {
    relay = await startRelay();
  });
  afterEach(() => {
    for (const p of live.splice(0).reverse()) p.destroy();
  });
  afterAll(async () => {
    await relay?.close();
  });
  return {
    get relay() {
      if (!relay) throw new Error('the relay starts in beforeAll');
      return relay;
    },
    join(roomId, name, options = {}, room = {}) {
      const peer = joinRoom(this.relay.url, roomId, name, room);
      const files = makeTransfers({
        log: (m) => peer.logs.push(`files: ${m}`),
        ...options,
        room: peer.room,
      });
      const p = { peer, files };
      live.push({ destroy: () => leave(p) });
      return p;
    },
    leave,
    track: (thing) => void live.push(thing),
  };
}

/** Everybody has an open direct link to everybody else. */
export const meshed = (...people: FilePeer[]) =>
  vi.waitFor(() => expect(fullMesh(people.map((p) => p.peer))).toBe(true), { timeout: 20_000 });

/** `from` offers `data` as `name`; resolves with its id once `to` knows the file's hash. */
export async function offerSeen(
  from: FilePeer,
  to: FilePeer,
  data: Uint8Array,
  name: string,
  mime?: string,
): Promise<string> {
  const id = from.files.offer(bytesSource(data, name, mime));
  await vi.waitFor(() => expect(to.files.get(id)?.sha256).toBe(sha(data)), { timeout: 20_000 });
  return id;
}

/** `to` accepts `id` and waits until it is done. */
export async function acceptDone(to: FilePeer, id: string, timeout = 30_000): Promise<void> {
  await to.files.accept(id);
  await vi.waitFor(
    () => expect(to.files.get(id)?.state, String(to.files.get(id)?.error)).toBe('done'),
    { timeout },
  );
}

/** The bytes `p` received for `id` (it must be done). */
export async function receivedBytes(p: { files: Transfers }, id: string): Promise<Uint8Array> {
  const blob = await p.files.received(id)!.blob();
  return new Uint8Array(await blob!.arrayBuffer());
}

/**
 * wrtc with every RTCPeerConnection recorded in `pcs` (to read getStats or kill a link as a
 * network failure would) and every data channel our own code opened in `opened`.
 */
export function trackedWrtc(pcs: RTCPeerConnection[], opened: RTCDataChannel[] = []) {
  const w = wrtc as { RTCPeerConnection: typeof RTCPeerConnection } & Record<string, unknown>;
  class Tracked extends w.RTCPeerConnection {
    constructor(config?: RTCConfiguration) {
      super(config);
      pcs.push(this);
    }
    override createDataChannel(label: string, init?: RTCDataChannelInit) {
      const ch = super.createDataChannel(label, init);
      opened.push(ch);
      return ch;
    }
  }
  return { ...w, RTCPeerConnection: Tracked };
}
