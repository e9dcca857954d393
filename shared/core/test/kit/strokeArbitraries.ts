/**
 * fast-check arbitraries for stroke points, shared by the collab tests that compare the point
 * forms (float `points`, binary `pts`, lazily decoded strokes).
 */
import fc from 'fast-check';

/** x, y, pressure triples past the coordinate limit and pressures past 0..1 (readers clamp) */
export const widePoints = fc
  .array(
    fc.tuple(
      fc.integer({ min: -80_000_000, max: 80_000_000 }),
      fc.integer({ min: -80_000_000, max: 80_000_000 }),
      fc.integer({ min: -300, max: 600 }),
    ),
    { minLength: 1, maxLength: 100 },
  )
  .map((pts) => pts.flatMap(([x, y, p]) => [x / 4, y / 4, p / 256]));
