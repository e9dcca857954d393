/**
 * One real peer (makeRoom + @roamhq/wrtc) as its own process, so it can run inside a network
 * namespace: `ip netns exec HOST node --import tsx peerProcess.ts` with PEER_CONFIG (JSON:
 * url, roomId, name, timing). It reports JSON lines on stdout:
 *   {t:'state', signaling, peers:[{name, state}], linksCreated}   on every room change
 *   {t:'pair', peer, local:{type,address}, remote:{type,address}} the selected ICE pair, once per open link
 *   {t:'got', text}                                                a `sync` frame received (as text)
 *   {t:'log', msg}                                                 the room's log
 * and takes JSON lines on stdin: {send: text} sends a `sync` frame to every open peer.
 * The test side is kit/peerHost.ts.
 */
import { createInterface } from 'node:readline';
import { out, roomFromPeerConfig } from './childRoom';

const { room } = roomFromPeerConfig((msg) => out({ t: 'log', msg }));

type Stat = Record<string, unknown>;
const candidate = (c: Stat | undefined) => ({
  type: c?.candidateType ?? null,
  address: c?.address ?? c?.ip ?? null,
});

/** links whose selected pair was reported, by peer id and generation */
const reported = new Set<string>();
async function reportPair(peer: string, key: string) {
  const stats = await room.media.getStats(peer);
  if (!stats) return;
  let pair: Stat | undefined;
  stats.forEach((r: Stat) => {
    if (r.type === 'transport' && typeof r.selectedCandidatePairId === 'string')
      pair = stats.get(r.selectedCandidatePairId) as Stat;
  });
  stats.forEach((r: Stat) => {
    if (r.type === 'candidate-pair' && (r.selected || (r.nominated && r.state === 'succeeded')))
      pair ??= r;
  });
  if (!pair) {
    reported.delete(key); // not known yet: asked again at the next change
    return;
  }
  out({
    t: 'pair',
    peer,
    local: candidate(stats.get(pair.localCandidateId as string) as Stat),
    remote: candidate(stats.get(pair.remoteCandidateId as string) as Stat),
  });
}

room.on('change', () => {
  const snap = room.snapshot();
  const diag = room.diagnostics();
  out({
    t: 'state',
    signaling: snap.signaling,
    peers: snap.peers.map((p) => ({ name: p.name, state: p.state })),
    linksCreated: diag.linksCreated,
  });
  for (const l of diag.links) {
    const key = `${l.id}:${l.gen}`;
    if (!l.open || reported.has(key)) continue;
    reported.add(key);
    void reportPair(l.id, key);
  }
});
room.onFrame('sync', (f) => out({ t: 'got', text: new TextDecoder().decode(f.data) }));

createInterface({ input: process.stdin }).on('line', (line) => {
  const cmd = JSON.parse(line) as { send?: string };
  if (cmd.send === undefined) return;
  room.broadcast({ type: 'sync', data: new TextEncoder().encode(cmd.send) });
});
process.on('SIGTERM', () => {
  room.destroy();
  process.exit(0);
});
