/**
 * Providers under test: real relay (core's kit), `ws` sockets, @roamhq/wrtc peers. Each provider
 * records its events in order so tests can compare them with y-webrtc's.
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import { FAST, wrtc } from '../../core/test/kit/relay';
import { PeerboardProvider, type PeerboardProviderOptions, type PeersEvent } from '../src/provider';

export type RecordedEvent =
  | { type: 'status'; connected: boolean }
  | { type: 'synced'; synced: boolean }
  | ({ type: 'peers' } & PeersEvent);

export interface TestProvider {
  provider: PeerboardProvider;
  doc: Y.Doc;
  events: RecordedEvent[];
  logs: string[];
}

export function startProvider(
  roomName: string,
  options: PeerboardProviderOptions,
  doc: Y.Doc = new Y.Doc(),
): TestProvider {
  const events: RecordedEvent[] = [];
  const logs: string[] = [];
  const provider = new PeerboardProvider(roomName, doc, {
    WebSocket,
    wrtc,
    timing: FAST,
    broadcastChannel: false,
    log: (msg) => logs.push(msg),
    ...options,
  });
  provider.on('status', (e) => events.push({ type: 'status', ...e }));
  provider.on('synced', (e) => events.push({ type: 'synced', ...e }));
  provider.on('peers', (e) => events.push({ type: 'peers', ...e }));
  return { provider, doc, events, logs };
}

export const eventsOf = <T extends RecordedEvent['type']>(p: TestProvider, type: T) =>
  p.events.filter((e): e is Extract<RecordedEvent, { type: T }> => e.type === type);

/** the client id other providers know `p` by, while it is connected */
export function clientIdOf(p: TestProvider): string {
  const room = p.provider.room;
  if (room === null) throw new Error('provider is not connected');
  return room.clientId;
}
