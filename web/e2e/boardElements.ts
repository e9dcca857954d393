/**
 * Board elements as the `?debug` hook (src/debug.ts: `__peerboard.board.elements()`) hands them
 * to E2E tests: the fields the board tests read, one definition for all of them.
 */

/** where an arrow's end is attached: the shape, the anchor inside it (0..1) and the gap */
export interface Binding {
  id: string;
  ax: number;
  ay: number;
  gap: number;
}

export interface El {
  id: string;
  type: string;
  x: number;
  y: number;
  w: number;
  h: number;
  /** text inside a shape */
  label?: string;
  /** image bytes' SHA-256 */
  sha256?: string;
  group?: string;
  startBinding?: Binding;
  endBinding?: Binding;
}
