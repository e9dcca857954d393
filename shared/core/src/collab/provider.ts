/**
 * Peer-to-peer Yjs sync over a CollabTransport, using y-protocols messages unchanged.
 *
 * - Sync: when a peer opens, both sides send SyncStep1 (their state vector) and answer the
 *   other's step1 with SyncStep2 (what the other lacks), so either side can be the newcomer.
 *   Afterwards every local doc update is broadcast as an Update message. Updates that came from
 *   a peer are not re-broadcast: the room is a full mesh, so the author already sent them to
 *   everyone, and re-sending would multiply traffic (echo storm).
 * - Remote updates are checked before they are applied (with a RemoteOrigin): against the
 *   room document's schema (docSchema.ts: known root types, element keys and fields, sizes)
 *   and against the byte budgets (docBudget.ts: the document's ceiling, each peer's rate). A
 *   refused or malformed update is dropped with a logged reason and an `onRefused` event; a
 *   full document shows as `docFull()`. SyncStep1 answers are rationed (syncReplies.ts).
 * - Local updates come from DocUpdates (docUpdates.ts), which has Yjs encode only transactions
 *   that are not quiet: a peer's update or a persistence load is never encoded for us at all, so
 *   the origin check happens before any work. Remote bytes are applied through it too, so local
 *   persistence stores them as received.
 * - Awareness: each peer speaks only for its own client id. Local changes are broadcast, a newly
 *   opened peer gets our state, and the states a closed peer owned are removed. Renewal every
 *   15 s and the 30 s timeout are y-protocols' Awareness timer.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import type { PeerId } from '@peerboard/protocol';
import type { Unsubscribe } from '../types';
import type { CollabChannel, CollabTransport } from './transport';
import { decodeAwarenessUpdate, encodeAwarenessEntries } from './awarenessFilter';
import type { DocBudgetOptions } from './docBudget';
import { makeDocUpdates, RemoteOrigin, type DocUpdates } from './docUpdates';
import type { DocUpdateCheck } from './docSchema';
import { makeUpdateGate, type RefusedUpdate } from './updateGate';
import { makeSyncReplies, type SyncRepliesStats } from './syncReplies';
import { makeStep2Cache } from './step2Cache';
import { FIRST_SCREEN_MESSAGE, type FirstScreenHooks } from './firstScreen';

/** Transaction / awareness origin for everything applied from a peer. */
export { RemoteOrigin };

export type CollabErrorReporter = (peer: PeerId, channel: CollabChannel, reason: string) => void;

export interface CollabProviderOptions {
  doc: Y.Doc;
  awareness: awarenessProtocol.Awareness;
  transport: CollabTransport;
  /** called for every dropped frame; default: console.warn, throttled per peer */
  onError?: CollabErrorReporter;
  /**
   * Anti-entropy: send SyncStep1 to every peer this often (0 = never). Heals anything a
   * broadcast missed (a frame lost with a dying channel, or a hostile peer that sent different
   * updates to different peers) at the cost of one state vector per peer per interval.
   */
  resyncIntervalMs?: number;
  /** the doc's update tap, shared with local persistence (one is made when absent) */
  updates?: DocUpdates;
  /** the document's byte budgets (defaults: ROOM_DOC_MAX_BYTES, PEER_DOC_BYTES_PER_MINUTE) */
  budget?: DocBudgetOptions;
  /** what a peer's update may contain (default: the board + chat schema, checkDocUpdate) */
  check?: DocUpdateCheck;
  /** the board's first screen for joiners (firstScreen.ts); absent: never asked or answered */
  firstScreen?: FirstScreenHooks;
}

export type { RefusedUpdate };

export const DEFAULT_RESYNC_INTERVAL_MS = 30_000;

export interface CollabProvider {
  /** peers whose SyncStep2 we have applied (we hold everything they had when they answered) */
  syncedPeers(): PeerId[];
  /** the peer whose link delivered this awareness client's state (the tie the provider keeps) */
  ownerOf(clientId: number): PeerId | undefined;
  onSynced(fn: (peer: PeerId) => void): Unsubscribe;
  /** send SyncStep1 to every open peer now (what the resync timer does) */
  resync(): void;
  /**
   * Send every open peer what it lacked when it last sent us its state vector (an unsolicited
   * SyncStep2). For content that arrived without a broadcast, i.e. a load from local persistence
   * that finished after a peer had already synced with us.
   */
  pushState(): void;
  /** step1 requests received and SyncStep2 answers sent (syncReplies.ts rations them) */
  stats(): SyncRepliesStats;
  /** a peer's update was refused (schema or budget): the UI can say the board is full */
  onRefused(fn: (refused: RefusedUpdate) => void): Unsubscribe;
  /** the document is at its byte ceiling: peers' new content is refused (DOC_FULL_MESSAGE) */
  docFull(): boolean;
  destroy(): void;
}

/** A peer may own a few awareness client ids (it reloaded its doc); more is abuse. */
export const MAX_CLIENT_IDS_PER_PEER = 4;
/** A state vector is ~10 bytes per client that ever edited the doc; more is not a real one. */
const STATE_VECTOR_MAX_BYTES = 1024 * 1024;

function defaultReporter(): CollabErrorReporter {
  const counts = new Map<PeerId, number>();
  return (peer, channel, reason) => {
    const n = (counts.get(peer) ?? 0) + 1;
    counts.set(peer, n);
    // log the first few and then every power of two, so a flood cannot flood the console
    if (n <= 5 || (n & (n - 1)) === 0)
      console.warn(`[collab] dropped ${channel} frame #${n} from ${peer}: ${reason}`);
  };
}

export function makeCollabProvider(options: CollabProviderOptions): CollabProvider {
  const { doc, awareness, transport } = options;
  const report = options.onError ?? defaultReporter();
  const synced = new Set<PeerId>();
  const syncedListeners = new Set<(peer: PeerId) => void>();
  /** awareness client id -> the peer that sends it */
  const owner = new Map<number, PeerId>();
  /** the state vector each peer sent in its last SyncStep1 */
  const peerVectors = new Map<PeerId, Uint8Array>();
  const ownUpdates = options.updates === undefined;
  const updates = options.updates ?? makeDocUpdates(doc);
  const gate = makeUpdateGate(doc, updates, options.budget, options.check);
  gate.onRefused(({ peer, code, message }) => report(peer, 'sync', `${code}: ${message}`));
  /** peers we sent a SyncStep1 and that have not answered: their SyncStep2 was asked for */
  const awaiting = new Set<PeerId>();
  let destroyed = false;

  const encodeSync = (write: (e: encoding.Encoder) => void): Uint8Array => {
    const encoder = encoding.createEncoder();
    write(encoder);
    return encoding.toUint8Array(encoder);
  };

  const localAwareness = (): Uint8Array =>
    awarenessProtocol.encodeAwarenessUpdate(awareness, [awareness.clientID]);

  // newcomers send the same state vector: several joining at once share one encode
  const step2 = makeStep2Cache(doc);
  // step1 is answered through a per-peer ration: one pending answer, rate-limited
  const replies = makeSyncReplies({
    answer: (peer, stateVector) => transport.send(peer, 'sync', step2.message(stateVector)),
    queuedBytes: (peer) => transport.queuedBytes?.(peer) ?? 0,
    onError: (peer, reason) => report(peer, 'sync', reason),
  });

  const screen = options.firstScreen;
  const sendStep1 = (peer: PeerId): void => {
    awaiting.add(peer);
    // a first screen request rides after the state vector, where older peers never read
    const ask = screen?.ask(peer, synced.size > 0) ?? null;
    transport.send(
      peer,
      'sync',
      encodeSync((e) => {
        syncProtocol.writeSyncStep1(e, doc);
        if (ask) encoding.writeUint8Array(e, ask);
      }),
    );
  };

  function handlePeerOpen(peer: PeerId): void {
    sendStep1(peer);
    if (awareness.getLocalState() !== null) transport.send(peer, 'awareness', localAwareness());
  }

  function handlePeerClose(peer: PeerId): void {
    synced.delete(peer);
    peerVectors.delete(peer);
    awaiting.delete(peer);
    screen?.closed(peer);
    gate.forgetPeer(peer);
    replies.drop(peer);
    const gone: number[] = [];
    for (const [clientId, p] of owner) if (p === peer) gone.push(clientId);
    for (const clientId of gone) owner.delete(clientId);
    awarenessProtocol.removeAwarenessStates(awareness, gone, new RemoteOrigin(peer));
    // forget their clocks too: when the peer reconnects it resends its state with the same
    // clock, which y-protocols would otherwise ignore as "not newer"
    for (const clientId of gone) awareness.meta.delete(clientId);
  }

  function handleSync(peer: PeerId, bytes: Uint8Array): void {
    const decoder = decoding.createDecoder(bytes);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case syncProtocol.messageYjsSyncStep1: {
        const stateVector = decoding.readVarUint8Array(decoder);
        if (stateVector.length > STATE_VECTOR_MAX_BYTES) throw new Error('state vector too large');
        // throws on a malformed state vector (caught by the caller), before anything is kept
        Y.decodeStateVector(stateVector);
        peerVectors.set(peer, stateVector);
        // before the SyncStep2, on the same ordered channel: it arrives first
        const first = screen?.answer(peer, decoder);
        if (first) transport.send(peer, 'sync', first);
        replies.request(peer, stateVector);
        return;
      }
      case syncProtocol.messageYjsSyncStep2:
      case syncProtocol.messageYjsUpdate: {
        const update = decoding.readVarUint8Array(decoder);
        const step2 = type === syncProtocol.messageYjsSyncStep2;
        const solicited = step2 && awaiting.delete(peer);
        if (!gate.offer(peer, update, solicited)) return;
        if (step2 && !synced.has(peer)) {
          synced.add(peer);
          screen?.synced();
          for (const fn of syncedListeners) fn(peer);
        }
        return;
      }
      case FIRST_SCREEN_MESSAGE:
        if (screen) return screen.receive(peer, decoder, synced.size > 0);
        throw new Error(`unknown sync message type ${type}`);
      default:
        throw new Error(`unknown sync message type ${type}`);
    }
  }

  function handleAwareness(peer: PeerId, bytes: Uint8Array): void {
    const entries = decodeAwarenessUpdate(bytes).filter((entry) => {
      if (entry.clientId === awareness.clientID) return false; // nobody else speaks for us
      const current = owner.get(entry.clientId);
      if (current !== undefined && current !== peer) return false; // another peer's client
      if (current === undefined) {
        let owned = 0;
        for (const p of owner.values()) if (p === peer) owned++;
        if (owned >= MAX_CLIENT_IDS_PER_PEER) return false;
        owner.set(entry.clientId, peer);
      }
      return true;
    });
    if (entries.length === 0) return;
    awarenessProtocol.applyAwarenessUpdate(
      awareness,
      encodeAwarenessEntries(entries),
      new RemoteOrigin(peer),
    );
  }

  const offMessage = transport.onMessage((peer, channel, bytes) => {
    if (destroyed) return;
    try {
      if (channel === 'sync') handleSync(peer, bytes);
      else handleAwareness(peer, bytes);
    } catch (e) {
      report(peer, channel, e instanceof Error ? e.message : String(e));
    }
  });
  const offOpen = transport.onPeerOpen((peer) => {
    if (!destroyed) handlePeerOpen(peer);
  });
  const offClose = transport.onPeerClose((peer) => {
    if (!destroyed) handlePeerClose(peer);
  });

  const offUpdates = updates.onUpdate((update, _origin, remote) => {
    // a peer's update already went to everyone (full mesh): never echo it
    if (remote || destroyed) return;
    gate.added(update.length);
    transport.broadcast(
      'sync',
      encodeSync((e) => syncProtocol.writeUpdate(e, update)),
    );
  });

  type AwarenessChanges = { added: number[]; updated: number[]; removed: number[] };
  const onAwarenessUpdate = (changes: AwarenessChanges, origin: unknown): void => {
    if (origin instanceof RemoteOrigin) return;
    const self = awareness.clientID;
    const mine =
      changes.added.includes(self) ||
      changes.updated.includes(self) ||
      changes.removed.includes(self);
    // remote entries removed by our timeout are our local view only: never tell others
    if (mine) transport.broadcast('awareness', localAwareness());
  };
  awareness.on('update', onAwarenessUpdate);

  for (const peer of transport.peers()) handlePeerOpen(peer);

  const resync = (): void => {
    if (!destroyed) for (const peer of transport.peers()) sendStep1(peer);
  };
  const resyncEvery = options.resyncIntervalMs ?? DEFAULT_RESYNC_INTERVAL_MS;
  const resyncTimer = resyncEvery > 0 ? setInterval(resync, resyncEvery) : undefined;

  return {
    syncedPeers: () => Array.from(synced),
    ownerOf: (clientId) => owner.get(clientId),
    onSynced(fn) {
      syncedListeners.add(fn);
      return () => syncedListeners.delete(fn);
    },
    resync,
    pushState() {
      if (destroyed) return;
      for (const peer of transport.peers()) {
        const sv = peerVectors.get(peer);
        if (sv) transport.send(peer, 'sync', step2.message(sv));
      }
    },
    stats: () => replies.stats(),
    onRefused: (fn) => gate.onRefused(fn),
    docFull: () => gate.full(),
    destroy() {
      if (destroyed) return;
      destroyed = true;
      clearInterval(resyncTimer);
      replies.destroy();
      step2.destroy();
      offMessage();
      offOpen();
      offClose();
      offUpdates();
      if (ownUpdates) updates.destroy();
      awareness.off('update', onAwarenessUpdate);
      syncedListeners.clear();
      gate.destroy();
      // tell the others we are gone (null state at our current clock), then drop their states
      // so the UI shows no ghosts; our local awareness object itself belongs to the caller
      if (awareness.meta.has(awareness.clientID)) {
        const leave = awarenessProtocol.encodeAwarenessUpdate(
          awareness,
          [awareness.clientID],
          new Map(),
        );
        transport.broadcast('awareness', leave);
      }
      awarenessProtocol.removeAwarenessStates(
        awareness,
        Array.from(owner.keys()),
        'provider-destroyed',
      );
      owner.clear();
      synced.clear();
    },
  };
}
