/** Test/bench helper: a doc + awareness + provider on a memory network. Not used by the app. */
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import type { PeerId } from '@peerboard/protocol';
import type { MemoryNetwork } from './memoryNetwork';
import { makeCollabProvider, type CollabProvider } from '../../src/collab/provider';

export interface TestPeer {
  id: PeerId;
  doc: Y.Doc;
  awareness: Awareness;
  provider: CollabProvider;
  errors: string[];
  destroy(): void;
}

export function makeTestPeer(network: MemoryNetwork, id: PeerId, doc = new Y.Doc()): TestPeer {
  const awareness = new Awareness(doc);
  const errors: string[] = [];
  const provider = makeCollabProvider({
    doc,
    awareness,
    transport: network.transport(id),
    onError: (peer, channel, reason) => errors.push(`${peer}/${channel}: ${reason}`),
    resyncIntervalMs: 0,
  });
  return {
    id,
    doc,
    awareness,
    provider,
    errors,
    destroy() {
      provider.destroy();
      awareness.destroy();
      doc.destroy();
    },
  };
}
