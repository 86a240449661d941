import { z } from "zod";
import { type Beat, StoryPart } from "../../domain/script.js";
import type { Vrd } from "../../domain/vrd.js";
import { beatId } from "./assemble.js";
import { MAX_TEMPLATE_BEATS } from "./story.js";
import { allocateDurations, timeline } from "./timing.js";

/**
 * "Nothing here" as a model may write it (null for a list, [] or "" for a text): harmless, so code
 * fills the empty value instead of re-asking. The JSON Schema the model is sent still lists every field
 * as required (a nullable list is `anyOf [array, null]`), as OpenAI's strict mode needs.
 */
const emptyList = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullable()

    .transform((v): z.output<T>[] => v ?? []);
const optionalText = () =>
  z
    .string()
    .nullable()

    .transform((v) => v?.trim() || null);
/** Music cues: models write several as a list, and "no music" as []. */
const musicCue = () =>
  z
    .union([z.string(), z.array(z.string())])
    .nullable()

    .transform((v) => (Array.isArray(v) ? v.join(", ") : v)?.trim() || null);

/** A dialogue line; `{character: "", line: ""}` is an empty slot, but a line needs its speaker. */
const DraftDialogueLine = z
  .object({ character: z.string(), line: z.string() })
  .refine((d) => !d.line.trim() || d.character.trim(), {
    message: "a spoken line needs the character who says it",
    path: ["character"],
  });

/** Most beats a draft may have: enough to revise the longest template script (see MAX_TEMPLATE_BEATS). */
export const MAX_DRAFT_BEATS = MAX_TEMPLATE_BEATS;

/**
 * What the model is asked for: words and a relative length per beat, nothing code can compute.
 * Key messages are referred to by number so the script quotes the brief verbatim in `key_messages`.
 * Every field is required in the schema sent (absent = null or []): OpenAI's strict structured output
 * rejects optional and defaulted fields. Empty values are filled in code (see `emptyList`).
 */
export const DraftBeat = z.object({
  parts: z.array(StoryPart).min(1).describe("Story-circle parts this beat covers, adjacent and in order"),
  approx_seconds: z
    .number()
    .positive()
    .describe("Relative length; code rescales all beats to the exact duration"),
  voice_over: optionalText().describe("Voice-over words, or null"),
  dialogue: emptyList(DraftDialogueLine)
    .transform((lines) => lines.filter((l) => l.line.trim()))
    .describe("On-camera lines (need lip-sync); empty for voice-over"),
  music: musicCue().describe("Music cue, or null"),
  sfx: emptyList(z.string()).describe("Sound effects, or empty"),
  look: z.object({
    action: z.string().min(1),
    setting: z.string().min(1),
    characters: emptyList(z.string()),
    mood: z.string().min(1),
  }),
  on_screen_text: optionalText(),
  text_style: z.enum(["super", "lower_third", "caption", "title", "end_card"]).nullable(),
  emotion: z.string().min(1),
  purpose: z.string().min(1),
  key_message_numbers: emptyList(z.number().int().min(1)).describe(
    "Numbers of the key messages this beat carries",
  ),
  carries_cta: z.boolean(),
});
export type DraftBeat = z.infer<typeof DraftBeat>;

export const ScriptDraft = z.object({
  logline: z.string().min(1),
  beats: z.array(DraftBeat).min(1).max(MAX_DRAFT_BEATS),
});
export type ScriptDraft = z.infer<typeof ScriptDraft>;

/** A beat's words as a draft beat (for showing the current script to the model). */
export function draftOfBeat(beat: Beat, vrd: Vrd): DraftBeat & { id: string } {
  return {
    id: beat.id,
    parts: beat.parts,
    approx_seconds: Math.round((beat.end_s - beat.start_s) * 10) / 10,
    voice_over: beat.audio.voice_over,
    dialogue: beat.audio.dialogue,
    music: beat.audio.music,
    sfx: beat.audio.sfx,
    look: beat.look,
    on_screen_text: beat.text.on_screen,
    text_style: beat.text.style,
    emotion: beat.emotion,
    purpose: beat.purpose,
    key_message_numbers: beat.key_messages.map((k) => vrd.key_messages.indexOf(k) + 1).filter((n) => n > 0),
    carries_cta: beat.carries_cta,
  };
}

/** One draft beat as a Beat, timings to be set by the caller. */
export function beatOfDraft(
  d: DraftBeat,
  index: number,
  vrd: Vrd,
  span: { start_s: number; end_s: number },
): Beat {
  const blank = (s: string | null | undefined) => (s?.trim() ? s.trim() : null);
  return {
    id: beatId(index),
    parts: d.parts,
    ...span,
    audio: {
      voice_over: blank(d.voice_over),
      dialogue: d.dialogue.filter((l) => l.line.trim()),
      music: blank(d.music),
      sfx: d.sfx.filter((s) => s.trim()),
    },
    look: d.look,
    text: { on_screen: blank(d.on_screen_text), style: blank(d.on_screen_text) ? d.text_style : null },
    emotion: d.emotion,
    purpose: d.purpose,
    key_messages: [...new Set(d.key_message_numbers)]
      .filter((n) => n >= 1 && n <= vrd.key_messages.length)
      .map((n) => vrd.key_messages[n - 1]!),
    carries_cta: d.carries_cta,
  };
}

/**
 * Beats from a draft: ids in order, timings computed in code from the model's relative lengths,
 * contiguous and summing to the brief's duration. Returns what timing repair changed.
 */
export function beatsFromDraft(draft: ScriptDraft, vrd: Vrd): { beats: Beat[]; repairs: string[] } {
  const asked = draft.beats.map((b) => b.approx_seconds);
  const durations = allocateDurations(asked, vrd.duration_seconds);
  const spans = timeline(durations);
  const repairs: string[] = [];
  const sum = asked.reduce((a, b) => a + b, 0);
  const moved = durations.filter((d, i) => Math.abs(d - asked[i]!) > 0.05).length;
  if (moved > 0)
    repairs.push(
      `Re-timed ${moved} of ${asked.length} beats in code: the draft's lengths summed to ${Math.round(sum * 10) / 10} s for a ${vrd.duration_seconds} s target.`,
    );
  const dropped = draft.beats
    .flatMap((b) => b.key_message_numbers)
    .filter((n) => n < 1 || n > vrd.key_messages.length);
  if (dropped.length > 0)
    repairs.push(`Ignored key message number(s) ${dropped.join(", ")} that the brief does not have.`);
  return { beats: draft.beats.map((d, i) => beatOfDraft(d, i, vrd, spans[i]!)), repairs };
}
