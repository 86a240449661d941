import type { Beat } from "../../domain/script.js";
import type { ContinuityBible, Shot } from "../../domain/shots.js";
import { capitalise } from "../../domain/text.js";
import type { AspectRatio } from "../../domain/vrd.js";
import { angleLabel, lightingPreset, movementLabel, shotLibrary, shotTypeFor } from "./library.js";
import { ownLook, ownMood } from "./look.js";

/** What the template writer needs besides the shot's code-owned fields. */
export interface WritingContext {
  beat: Beat;
  bible: ContinuityBible;
  aspectRatio: AspectRatio;
  /** First shot at its location. */
  establishing: boolean;
  /** Look fragments every beat shares (see `sharedLookFragments`): the mood written is the beat's own. */
  sharedLook: readonly string[];
  /** Where the shot sits in its beat (default: the only shot), to give it its own moment of the action. */
  moment?: { index: number; count: number };
}

type ShotWords = Pick<Shot, "description" | "storyboard">;
type ShotFields = Omit<Shot, "description" | "storyboard">;

/**
 * Deterministic words for a shot: description, frame, composition, generation prompt and negative
 * prompt. The prompt reads like a DP's note to an image/video model — camera first, then who (bible
 * description verbatim), what this size frames and the shot's own moment of the action, where (bible
 * verbatim), the product (bible verbatim), light. A wide shot never inherits "close on…" from the beat.
 */
export function writeShotWords(shot: ShotFields, ctx: WritingContext): ShotWords {
  const type = shotTypeFor(shot.size);
  const name = ctx.establishing && type.establishing ? `establishing ${type.name}` : type.name;
  const focus = focusPhrase(shot, ctx);
  const action = shotAction(ctx);
  // An empty shot's focus already names the place: naming it again would echo it.
  const where = isEmpty(shot) ? "" : ` in ${placeName(shot, ctx.bible)}`;
  const camera = `${angleLabel(shot.angle)}, ${movementLabel(shot.movement)}`;

  const description = `${capitalise(name)} of ${focus}${where}, ${camera}. ${action}`;
  const frame = `${capitalise(framePhrase(shot, ctx))}: ${stripPeriod(action)}; ${ownMood(ctx.beat, ctx.sharedLook)}.`;
  const direction =
    shot.continuity.screen_direction === "neutral"
      ? ""
      : ` Screen direction ${shot.continuity.screen_direction.replace(/_/g, " ")}.`;
  return {
    description,
    storyboard: {
      frame_description: frame,
      composition: `${type.composition}${direction}${shot.on_screen_text ? " Keep clean space for the on-screen text." : ""}`,
      prompt: composePrompt(shot, ctx, name),
      negative_prompt: negativePrompt(shot),
    },
  };
}

export function composePrompt(shot: ShotFields, ctx: WritingContext, typeName: string): string {
  const { bible, beat } = ctx;
  const parts: string[] = [
    `${capitalise(typeName)}, ${angleLabel(shot.angle)}, ${movementLabel(shot.movement)}, ${shot.lens_mm} mm lens, ${ctx.aspectRatio}.`,
  ];
  for (const name of shot.subjects) {
    const c = bible.characters.find((x) => x.name === name);
    if (!c) continue;
    parts.push(`${c.name}, ${c.description}${c.wardrobe ? `, wearing ${c.wardrobe}` : ""}.`);
  }
  // Script notes ("illustrates "…"", "(mirrors the first beat)") are for people: a model would draw the words.
  parts.push(`${capitalise(framePhrase(shot, ctx))}.`, shotAction(ctx, false));
  const location = bible.locations.find((l) => l.name === shot.location);
  if (location) parts.push(`Setting: ${location.description}.`);
  for (const name of shot.props) {
    const p = bible.props.find((x) => x.name === name);
    if (p) parts.push(`${p.name}: ${p.description}.`);
  }
  // The light and mood are this beat's own; the film's shared tone lives in the palette and the bible.
  const preset = lightingPreset(shot.lighting.preset);
  const feel = preset ? ` (${preset.mood})` : "";
  parts.push(
    `${capitalise(preset?.label ?? shot.lighting.preset)} lighting${feel}, ${shot.lighting.color_temperature_k} K, key to fill ${shot.lighting.key_fill_ratio}; ${stripPeriod(ownMood(beat, ctx.sharedLook))} mood.`,
  );
  if (bible.palette.length > 0) parts.push(`Palette: ${bible.palette.join(", ")}.`);
  return parts.join(" ");
}

/** Camera directions a script may write into an action ("Close on Maya…"): the shot's own size frames it. */
const CAMERA_LEAD =
  /^(?:(?:extreme\s+)?close[\s-]?ups?\s+(?:on|of)|close\s+on|tight\s+on|(?:extreme\s+)?wide(?:\s+shot)?\s+(?:on|of)|(?:slow\s+)?push(?:es)?[\s-]in\s+(?:on|to)|cut\s+to|insert\s+(?:shot\s+)?(?:on|of)|(?:e?cu|mcu|ms|e?ws)\s+(?:on|of))\s+/i;

/** Notes about the moment before them ("illustrates …", "call to action"), not moments of their own. */
const NOTE = /^(?:illustrates|call to action)\b/i;

/** An aside about the script's structure ("(mirrors the first beat)"): nothing a camera can see. */
const STRUCTURE_NOTE = /\s*\([^)]*\b(?:beat|shot|scene)s?\b[^)]*\)/gi;

/**
 * A beat's action as its separate moments ("…; then …"), each without camera directions. With
 * `keepNotes` false the notes are dropped: what is left is what the frame shows.
 */
export function actionMoments(action: string, keepNotes = true): string[] {
  const moments: string[] = [];
  for (const part of action.split(/;\s*(?:then\s+)?|\.\s+(?=\p{Lu})/u)) {
    let m = stripPeriod(part).replace(CAMERA_LEAD, "").trim();
    if (!keepNotes) m = m.replace(STRUCTURE_NOTE, "").trim();
    if (!m) continue;
    if (NOTE.test(m) && moments.length > 0) {
      if (keepNotes) moments[moments.length - 1] += `; ${m}`;
    } else moments.push(capitalise(m));
  }
  return moments;
}

const shotAction = (ctx: WritingContext, keepNotes = true) =>
  shotMoment(ctx.beat.look.action, ctx.moment, keepNotes);

/**
 * The part of the beat's action a shot shows: the moments are spread over the beat's shots in
 * order (a two-moment beat in two shots gives each its own), and every shot gets at least one.
 */
export function shotMoment(
  action: string,
  moment: { index: number; count: number } = { index: 0, count: 1 },
  keepNotes = true,
): string {
  const moments = actionMoments(action, keepNotes);
  const { index, count } = moment;
  if (moments.length === 0) return "";
  const from = Math.min(moments.length - 1, Math.floor((index * moments.length) / count));
  const to = Math.max(from + 1, Math.floor(((index + 1) * moments.length) / count));
  return moments
    .slice(from, to)
    .map((m) => `${m}.`)
    .join(" ");
}

/** What this shot's size shows: "Priya from the waist up", "the whole of Kitchen, Priya seen full figure…". */
function framePhrase(shot: ShotFields, ctx: WritingContext): string {
  const type = shotTypeFor(shot.size);
  const place = placeName(shot, ctx.bible);
  if (isEmpty(shot)) {
    if (type.frames === "scene") return `${place} in full`;
    const detail = placeDetail(shot, ctx);
    return detail ? `close on ${detail}, a telling detail of ${place}` : `one telling detail of ${place}`;
  }
  const who = focusPhrase(shot, ctx);
  return type.frame_phrase.replaceAll("{who}", who).replaceAll("{place}", place);
}

const isEmpty = (shot: Pick<Shot, "subjects" | "props">) =>
  shot.subjects.length === 0 && shot.props.length === 0;

/**
 * The place as the words name it: its bible name, or "the setting" when that name is only the opening
 * words of its description (a place the script described but never named), which the prompt quotes anyway.
 */
function placeName(shot: Pick<Shot, "location">, bible: ContinuityBible): string {
  const location = bible.locations.find((l) => l.name === shot.location);
  if (!location) return "the setting";
  const name = location.name.toLowerCase();
  const description = location.description.toLowerCase();
  const opening = description.split(/[,.;:(—–-]/)[0]?.trim();
  const echoes = name.endsWith("...") ? description.startsWith(name.slice(0, -3)) : opening === name;
  return echoes ? "the setting" : location.name;
}

/** Parts of a place a detail shot cannot frame as a thing: its light, its sound. */
const NOT_A_THING =
  /\b(?:light|lit|sun|sunlight|sunny|glow|dawn|dusk|morning|afternoon|evening|night|chatter|music|noise|sound|hum|silence|quiet)\b/i;

/**
 * One thing in the place for a detail shot to frame ("the oak counter"), taken from the bible's
 * description after its first fragment (the place as a whole) and without the film's shared style.
 * A detail the shot's moment mentions wins; otherwise successive shots take different details.
 */
function placeDetail(shot: Pick<Shot, "id" | "location">, ctx: WritingContext): string | null {
  const location = ctx.bible.locations.find((l) => l.name === shot.location);
  if (!location) return null;
  const [, ...rest] = ownLook(location.description, ctx.sharedLook).split(/\s*[,;]\s*/);
  const details = rest.filter((f) => f && !NOT_A_THING.test(f));
  if (details.length === 0) return null;
  const moment = shotAction(ctx).toLowerCase();
  const mentioned = details.find((d) =>
    d
      .toLowerCase()
      .split(/\s+/)
      .some((w) => w.length >= 4 && moment.includes(w)),
  );
  const n = Number.parseInt(shot.id.replace(/\D/g, ""), 10) || 0;
  const detail = mentioned ?? (details[n % details.length] as string);
  return /^(?:a|an|the|some)\s/i.test(detail) ? detail : `the ${detail}`;
}

/** Things the model must not add: stray people and text always; logos unless the product carries one. */
export function negativePrompt(shot: Pick<Shot, "subjects" | "props" | "requirements">): string {
  const n = shotLibrary().negative_prompt;
  const terms = [...n.base];
  if (shot.subjects.length > 0) terms.push(...n.people);
  else terms.push("people");
  if (!shot.requirements.text_rendering) terms.push(...n.no_text);
  if (shot.props.length > 0) terms.push(...n.product);
  else terms.push(...n.no_logos);
  return [...new Set(terms)].join(", ");
}

function focusPhrase(shot: ShotFields, ctx: WritingContext): string {
  if (shot.subjects.length > 0 && shot.props.length > 0 && shotTypeFor(shot.size).frames === "object")
    return `${list(shot.props)} with ${list(shot.subjects)}`;
  if (shot.subjects.length > 0 && shot.size === "INSERT")
    return `the detail in ${list(shot.subjects)}'s hands`;
  if (shot.subjects.length > 0) return list(shot.subjects);
  if (shot.props.length > 0) return list(shot.props);
  // An empty shot frames the place or a detail of it; the beat's setting text would echo the bible.
  const place = placeName(shot, ctx.bible);
  if (shotTypeFor(shot.size).frames === "scene") return place;
  const detail = placeDetail(shot, ctx);
  return detail ? `${detail} in ${place}` : `one telling detail of ${place}`;
}

const list = (names: string[]) =>
  names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
const stripPeriod = (s: string) => s.trim().replace(/[.!?]+$/, "");
