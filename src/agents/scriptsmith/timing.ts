import type { Beat } from "../../domain/script.js";

/** Shortest beat we lay out: under a second a change does not register on screen. */
export const MIN_BEAT_SECONDS = 1;

/**
 * Split `totalSeconds` into durations proportional to `weights`, each at least its minimum (default
 * MIN_BEAT_SECONDS), rounded to 0.1 s and summing to the total exactly. Works in tenths so rounding
 * never leaves a gap: the remainder goes to the beats that lost the most to rounding.
 */
export function allocateDurations(
  weights: readonly number[],
  totalSeconds: number,
  minSeconds: readonly number[] = [],
): number[] {
  const n = weights.length;
  if (n === 0) return [];
  const total = Math.round(totalSeconds * 10);
  let mins = weights.map((_, i) => Math.ceil((minSeconds[i] ?? MIN_BEAT_SECONDS) * 10 - 1e-9));
  let w = weights.map((x) => (Number.isFinite(x) && x > 0 ? x : 1));
  if (mins.reduce((a, b) => a + b, 0) > total) {
    // Not enough time for every minimum: share the time in proportion to what each beat asked
    // for, keeping the plain one-second floor (or an even split, if even that does not fit).
    w = mins.map((m) => Math.max(1, m));
    mins = mins.map(() => Math.min(MIN_BEAT_SECONDS * 10, Math.floor(total / n)));
  }
  // Water-filling: beats whose proportional share is under their minimum are pinned to it.
  const raw = new Array<number>(n).fill(0);
  const pinned = new Array<boolean>(n).fill(false);
  for (;;) {
    const free = w.map((_, i) => i).filter((i) => !pinned[i]);
    const left = total - mins.reduce((a, m, i) => a + (pinned[i] ? m : 0), 0);
    const wSum = free.reduce((a, i) => a + w[i]!, 0);
    let changed = false;
    for (const i of free) {
      raw[i] = wSum > 0 ? (w[i]! / wSum) * left : 0;
      if (raw[i]! < mins[i]!) {
        pinned[i] = true;
        raw[i] = mins[i]!;
        changed = true;
      }
    }
    if (!changed || free.length === 0) break;
  }
  for (let i = 0; i < n; i++) if (pinned[i]) raw[i] = mins[i]!;
  const out = raw.map((r, i) => Math.max(mins[i]!, Math.floor(r)));
  let diff = total - out.reduce((a, b) => a + b, 0);
  const order = raw
    .map((r, i) => ({ i, frac: r - Math.floor(r) }))
    .sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (let k = 0; diff > 0; k++, diff--) out[order[k % n]!.i]! += 1;
  // Over by rounding up to minimums: take tenths back from the longest beats.
  while (diff < 0) {
    let longest = 0;
    for (let i = 1; i < n; i++) if (out[i]! - mins[i]! > out[longest]! - mins[longest]!) longest = i;
    if (out[longest]! <= 1) break;
    out[longest]! -= 1;
    diff++;
  }
  return out.map((t) => t / 10);
}

/** Start/end pairs from durations: contiguous from 0, rounded to 0.1 s. */
export function timeline(durations: readonly number[]): { start_s: number; end_s: number }[] {
  let tenths = 0;
  return durations.map((d) => {
    const start = tenths;
    tenths += Math.round(d * 10);
    return { start_s: start / 10, end_s: tenths / 10 };
  });
}

/**
 * The code repair for timings: scale beats proportionally to their current lengths so they run
 * contiguously from 0 and end exactly at `targetSeconds`, in order, each at least ~1 s.
 */
export function retimeBeats(beats: readonly Beat[], targetSeconds: number): Beat[] {
  const weights = beats.map((b) => Math.max(0, b.end_s - b.start_s) || 1);
  const spans = timeline(allocateDurations(weights, targetSeconds));
  return beats.map((b, i) => ({ ...b, ...spans[i]! }));
}
