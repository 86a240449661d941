import type { Beat } from "../../domain/script.js";

/**
 * What a beat's look says of its own, apart from what every beat says. Scripts often repeat the film's
 * tone and style in every beat ("…; Live-action, natural daylight" / "frustration, bright, upbeat");
 * read as the beat's own words, that shared text would give every beat the same light and mood. So the
 * shared fragments are found once per script and weighed as house style, not as the beat's emotion.
 */
const SEPARATOR = /\s*[;,]\s*/;

const fragmentsOf = (text: string) =>
  text
    .split(SEPARATOR)
    .map((f) => f.trim().replace(/[.!?]+$/, ""))
    .filter(Boolean);

const key = (fragment: string) => fragment.toLowerCase();

/** Fragments of setting and mood that appear in every beat (three beats or more; fewer prove nothing). */
export function sharedLookFragments(beats: readonly Beat[]): string[] {
  if (beats.length < 3) return [];
  const perBeat = beats.map(
    (b) => new Set(fragmentsOf(`${b.look.setting}; ${b.look.mood}`).map((f) => key(f))),
  );
  const [first, ...rest] = perBeat as [Set<string>, ...Set<string>[]];
  return [...first].filter((f) => rest.every((s) => s.has(f)));
}

/** `text` without the shared fragments, or "" when nothing of its own is left. */
export function ownLook(text: string, shared: readonly string[]): string {
  if (shared.length === 0) return text;
  const common = new Set(shared);
  return fragmentsOf(text)
    .filter((f) => !common.has(key(f)))
    .join(", ");
}

/** The beat's own mood for prompts and frames; its whole mood when every word of it is shared. */
export function ownMood(beat: Beat, shared: readonly string[]): string {
  return ownLook(beat.look.mood, shared) || beat.look.mood.replace(/[.!?]+$/, "");
}
