import { type Beat, Script, ScriptMetadata } from "../../domain/script.js";
import type { Vrd } from "../../domain/vrd.js";
import { resolvedAspectRatio } from "../../domain/vrd.js";
import { storyOrderProblem } from "./story.js";
import { MIN_BEAT_SECONDS } from "./timing.js";
import { carriesMessage, countWords } from "./words.js";

export const DEFAULT_WORDS_PER_SECOND = 2.5;
/** Total duration may differ from the brief by this much (edit room), never more. */
export const DURATION_TOLERANCE_S = 5;
/** Gaps or overlaps smaller than this are rounding, not a problem. */
export const CONTIGUITY_TOLERANCE_S = 0.05;
/** Spoken copy may run this much over the speaking rate (a fast read) before it fails. */
export const SPEECH_TOLERANCE = 0.1;

export type ScriptRule =
  | "duration"
  | "contiguity"
  | "vo_fits"
  | "key_message"
  | "cta"
  | "metadata"
  | "story_order"
  | "beat_count";

export interface ScriptProblem {
  rule: ScriptRule;
  beat_id?: string;
  message: string;
}

/** Rules a model can fix by rewriting words (the ones worth a re-ask); timing is code's job. */
export const CONTENT_RULES: ReadonlySet<ScriptRule> = new Set([
  "vo_fits",
  "key_message",
  "cta",
  "story_order",
  "beat_count",
]);

/** Everything spoken in a beat: voice-over and dialogue lines. */
export function spokenText(beat: Beat): string {
  return [beat.audio.voice_over ?? "", ...beat.audio.dialogue.map((d) => d.line)].join(" ").trim();
}

/** Spoken words allowed in `seconds`, with the fast-read tolerance. */
export function maxSpokenWords(seconds: number, wordsPerSecond: number): number {
  return Math.floor(seconds * wordsPerSecond * (1 + SPEECH_TOLERANCE) + 1e-9);
}

export function formatProblem(p: ScriptProblem): string {
  return `[${p.rule}]${p.beat_id ? ` ${p.beat_id}:` : ""} ${p.message}`;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * Check a script against its VRD, whatever produced it. Rules:
 * - duration: total within ±5 s of the brief;
 * - contiguity: beats run from 0 with no gap or overlap over 0.05 s;
 * - vo_fits: each beat's spoken words (voice-over + dialogue) ≤ duration × rate, +10%;
 * - key_message: each VRD key message is listed in some beat's `key_messages` AND that same beat
 *   says or shows it (≥70% of its significant words in its voice-over, dialogue or on-screen text);
 * - cta: when the brief has one, the last beat covers "change", has `carries_cta`, and says or shows it;
 * - metadata: the metadata parses and agrees with the beats and the brief;
 * - story_order: all eight story-circle parts appear, in order;
 * - beat_count: no more beats than the duration gives at least MIN_BEAT_SECONDS each (a model on a
 *   bad day writes 24 beats for 15 s: each would last 0.6 s, too short to show or say anything).
 */
export function validateScript(
  script: Script,
  vrd: Vrd,
  options: { wordsPerSecond?: number } = {},
): ScriptProblem[] {
  const rate = options.wordsPerSecond ?? DEFAULT_WORDS_PER_SECOND;
  const problems: ScriptProblem[] = [];
  const beats = script.beats;
  const add = (rule: ScriptRule, message: string, beat_id?: string) =>
    problems.push(beat_id ? { rule, beat_id, message } : { rule, message });

  const total = beats.at(-1)?.end_s ?? 0;
  const maxBeats = Math.max(1, Math.floor(vrd.duration_seconds / MIN_BEAT_SECONDS));
  if (beats.length > maxBeats)
    add(
      "beat_count",
      `${beats.length} beats in ${vrd.duration_seconds} s leave under ${MIN_BEAT_SECONDS} s each; use at most ${maxBeats} beats, one beat covering adjacent story parts where needed`,
    );
  if (Math.abs(total - vrd.duration_seconds) > DURATION_TOLERANCE_S)
    add(
      "duration",
      `runs ${round1(total)} s but the brief asks for ${vrd.duration_seconds} s (±${DURATION_TOLERANCE_S} s allowed)`,
    );

  let cursor = 0;
  for (const beat of beats) {
    const gap = beat.start_s - cursor;
    if (gap > CONTIGUITY_TOLERANCE_S)
      add(
        "contiguity",
        `starts at ${beat.start_s} s, leaving a ${round1(gap)} s gap after ${cursor} s`,
        beat.id,
      );
    else if (gap < -CONTIGUITY_TOLERANCE_S)
      add(
        "contiguity",
        `starts at ${beat.start_s} s, overlapping the previous beat by ${round1(-gap)} s`,
        beat.id,
      );
    if (beat.end_s <= beat.start_s)
      add("contiguity", `ends (${beat.end_s} s) before it starts (${beat.start_s} s)`, beat.id);
    cursor = beat.end_s;
  }

  for (const beat of beats) {
    const seconds = Math.max(0, beat.end_s - beat.start_s);
    const words = countWords(spokenText(beat));
    const max = maxSpokenWords(seconds, rate);
    if (words > max)
      add(
        "vo_fits",
        `${words} spoken words in ${round1(seconds)} s; at ${rate} words/s it fits about ${Math.floor(seconds * rate)}`,
        beat.id,
      );
  }

  vrd.key_messages.forEach((message, i) => {
    const listed = beats.filter((b) => b.key_messages.some((k) => k.trim() === message.trim()));
    if (listed.length === 0) {
      add("key_message", `key message ${i + 1} "${message}" is not carried by any beat`);
      return;
    }
    const said = listed.some((b) => carriesMessage(`${spokenText(b)} ${b.text.on_screen ?? ""}`, message));
    if (!said)
      add(
        "key_message",
        `key message ${i + 1} "${message}" is listed on ${listed.map((b) => b.id).join(", ")} but neither said nor shown there`,
        listed[0]!.id,
      );
  });

  const last = beats.at(-1);
  if (vrd.call_to_action && last) {
    const cta = vrd.call_to_action;
    if (!last.parts.includes("change"))
      add(
        "cta",
        `the last beat covers ${last.parts.join("/")}, not "change", where the call to action belongs`,
        last.id,
      );
    if (!last.carries_cta) add("cta", "the last beat does not carry the call to action", last.id);
    if (!carriesMessage(`${spokenText(last)} ${last.text.on_screen ?? ""}`, cta))
      add("cta", `the last beat neither says nor shows the call to action "${cta}"`, last.id);
    const early = beats.slice(0, -1).filter((b) => b.carries_cta);
    if (early.length > 0 && !last.carries_cta)
      add(
        "cta",
        `the call to action sits on ${early.map((b) => b.id).join(", ")} instead of the last part`,
        early[0]!.id,
      );
  }

  const meta = ScriptMetadata.safeParse(script.metadata);
  if (!meta.success)
    add("metadata", `metadata incomplete: ${meta.error.issues.map((i) => i.path.join(".")).join(", ")}`);
  else {
    const m = meta.data;
    const spoken = beats.reduce((n, b) => n + countWords(spokenText(b)), 0);
    const mismatches = [
      m.platform !== vrd.platform && `platform ${m.platform} ≠ ${vrd.platform}`,
      m.aspect_ratio !== resolvedAspectRatio(vrd) &&
        `aspect ratio ${m.aspect_ratio} ≠ ${resolvedAspectRatio(vrd)}`,
      m.target_duration_s !== vrd.duration_seconds &&
        `target ${m.target_duration_s} s ≠ ${vrd.duration_seconds} s`,
      Math.abs(m.duration_s - total) > CONTIGUITY_TOLERANCE_S &&
        `duration ${m.duration_s} s ≠ ${total} s of beats`,
      m.word_count !== spoken && `word count ${m.word_count} ≠ ${spoken} spoken words`,
      !m.language && "language missing",
      Number.isNaN(Date.parse(m.created_at)) && `created_at "${m.created_at}" is not a date`,
      m.generator === "llm" && !m.model && "model missing for an LLM script",
      !script.logline.trim() && "logline missing",
    ].filter((x): x is string => Boolean(x));
    if (mismatches.length > 0)
      add("metadata", `metadata does not match the script: ${mismatches.join("; ")}`);
  }
  if (!Script.shape.script_id.safeParse(script.script_id).success) add("metadata", "script_id missing");

  const ids = beats.map((b) => b.id);
  const expectedIds = beats.map((_, i) => `B${String(i + 1).padStart(2, "0")}`);
  if (ids.join() !== expectedIds.join())
    add("metadata", `beat ids should run ${expectedIds[0]}… in order, got ${ids.join(", ")}`);

  const order = storyOrderProblem(beats.map((b) => b.parts));
  if (order) add("story_order", order);

  return problems;
}
