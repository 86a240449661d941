import type { Beat } from "../../domain/script.js";

/**
 * Shot timing is arithmetic, so it lives in code and works in tenths of a second: the shots of a beat
 * always add up to the beat's duration to 0.1 s, whatever a model suggested.
 */
export const TARGET_SHOT_SECONDS = 3;
export const MAX_SHOTS_PER_BEAT = 4;
/** No shot shorter than this when the beat is long enough to allow it. */
export const MIN_SHOT_SECONDS = 1;

export const beatTenths = (beat: Pick<Beat, "start_s" | "end_s">) =>
  Math.max(1, Math.round((beat.end_s - beat.start_s) * 10));

export const tenthsToSeconds = (tenths: number) => Math.round(tenths) / 10;

/**
 * About one shot per three seconds, at most four per beat, none shorter than a second. A beat that
 * opens a new location with people in it gets two shots when it has the time: one to establish the
 * place, one for what the people do (else "close on her frown" would be shot as a wide of the room).
 */
export function shotCountForBeat(
  beat: Pick<Beat, "start_s" | "end_s">,
  options: { establishesWithPeople?: boolean } = {},
): number {
  const seconds = beatTenths(beat) / 10;
  const byRhythm = Math.max(Math.round(seconds / TARGET_SHOT_SECONDS), options.establishesWithPeople ? 2 : 1);
  const byMinimum = Math.floor(seconds / MIN_SHOT_SECONDS);
  return Math.max(1, Math.min(MAX_SHOTS_PER_BEAT, byRhythm, byMinimum));
}

/** Even split of `totalTenths` into `count` parts; earlier shots take the spare tenths. */
export function splitEvenly(totalTenths: number, count: number): number[] {
  const base = Math.floor(totalTenths / count);
  const spare = totalTenths - base * count;
  return Array.from({ length: count }, (_, i) => base + (i < spare ? 1 : 0));
}

/**
 * Scale `weights` (any positive numbers, e.g. a model's suggested seconds) to integers summing to
 * `totalTenths`, largest remainder first, each at least one tenth.
 */
export function scaleToTenths(weights: number[], totalTenths: number): number[] {
  const count = weights.length;
  if (count === 0) return [];
  const sum = weights.reduce((a, b) => a + b, 0);
  if (!(sum > 0) || totalTenths < count) return splitEvenly(totalTenths, count);
  const spread = totalTenths - count; // one tenth each is reserved
  const exact = weights.map((w) => (w / sum) * spread);
  const out = exact.map((x) => 1 + Math.floor(x));
  let left = totalTenths - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, rest: x - Math.floor(x) })).sort((a, b) => b.rest - a.rest);
  for (let k = 0; left > 0; k = (k + 1) % count, left--) {
    const index = order[k]?.i ?? 0;
    out[index] = (out[index] ?? 0) + 1;
  }
  return out;
}
