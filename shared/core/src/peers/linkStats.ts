/**
 * The selected ICE candidate pair of a peer connection, from getStats(): whether the path goes
 * through a TURN relay, and its current round-trip time. Browsers and @roamhq/wrtc differ in
 * which stats they fill in, hence the two ways of finding the pair.
 */
export interface PathStats {
  relayed: boolean;
  /** ms, null when the implementation does not report it */
  rttMs: number | null;
}

export async function readPathStats(pc: RTCPeerConnection): Promise<PathStats | null> {
  const report = await pc.getStats();
  let pair: Record<string, unknown> | undefined;
  report.forEach((r: Record<string, unknown>) => {
    if (r.type === 'transport' && typeof r.selectedCandidatePairId === 'string')
      pair = report.get(r.selectedCandidatePairId);
  });
  if (!pair)
    report.forEach((r: Record<string, unknown>) => {
      if (r.type === 'candidate-pair' && (r.selected || (r.nominated && r.state === 'succeeded')))
        pair ??= r;
    });
  if (!pair) return null;
  const local = report.get(pair.localCandidateId as string) as Record<string, unknown>;
  const remote = report.get(pair.remoteCandidateId as string) as Record<string, unknown>;
  const cur = pair.currentRoundTripTime;
  return {
    relayed: local?.candidateType === 'relay' || remote?.candidateType === 'relay',
    rttMs: typeof cur === 'number' && Number.isFinite(cur) ? Math.round(cur * 10000) / 10 : null,
  };
}
