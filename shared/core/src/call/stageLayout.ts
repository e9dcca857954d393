/**
 * Which tile the stage shows large (pure; the UI only renders the answer):
 *
 *   1. the participant pinned on this screen (while still in the call),
 *   2. else a remote shared screen (the first in call order: a screen is what people came to read),
 *   3. else the active speaker (activeSpeaker.ts),
 *   4. else the first remote participant; alone in the call, ourselves.
 *
 * Our own view is a small self-view unless it is the one on stage; every other remote
 * participant goes to the strip, in call order (stable, so tiles do not shuffle as people talk).
 */

export interface StageParticipant {
  id: string;
  self: boolean;
  screen: boolean;
}

export interface StageLayout {
  main: string | null;
  strip: string[];
  selfView: string | null;
  /** why `main` is large, for the UI's label */
  reason: 'pinned' | 'screen' | 'speaker' | 'first' | 'alone' | 'empty';
}

export function stageLayout(
  participants: readonly StageParticipant[],
  pinned: string | null,
  activeSpeaker: string | null,
): StageLayout {
  const self = participants.find((p) => p.self) ?? null;
  const remotes = participants.filter((p) => !p.self);
  const has = (id: string | null) => id !== null && participants.some((p) => p.id === id);
  let main: string | null;
  let reason: StageLayout['reason'];
  if (pinned !== null && has(pinned)) [main, reason] = [pinned, 'pinned'];
  else if (remotes.some((p) => p.screen))
    [main, reason] = [remotes.find((p) => p.screen)?.id ?? null, 'screen'];
  else if (activeSpeaker !== null && remotes.some((p) => p.id === activeSpeaker))
    [main, reason] = [activeSpeaker, 'speaker'];
  else if (remotes[0]) [main, reason] = [remotes[0].id, 'first'];
  else if (self) [main, reason] = [self.id, 'alone'];
  else [main, reason] = [null, 'empty'];
  return {
    main,
    strip: remotes.filter((p) => p.id !== main).map((p) => p.id),
    selfView: self && self.id !== main ? self.id : null,
    reason,
  };
}

/** The stage opens by itself when a remote participant starts sharing a screen. */
export function remoteScreens(participants: readonly StageParticipant[]): string[] {
  return participants.filter((p) => !p.self && p.screen).map((p) => p.id);
}
