import { createMemo, createSignal, For, onCleanup, Show } from 'solid-js';
import type { PeerInfo } from '@peerboard/core';
import { AlertIcon } from './icons';

/** A first connection takes well under a second on one network and a few seconds across NATs. */
export const STUCK_AFTER_MS = 15_000;

/**
 * Says in plain words why people stay "Connecting…" or end "Failed": the two networks block a
 * direct browser-to-browser path and the server offers no TURN relay to go around it (or its relay
 * failed too). The state pills alone do not tell anyone what to do about it.
 */
export function ConnectTrouble(props: { peers: PeerInfo[] }) {
  const [now, setNow] = createSignal(Date.now());
  const timer = setInterval(() => setNow(Date.now()), 1000);
  onCleanup(() => clearInterval(timer));
  /** when each peer was first seen not connected, by stable id */
  const since = new Map<string, number>();

  const stuck = createMemo(() => {
    const t = now();
    const out: PeerInfo[] = [];
    const seen = new Set<string>();
    for (const p of props.peers) {
      seen.add(p.id);
      if (p.state === 'direct' || p.state === 'relayed') {
        since.delete(p.id);
        continue;
      }
      const first = since.get(p.id) ?? t;
      since.set(p.id, first);
      if (p.state === 'failed' || t - first >= STUCK_AFTER_MS) out.push(p);
    }
    for (const id of since.keys()) if (!seen.has(id)) since.delete(id);
    return out;
  });

  return (
    <Show when={stuck().length > 0}>
      <div class="banner banner-warning" role="status" data-banner="blocked">
        <AlertIcon />
        <p>
          <strong>
            Cannot connect to{' '}
            <For each={stuck()}>
              {(p, i) => (
                <>
                  {i() === 0 ? '' : ', '}
                  <bdi>{p.name}</bdi>
                </>
              )}
            </For>
            .
          </strong>{' '}
          <Show
            when={stuck().some((p) => p.turnFailed)}
            fallback={
              <span>
                Your networks block a direct connection; the server needs a TURN relay. Whoever runs
                this Peerboard server can add one (coturn), or try from the same network.
              </span>
            }
          >
            <span data-reason="turn-failed">
              Your networks block a direct connection, and the server’s TURN relay did not get
              through either. Whoever runs this Peerboard server should check that the relay is
              reachable and uses the same secret as the server, or try from the same network.
            </span>
          </Show>
        </p>
      </div>
    </Show>
  );
}
