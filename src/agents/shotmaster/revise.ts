import { ValidationError } from "../../domain/errors.js";
import { parseOrThrow } from "../../domain/parse.js";
import { type Beat, Script } from "../../domain/script.js";
import { type Shot, ShotList, type ShotSize } from "../../domain/shots.js";
import { addUsage, noUsage } from "../../domain/usage.js";
import type { Vrd } from "../../domain/vrd.js";
import type { StructuredLlm } from "../llm.js";
import { summarizeAssets } from "./assets.js";
import { requiredQuotes } from "./continuity.js";
import { countKeywords, lightingPreset, requestedSize, shotLibrary, shotTypeFor } from "./library.js";
import { lightingFromPreset } from "./lighting.js";
import { applyReply, ShotWritingReply } from "./llm.js";
import { sharedLookFragments } from "./look.js";
import { finishShot, type PlannedShot } from "./plan.js";
import { generateStoryboardFrames } from "./storyboard.js";
import { validateShotList } from "./validate.js";

export interface ReviseShotsOptions {
  /** Shots to change; when absent, the shots the feedback names (by id, beat, person, place, product), else all. */
  shotIds?: string[];
  script: Script;
  vrd: Vrd;
  llm?: StructuredLlm | null;
  now?: () => Date;
}

/** A camera or light change read from feedback words; code applies it, the model never guesses it. */
export interface ShotChange {
  size?: ShotSize;
  sizeStep?: -1 | 1;
  angle?: Shot["angle"];
  movement?: Shot["movement"];
  lightingPreset?: string;
  temperatureShiftK?: number;
}

/**
 * Revise a shot list from reviewer feedback. Only the named shots (or those the feedback names)
 * change; every other shot is returned exactly as it was, ids included. The continuity bible is kept,
 * so a revised shot still quotes the same descriptions. Returns the next version.
 */
export async function reviseShots(
  shotList: ShotList,
  feedback: string,
  options: ReviseShotsOptions,
): Promise<ShotList> {
  const current = parseOrThrow(ShotList, shotList, "shot list");
  const script = parseOrThrow(Script, options.script, "script");
  const note = feedback.trim();
  if (!note) throw new ValidationError([{ field: "feedback", message: "must not be empty" }], "revision");
  const targets = targetShots(current, note, options.shotIds);

  const shots: Shot[] = structuredClone(current.shots);
  const beats = new Map(script.beats.map((b) => [b.id, b]));
  const seen = new Set<string>();
  const sharedLook = sharedLookFragments(script.beats);
  const planned: PlannedShot[] = [];
  for (const [i, shot] of shots.entries()) {
    const establishing = shot.location !== null && !seen.has(shot.location);
    if (shot.location) seen.add(shot.location);
    if (!targets.has(shot.id)) continue;
    const beat = beats.get(shot.beat_id);
    if (!beat)
      throw new ValidationError([{ field: "script", message: `has no beat ${shot.beat_id}` }], "revision");
    planned.push({
      shot,
      context: {
        beat,
        bible: current.continuity_bible,
        aspectRatio: current.aspect_ratio,
        establishing,
        sharedLook,
        moment: momentOf(shots, i),
      },
    });
  }

  const change = readChange(note);
  const warnings: string[] = [];
  const repairs: string[] = [];
  if (hasChange(change) || options.llm) {
    for (const p of planned) applyChange(p.shot, p.context.beat, change, sharedLook);
    const appearances = new Map<string, number>();
    for (const shot of shots)
      for (const name of shot.subjects) appearances.set(name, (appearances.get(name) ?? 0) + 1);
    for (const p of planned) finishShot(p, appearances);
  }

  let usage = noUsage();
  if (options.llm) {
    const result = await options.llm.generate({
      name: "shot_revision",
      system: REVISION_SYSTEM,
      user: JSON.stringify(
        {
          feedback: note,
          aspect_ratio: current.aspect_ratio,
          shots: planned.map((p) => ({
            ...p.shot,
            beat: { action: p.context.beat.look.action, mood: p.context.beat.look.mood },
            must_quote: requiredQuotes(p.shot, p.context.bible).map((q) => q.text),
          })),
        },
        null,
        1,
      ),
      schema: ShotWritingReply,
    });
    usage = result.usage;
    // Durations stay as they are in a revision: the reply's seconds are set to the current ones.
    const reply = {
      shots: result.data.shots.map((s) => ({
        ...s,
        duration_s: shots.find((x) => x.id === s.id.trim())?.duration_s ?? s.duration_s,
      })),
    };
    const byBeat = new Map<string, Beat>();
    for (const p of planned) byBeat.set(p.context.beat.id, p.context.beat);
    applyReply([...byBeat.values()], planned, reply, { repairs, warnings });
  } else if (!hasChange(change)) {
    warnings.push(
      `template mode found no camera or lighting change in "${note}" (try "tighter", "low angle", "handheld", "golden hour"); shots unchanged`,
    );
  }

  const revised: ShotList = {
    ...current,
    version: current.version + 1,
    shots,
    asset_summary: summarizeAssets(shots, script, current.continuity_bible),
    storyboard_panels: generateStoryboardFrames(shots, current.aspect_ratio),
    metadata: {
      generator: options.llm || current.metadata.generator === "llm" ? "llm" : "template",
      model: options.llm?.model ?? current.metadata.model,
      created_at: (options.now?.() ?? new Date()).toISOString(),
      warnings,
      repairs,
      usage: addUsage(current.metadata.usage, usage),
    },
  };
  revised.metadata.warnings.push(...validateShotList(revised, script));
  return parseOrThrow(ShotList, revised, "shot list");
}

/** Which shots a revision may touch. */
export function targetShots(shotList: ShotList, feedback: string, shotIds?: string[]): Set<string> {
  const ids = new Set(shotList.shots.map((s) => s.id));
  if (shotIds && shotIds.length > 0) {
    const unknown = shotIds.filter((id) => !ids.has(id));
    if (unknown.length > 0)
      throw new ValidationError(
        [
          {
            field: "shotIds",
            message: `no such shot: ${unknown.join(", ")} (the list has ${[...ids].join(", ")})`,
          },
        ],
        "revision",
      );
    return new Set(shotIds);
  }
  const named = new Set<string>();
  for (const m of feedback.matchAll(/\b(?:S|shot\s*)(\d{1,3})([a-z]?)\b/gi)) {
    const id = `S${String(Number(m[1])).padStart(2, "0")}${m[2] ?? ""}`;
    if (ids.has(id)) named.add(id);
  }
  for (const m of feedback.matchAll(/\b(?:B|beat\s*)(\d{1,3})\b/gi)) {
    const beatId = `B${String(Number(m[1])).padStart(2, "0")}`;
    for (const s of shotList.shots) if (s.beat_id === beatId) named.add(s.id);
  }
  if (named.size > 0) return named;
  const mentioned = (name: string) => feedback.toLowerCase().includes(name.toLowerCase());
  for (const s of shotList.shots) {
    const shows =
      s.subjects.some(mentioned) || s.props.some(mentioned) || (s.location !== null && mentioned(s.location));
    if (shows) named.add(s.id);
  }
  // Feedback naming nothing in particular ("moodier overall") is about the whole list.
  if (named.size === 0) for (const s of shotList.shots) named.add(s.id);
  return named;
}

export function readChange(feedback: string): ShotChange {
  const cues = shotLibrary().revision_cues;
  const change: ShotChange = {};
  const asked = requestedSize(feedback);
  if (asked) change.size = asked;
  else if (countKeywords(feedback, cues.tighter) > 0) change.sizeStep = 1;
  else if (countKeywords(feedback, cues.wider) > 0) change.sizeStep = -1;
  for (const [angle, words] of Object.entries(cues.angles))
    if (words && countKeywords(feedback, words) > 0) change.angle = angle as Shot["angle"];
  for (const [move, words] of Object.entries(cues.movements))
    if (words && countKeywords(feedback, words) > 0) {
      change.movement = move as Shot["movement"];
      break;
    }
  for (const [preset, words] of Object.entries(cues.lighting))
    if (lightingPreset(preset) && countKeywords(feedback, words) > 0) {
      change.lightingPreset = preset;
      break;
    }
  if (countKeywords(feedback, cues.warmer) > 0) change.temperatureShiftK = -800;
  else if (countKeywords(feedback, cues.cooler) > 0) change.temperatureShiftK = 800;
  return change;
}

const hasChange = (c: ShotChange) => Object.keys(c).length > 0;

function applyChange(shot: Shot, beat: Beat, change: ShotChange, sharedLook: readonly string[]): void {
  const order = shotLibrary().size_order;
  let size = change.size;
  if (!size && change.sizeStep) {
    const at = order.indexOf(shot.size);
    const from = at >= 0 ? at : order.indexOf(change.sizeStep > 0 ? "MCU" : "MS");
    size = order[Math.max(0, Math.min(order.length - 1, from + change.sizeStep))];
  }
  if (size && size !== shot.size) {
    const type = shotTypeFor(size);
    shot.size = size;
    shot.lens_mm = type.lens_mm;
    if (!type.movements.includes(shot.movement)) shot.movement = type.movements[0] ?? "static";
  }
  if (change.angle) shot.angle = change.angle;
  if (change.movement) shot.movement = change.movement;
  if (change.lightingPreset)
    shot.lighting = lightingFromPreset(change.lightingPreset, beat, sharedLook) ?? shot.lighting;
  if (change.temperatureShiftK) {
    const k = Math.max(1900, Math.min(10000, shot.lighting.color_temperature_k + change.temperatureShiftK));
    shot.lighting = { ...shot.lighting, color_temperature_k: k };
  }
}

const REVISION_SYSTEM = [
  "You are a director of photography revising shots of a shot list after a reviewer's feedback.",
  "The camera and lighting fields of each shot are already updated by code; rewrite its words to match",
  "them and the feedback: description, frame_description, composition, prompt (open with size, angle,",
  "movement, lens and aspect ratio) and negative_prompt. Return every given shot id exactly once and",
  "keep duration_s as given. Copy every must_quote string into the prompt word for word: it is the",
  "continuity bible, and changing it makes the person or product look different from the other shots.",
].join("\n");

/** A shot's place among its beat's shots, so its words keep to its own moment of the action. */
function momentOf(shots: readonly Shot[], i: number): { index: number; count: number } {
  const beatId = shots[i]!.beat_id;
  const same = shots.filter((s) => s.beat_id === beatId);
  return { index: same.indexOf(shots[i]!), count: same.length };
}
