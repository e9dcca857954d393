/**
 * Where each tile goes on the stage (pure; the UI only renders the answer). A participant has
 * one tile (camera or initials) and, while sharing, a second one for the screen: the screen
 * never replaces the camera.
 *
 * Spotlight, one tile large:
 *   1. the tile pinned on this screen (while it still exists),
 *   2. else a remote shared screen (the first in call order: a screen is what people came to read),
 *   then, with one remote participant (or none):
 *   3. the active speaker (activeSpeaker.ts), else the first remote participant; alone, ourselves.
 * Gallery: with two or more remote participants and no pin and no remote screen, every remote
 * tile is an equal cell of a grid (in call order: stable, so tiles do not shuffle as people talk)
 * and the active speaker is only highlighted.
 *
 * Our own camera is a small self-view unless pinned large; in spotlight every other tile goes
 * to the strip, in call order.
 */

export interface StageParticipant {
  id: string;
  self: boolean;
  screen: boolean;
}

export interface StageTile {
  /** the participant's id for the camera tile, screenTileId(id) for the screen */
  id: string;
  owner: string;
  self: boolean;
  kind: 'person' | 'screen';
}

export interface StageLayout {
  mode: 'spotlight' | 'gallery';
  /** the large tile in spotlight; null in gallery */
  main: string | null;
  /** spotlight: the other tiles, small, below the large one */
  strip: string[];
  /** gallery: equal tiles */
  grid: string[];
  selfView: string | null;
  /** the tile to show when only one fits (the in-call bar's picture): large or speaking */
  focus: string | null;
  /** why the stage looks like this, for the UI's label */
  reason: 'pinned' | 'screen' | 'speaker' | 'first' | 'alone' | 'gallery' | 'empty';
}

export const screenTileId = (owner: string): string => `${owner}/screen`;

/** Every participant's camera tile, each followed by its screen tile while it shares. */
export function stageTiles(participants: readonly StageParticipant[]): StageTile[] {
  return participants.flatMap((p): StageTile[] => {
    const person: StageTile = { id: p.id, owner: p.id, self: p.self, kind: 'person' };
    if (!p.screen) return [person];
    return [person, { id: screenTileId(p.id), owner: p.id, self: p.self, kind: 'screen' }];
  });
}

export function stageLayout(
  participants: readonly StageParticipant[],
  pinned: string | null,
  activeSpeaker: string | null,
): StageLayout {
  const tiles = stageTiles(participants);
  const self = tiles.find((t) => t.self && t.kind === 'person') ?? null;
  const others = tiles.filter((t) => t !== self);
  const remotes = tiles.filter((t) => !t.self && t.kind === 'person');
  const remoteScreen = tiles.find((t) => !t.self && t.kind === 'screen') ?? null;
  const speaker = remotes.find((t) => t.id === activeSpeaker)?.id ?? null;

  let main: string | null;
  let reason: StageLayout['reason'];
  if (pinned !== null && tiles.some((t) => t.id === pinned)) [main, reason] = [pinned, 'pinned'];
  else if (remoteScreen) [main, reason] = [remoteScreen.id, 'screen'];
  else if (remotes.length >= 2) {
    const grid = others.map((t) => t.id);
    return {
      mode: 'gallery',
      main: null,
      strip: [],
      grid,
      selfView: self?.id ?? null,
      focus: speaker ?? grid[0] ?? null,
      reason: 'gallery',
    };
  } else if (speaker !== null) [main, reason] = [speaker, 'speaker'];
  else if (remotes[0]) [main, reason] = [remotes[0].id, 'first'];
  else if (self) [main, reason] = [self.id, 'alone'];
  else [main, reason] = [null, 'empty'];
  return {
    mode: 'spotlight',
    main,
    strip: others.filter((t) => t.id !== main).map((t) => t.id),
    grid: [],
    selfView: self && self.id !== main ? self.id : null,
    focus: main,
    reason,
  };
}

/** The stage opens by itself when a remote participant starts sharing a screen. */
export function remoteScreens(participants: readonly StageParticipant[]): string[] {
  return participants.filter((p) => !p.self && p.screen).map((p) => p.id);
}

/** the width of one 4:3 tile in a gallery of `n` cells, `cols` columns, in a w x h area */
export function galleryTileWidth(w: number, h: number, n: number, cols: number, gap: number) {
  if (n <= 0 || cols <= 0) return 0;
  const rows = Math.ceil(n / cols);
  const cellW = (w - gap * (cols - 1)) / cols;
  const cellH = (h - gap * (rows - 1)) / rows;
  return Math.max(0, Math.min(cellW, (cellH * 4) / 3));
}

/**
 * Where the gallery makes room for our own view so it never covers a tile: a band across the
 * top or bottom ('row') or a column at the side ('column'), whichever leaves the tiles larger. A
 * wide stage with few tiles has height to spare (a row costs nothing), a phone width.
 */
export function selfViewDock(
  area: { w: number; h: number },
  n: number,
  cols: number,
  self: { w: number; h: number },
  gap: number,
): 'row' | 'column' {
  const row = galleryTileWidth(area.w, area.h - self.h - gap, n, cols, gap);
  const column = galleryTileWidth(area.w - self.w - gap, area.h, n, cols, gap);
  return row >= column ? 'row' : 'column';
}
