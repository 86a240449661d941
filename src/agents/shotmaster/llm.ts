import { z } from "zod";
import type { Beat, Script } from "../../domain/script.js";
import type { Shot } from "../../domain/shots.js";
import { addUsage, noUsage, type TokenUsage } from "../../domain/usage.js";
import type { Vrd } from "../../domain/vrd.js";
import type { StructuredLlm } from "../llm.js";
import { settleWithLimit } from "./concurrency.js";
import { enforceContinuity, requiredQuotes } from "./continuity.js";
import { lightingPreset } from "./library.js";
import { assignAudio, type PlannedShot } from "./plan.js";
import { shotComplexity } from "./requirements.js";
import { beatTenths, MIN_SHOT_SECONDS, scaleToTenths, tenthsToSeconds } from "./timing.js";

/** What the model writes per shot. Every field is required (strict structured output needs that). */
export const ShotWords = z.object({
  id: z.string().describe("the shot id exactly as given"),
  duration_s: z
    .number()
    .describe(
      "seconds; the shots of one beat must add up to the beat's duration_s (keep the given value if unsure)",
    ),
  description: z.string().min(1).describe("one or two sentences: what happens in this shot"),
  frame_description: z.string().min(1).describe("what the storyboard frame shows"),
  composition: z.string().min(1).describe("placement in frame, lines, depth, space for text"),
  prompt: z.string().min(1).describe("generation prompt for an image/video model"),
  negative_prompt: z.string().describe("comma-separated things the model must avoid"),
});
export const ShotWritingReply = z.object({ shots: z.array(ShotWords) });
export type ShotWritingReply = z.infer<typeof ShotWritingReply>;

export const DEFAULT_CONCURRENCY = 4;
/** A 60 s production may spend 6 calls in all and the script takes 1: shots take at most 4. */
export const DEFAULT_MAX_GROUPS = 4;

export interface LlmWritingOptions {
  concurrency?: number;
  maxGroups?: number;
}

export interface LlmWritingResult {
  usage: TokenUsage;
  repairs: string[];
  warnings: string[];
}

/** Contiguous, balanced groups of beats: at most `maxGroups`, so at most that many model calls. */
export function groupBeats<T>(beats: readonly T[], maxGroups = DEFAULT_MAX_GROUPS): T[][] {
  const groups = Math.max(1, Math.min(Math.floor(maxGroups) || 1, beats.length));
  const out: T[][] = [];
  let start = 0;
  for (let g = 0; g < groups; g++) {
    const size = Math.floor(beats.length / groups) + (g < beats.length % groups ? 1 : 0);
    out.push(beats.slice(start, start + size));
    start += size;
  }
  return out.filter((group) => group.length > 0);
}

/**
 * Ask the model for the words of every planned shot, one call per group of beats, groups in parallel.
 * Code has already fixed ids, durations, camera and continuity; the reply is checked against them and
 * repaired: durations re-timed to the beat, bible descriptions put back verbatim, missing shots keep
 * their template words. A group whose call fails keeps template words and is reported; if every call
 * fails the error is thrown, since nothing came from the model.
 */
export async function writeShotsWithLlm(
  planned: PlannedShot[],
  script: Script,
  vrd: Vrd,
  llm: StructuredLlm,
  options: LlmWritingOptions = {},
): Promise<LlmWritingResult> {
  const groups = groupBeats(script.beats, options.maxGroups ?? DEFAULT_MAX_GROUPS);
  const settled = await settleWithLimit(groups, options.concurrency ?? DEFAULT_CONCURRENCY, (beats) =>
    llm.generate({
      name: "shot_words",
      system: systemPrompt(vrd),
      user: userPrompt(beats, planned, vrd),
      schema: ShotWritingReply,
    }),
  );

  const result: LlmWritingResult = { usage: noUsage(), repairs: [], warnings: [] };
  settled.forEach((outcome, g) => {
    const beats = groups[g] as Beat[];
    const label = beats.length === 1 ? beats[0]?.id : `${beats[0]?.id}–${beats[beats.length - 1]?.id}`;
    if (outcome.status === "rejected") {
      const why = outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason);
      result.warnings.push(`beats ${label}: the model call failed (${why}); template words used`);
      return;
    }
    result.usage = addUsage(result.usage, outcome.value.usage);
    applyReply(beats, planned, outcome.value.data, result);
  });
  if (settled.every((s) => s.status === "rejected")) throw (settled[0] as PromiseRejectedResult).reason;
  return result;
}

/** Merge one group's reply into the planned shots, repairing what breaks the code-owned rules. */
export function applyReply(
  beats: Beat[],
  planned: PlannedShot[],
  reply: ShotWritingReply,
  result: Pick<LlmWritingResult, "repairs" | "warnings">,
): void {
  const byId = new Map(reply.shots.map((s) => [s.id.trim(), s]));
  const beatIds = new Set(beats.map((b) => b.id));
  const inGroup = planned.filter((p) => beatIds.has(p.shot.beat_id));
  const known = new Set(inGroup.map((p) => p.shot.id));
  const unknown = [...byId.keys()].filter((id) => !known.has(id));
  if (unknown.length > 0) result.repairs.push(`ignored shots the model invented: ${unknown.join(", ")}`);
  const unwritten: string[] = [];
  const restored: string[] = [];

  for (const p of inGroup) {
    const words = byId.get(p.shot.id);
    if (!words) {
      unwritten.push(p.shot.id);
      continue;
    }
    const { shot } = p;
    shot.description = words.description.trim();
    const fixed = enforceContinuity(withAspectRatio(words.prompt, p), shot, p.context.bible);
    if (fixed.restored.length > 0) restored.push(`${shot.id} (${fixed.restored.join(", ")})`);
    shot.storyboard = {
      frame_description: words.frame_description.trim(),
      composition: words.composition.trim(),
      prompt: fixed.prompt,
      // The code's safety terms stay; the model may add its own.
      negative_prompt: mergeTerms(words.negative_prompt, shot.storyboard.negative_prompt),
    };
  }
  if (unwritten.length > 0)
    result.repairs.push(`the model did not write ${unwritten.join(", ")}; template words kept`);
  if (restored.length > 0)
    result.repairs.push(`put the continuity bible's exact descriptions back into ${restored.join("; ")}`);

  for (const beat of beats)
    retime(
      beat,
      inGroup.filter((p) => p.shot.beat_id === beat.id),
      byId,
      result,
    );
}

/** Take the model's seconds for a beat's shots when they are sane; otherwise re-time them in code. */
function retime(
  beat: Beat,
  shots: PlannedShot[],
  byId: Map<string, z.infer<typeof ShotWords>>,
  result: Pick<LlmWritingResult, "repairs">,
): void {
  if (shots.length === 0) return;
  const total = beatTenths(beat);
  const suggested = shots.map((p) => byId.get(p.shot.id)?.duration_s);
  // A shot the model did not write is already reported; a duration that cannot be a length is noted here.
  const unusable = shots.filter((_, i) => {
    const s = suggested[i];
    return s !== undefined && (!Number.isFinite(s) || s <= 0);
  });
  if (unusable.length > 0)
    result.repairs.push(
      `${beat.id}: the model gave ${unusable.map((p) => `${p.shot.id} ${byId.get(p.shot.id)?.duration_s} s`).join(", ")}, which cannot be a shot's length; kept the planned durations`,
    );
  if (suggested.some((s) => s === undefined || !Number.isFinite(s) || s <= 0)) return; // keep the plan
  const tenths = suggested.map((s) => Math.round((s as number) * 10));
  const sum = tenths.reduce((a, b) => a + b, 0);
  const floor = Math.min(MIN_SHOT_SECONDS * 10, Math.floor(total / shots.length));
  let chosen = tenths;
  if (sum !== total) {
    chosen = scaleToTenths(suggested as number[], total);
    result.repairs.push(
      `${beat.id}: the model's shot durations added up to ${tenthsToSeconds(sum)} s, the beat lasts ${tenthsToSeconds(total)} s; re-timed in proportion`,
    );
  }
  if (chosen.some((t) => t < floor)) {
    result.repairs.push(
      `${beat.id}: the model made a shot shorter than ${floor / 10} s; kept the even split`,
    );
    return;
  }
  shots.forEach((p, i) => {
    p.shot.duration_s = tenthsToSeconds(chosen[i] as number);
    p.shot.complexity = shotComplexity(p.shot, p.shot.requirements);
  });
  assignAudio(
    beat,
    shots.map((p) => p.shot),
  );
}

function withAspectRatio(prompt: string, p: PlannedShot): string {
  const ratio = p.context.aspectRatio;
  return prompt.includes(ratio)
    ? prompt.trim()
    : `${prompt.trim().replace(/[.\s]*$/, ".")} Aspect ratio ${ratio}.`;
}

function mergeTerms(...lists: string[]): string {
  const terms = lists
    .flatMap((l) => l.split(","))
    .map((t) => t.trim())
    .filter(Boolean);
  const seen = new Set<string>();
  return terms.filter((t) => !seen.has(t.toLowerCase()) && seen.add(t.toLowerCase())).join(", ");
}

function systemPrompt(vrd: Vrd): string {
  return [
    "You are a director of photography writing a shot list that an AI video pipeline will generate shot by shot.",
    "The shots are already planned: ids, camera (size, angle, movement, lens), lighting, who and what is in frame.",
    "For every shot you are given, write: description (what happens, one or two sentences), frame_description",
    "(what the storyboard frame shows), composition (placement, lines, depth, room for on-screen text),",
    "prompt (for an image/video model: open with the shot size, angle, movement, lens and aspect ratio as given,",
    "then the people, their action, the setting, the light and the mood) and negative_prompt.",
    "Rules:",
    "- Return every shot id exactly once; do not add, drop or renumber shots; do not change the camera or lighting.",
    "- Copy every string in a shot's must_quote into its prompt word for word. They are the continuity bible:",
    "  paraphrasing them makes the person, place or product look different from shot to shot.",
    "- duration_s: you may shift seconds between the shots of one beat for rhythm, but they must add up to",
    "  the beat's duration_s; no shot under 1 second.",
    "- Keep the given screen direction; show only the people and products listed for the shot.",
    `- Write in the language "${vrd.language}". Plain, concrete, visual words; no camera brand names.`,
  ].join("\n");
}

function userPrompt(beats: Beat[], planned: PlannedShot[], vrd: Vrd): string {
  const first = planned[0]?.context;
  const bible = first?.bible;
  const payload = {
    video: {
      title: vrd.title,
      aspect_ratio: first?.aspectRatio,
      tone: vrd.tone,
      style: vrd.style ?? null,
      palette: bible?.palette ?? [],
      brand_do: vrd.brand?.do ?? [],
      brand_dont: vrd.brand?.dont ?? [],
    },
    beats: beats.map((beat) => ({
      id: beat.id,
      parts: beat.parts,
      duration_s: tenthsToSeconds(beatTenths(beat)),
      action: beat.look.action,
      setting: beat.look.setting,
      mood: beat.look.mood,
      emotion: beat.emotion,
      purpose: beat.purpose,
      voice_over: beat.audio.voice_over,
      dialogue: beat.audio.dialogue,
      on_screen_text: beat.text.on_screen,
      shots: planned.filter((p) => p.shot.beat_id === beat.id).map((p) => shotBrief(p.shot, p)),
    })),
  };
  return JSON.stringify(payload, null, 1);
}

function shotBrief(shot: Shot, p: PlannedShot) {
  return {
    id: shot.id,
    duration_s: shot.duration_s,
    size: shot.size,
    angle: shot.angle,
    movement: shot.movement,
    lens_mm: shot.lens_mm,
    lighting: `${lightingPreset(shot.lighting.preset)?.label ?? shot.lighting.preset}, ${shot.lighting.color_temperature_k} K, key:fill ${shot.lighting.key_fill_ratio}`,
    subjects: shot.subjects,
    location: shot.location,
    props: shot.props,
    screen_direction: shot.continuity.screen_direction,
    on_screen_text: shot.on_screen_text,
    must_quote: requiredQuotes(shot, p.context.bible).map((q) => q.text),
    establishing: p.context.establishing,
  };
}
