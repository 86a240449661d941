import { STORY_PARTS, type StoryPart } from "../../domain/script.js";

/** Seconds per key message below which a viewer cannot take each one in (one thought ≈ a 7 s beat). */
export const SECONDS_PER_KEY_MESSAGE = 7;

/** How many key messages a video of this length can carry. */
export function keyMessageCapacity(durationSeconds: number): number {
  return Math.max(1, Math.floor(durationSeconds / SECONDS_PER_KEY_MESSAGE));
}

/** Seconds per beat in videos past 75 s: a beat is one dramatic change, a few shots long. */
export const LONG_BEAT_SECONDS = 7.5;
/**
 * Most beats the template lays out: 600 s (the longest brief) gets 48 beats of about 12.5 s. More
 * would make the script hard to review; fewer, longer beats would stop being single changes.
 */
export const MAX_TEMPLATE_BEATS = 48;

/** Beats for a duration: short videos merge adjacent parts; long ones let a part span several beats. */
export function beatCountFor(durationSeconds: number): number {
  if (durationSeconds < 10) return 3;
  if (durationSeconds < 20) return 4;
  if (durationSeconds < 25) return 6;
  if (durationSeconds <= 75) return 8;
  return Math.min(MAX_TEMPLATE_BEATS, Math.max(9, Math.round(durationSeconds / LONG_BEAT_SECONDS)));
}

const MERGED: Record<number, StoryPart[][]> = {
  3: [
    ["you", "need", "go"],
    ["search", "find", "take"],
    ["return", "change"],
  ],
  4: [
    ["you", "need"],
    ["go", "search"],
    ["find", "take"],
    ["return", "change"],
  ],
  6: [["you"], ["need", "go"], ["search"], ["find"], ["take", "return"], ["change"]],
};

/**
 * How long videos share their extra beats: the middle of the circle (showing how it works, the
 * payoff, the objection answered) grows most; the set-up and the ending stay short.
 */
const EXTRA_BEAT_SHARE: Record<StoryPart, number> = {
  you: 0.5,
  need: 1,
  go: 1,
  search: 3,
  find: 2,
  take: 3,
  return: 1,
  change: 0.5,
};
/** Ties (equal remainders) go to the middle first. */
const EXTRA_BEAT_ORDER: StoryPart[] = ["search", "find", "take", "go", "return", "need", "you", "change"];

/** The story-circle parts each beat covers, in order, for `beatCount` beats. */
export function planBeatParts(beatCount: number): StoryPart[][] {
  const merged = MERGED[beatCount];
  if (merged) return merged.map((p) => [...p]);
  if (beatCount <= 8) return STORY_PARTS.map((p) => [p]);
  // Largest remainder: each part gets its share of the extra beats, rounded so they add up.
  const extra = beatCount - STORY_PARTS.length;
  const total = STORY_PARTS.reduce((a, p) => a + EXTRA_BEAT_SHARE[p], 0);
  const exact = new Map(STORY_PARTS.map((p) => [p, (extra * EXTRA_BEAT_SHARE[p]) / total]));
  const perPart = new Map(STORY_PARTS.map((p) => [p, 1 + Math.floor(exact.get(p)!)]));
  const left = beatCount - [...perPart.values()].reduce((a, b) => a + b, 0);
  const byRemainder = [...EXTRA_BEAT_ORDER].sort(
    (a, b) => exact.get(b)! - Math.floor(exact.get(b)!) - (exact.get(a)! - Math.floor(exact.get(a)!)),
  );
  for (const part of byRemainder.slice(0, left)) perPart.set(part, perPart.get(part)! + 1);
  return STORY_PARTS.flatMap((p) => Array.from({ length: perPart.get(p)! }, () => [p]));
}

/** Relative screen time of each part: the trials and the payoff get a little more. */
export const PART_WEIGHT: Record<StoryPart, number> = {
  you: 1,
  need: 1,
  go: 0.9,
  search: 1.3,
  find: 1.2,
  take: 1.2,
  return: 0.9,
  change: 1.3,
};

/** What each part is for, in advertising terms. */
export const PART_PURPOSE: Record<StoryPart, string> = {
  you: "Establish who this is for, in their everyday world",
  need: "Name the problem or desire",
  go: "Cross into the solution",
  search: "Show how it works",
  find: "Reveal the payoff",
  take: "Show what it takes: the objection answered",
  return: "Bring it back to everyday life",
  change: "Show the changed state and ask for action",
};

export const PART_EMOTION: Record<StoryPart, string> = {
  you: "familiar",
  need: "frustration",
  go: "curiosity",
  search: "intrigue",
  find: "delight",
  take: "confidence",
  return: "satisfaction",
  change: "resolve",
};

export const PART_LABEL: Record<StoryPart, string> = {
  you: "You",
  need: "Need",
  go: "Go",
  search: "Search",
  find: "Find",
  take: "Take",
  return: "Return",
  change: "Change",
};

/**
 * Whether a sequence of beat part-lists walks the circle in order: every part present, each beat's
 * parts adjacent, and consecutive beats either repeat the current part or move to the next one.
 */
export function storyOrderProblem(beatParts: readonly (readonly StoryPart[])[]): string | null {
  const flat = beatParts.flat();
  let expected = 0;
  for (let i = 0; i < flat.length; i++) {
    const at = STORY_PARTS.indexOf(flat[i]!);
    if (i === 0) {
      if (at !== 0) return `the story must open on "you", not "${flat[i]}"`;
      continue;
    }
    if (at === expected) continue;
    if (at === expected + 1) {
      expected = at;
      continue;
    }
    if (at > expected + 1)
      return `"${STORY_PARTS.slice(expected + 1, at).join('", "')}" missing before "${flat[i]}"`;
    return `"${flat[i]}" appears after "${STORY_PARTS[expected]}" (out of order)`;
  }
  if (expected !== STORY_PARTS.length - 1)
    return `the story stops at "${STORY_PARTS[expected]}"; "${STORY_PARTS.slice(expected + 1).join('", "')}" missing`;
  return null;
}
