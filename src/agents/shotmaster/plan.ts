import type { Beat, Script } from "../../domain/script.js";
import type { ContinuityBible, Shot, ShotSize } from "../../domain/shots.js";
import type { AspectRatio } from "../../domain/vrd.js";
import {
  type BeatCast,
  castForBeat,
  mentions,
  nextScreenDirection,
  propsNamedIn,
  type ScreenDirection,
} from "./continuity.js";
import { hasKeyword, shotLibrary } from "./library.js";
import { designLighting } from "./lighting.js";
import { sharedLookFragments } from "./look.js";
import { shotComplexity, shotRequirements } from "./requirements.js";
import { determineShotType } from "./shot-type.js";
import { shotMoment, type WritingContext, writeShotWords } from "./template.js";
import { beatTenths, shotCountForBeat, splitEvenly, tenthsToSeconds } from "./timing.js";

/** A shot with everything code decides, plus the context its words were (and may again be) written from. */
export interface PlannedShot {
  shot: Shot;
  context: WritingContext;
}

/** Voice-over pace used to place lines on shots (the script validator's default). */
const SPEAKING_WORDS_PER_SECOND = 2.5;

export const shotId = (n: number) => `S${String(n).padStart(2, "0")}`;

/**
 * Break every beat into shots and decide everything that is not prose: ids, durations, size, angle,
 * movement, lens, lighting, who and what is in frame, continuity, transition, requirements and
 * complexity. Each shot also gets template words, which the LLM path may replace.
 */
export function planShots(script: Script, bible: ContinuityBible, aspectRatio: AspectRatio): PlannedShot[] {
  const planned: PlannedShot[] = [];
  const sizes: ShotSize[] = [];
  const seenLocations = new Set<string>();
  let direction: ScreenDirection = "neutral";
  const beats = script.beats;
  const sharedLook = sharedLookFragments(beats);

  beats.forEach((beat, beatIndex) => {
    const cast = castForBeat(beat, bible);
    const newLocation = cast.location !== null && !seenLocations.has(cast.location);
    if (cast.location) seenLocations.add(cast.location);
    if (cast.characters.length > 0) direction = nextScreenDirection(beat, direction);
    const propsInAction = propsNamedIn(beat.look.action, bible);

    const establishesWithPeople = newLocation && cast.characters.length > 0;
    const durations = splitEvenly(beatTenths(beat), shotCountForBeat(beat, { establishesWithPeople }));
    const usedInBeat: ShotSize[] = [];
    let previousMovement: Shot["movement"] | undefined;
    const beatShots: Shot[] = [];

    durations.forEach((tenths, i) => {
      // The shot that reveals the product frames the product, not the person holding it: it needs the
      // product photo, not the character's look.
      const moment = shotMoment(beat.look.action, { index: i, count: durations.length });
      const inShot = revealsProduct(moment, cast, bible) ? { ...cast, characters: [] } : cast;
      const choice = determineShotType(beat, {
        previousSizes: sizes,
        usedInBeat,
        previousMovement,
        newLocation,
        shotIndex: i,
        hasCharacters: inShot.characters.length > 0,
        hasProduct: cast.props.length > 0,
      });
      sizes.push(choice.size);
      usedInBeat.push(choice.size);
      previousMovement = choice.movement;

      // A moment about a person alone ("then Maya grins") keeps a detail shot on them, not on the product.
      const personMoment =
        propsNamedIn(moment, bible).length === 0 && inShot.characters.some((c) => mentions(moment, c));
      const { subjects, props } = framing(choice.type.frames, inShot, propsInAction, personMoment);
      // Tabletop light is for a product close enough to fill the frame, not a wide of the place.
      const productShot = subjects.length === 0 && props.length > 0 && choice.type.frames !== "scene";
      const last = i === durations.length - 1;
      const text =
        beat.text.on_screen && (beat.text.style !== "end_card" || last) ? beat.text.on_screen : null;
      const shot: Shot = {
        id: shotId(planned.length + beatShots.length + 1),
        beat_id: beat.id,
        duration_s: tenthsToSeconds(tenths),
        size: choice.size,
        angle: choice.angle,
        movement: choice.movement,
        lens_mm: choice.lens_mm,
        lighting: designLighting(beat, { productShot, sharedLook }),
        description: "-",
        subjects,
        location: cast.location,
        props,
        continuity: {
          characters: subjects,
          wardrobe: subjects
            .map((name) => bible.characters.find((c) => c.name === name)?.wardrobe ?? "")
            .filter(Boolean),
          props,
          screen_direction: subjects.length > 0 ? direction : "neutral",
        },
        storyboard: { frame_description: "-", composition: "-", prompt: "-", negative_prompt: "" },
        on_screen_text: text,
        transition: last ? transitionAfter(beat, beats[beatIndex + 1], beats[0], bible) : "cut",
        audio: null,
        requirements: {
          lip_sync: false,
          character_consistency: false,
          text_rendering: false,
          camera_control: false,
          audio: false,
          physics: false,
          reference_image: false,
        },
        complexity: { level: "low", reasons: [] },
      };
      beatShots.push(shot);
    });
    assignAudio(beat, beatShots);
    for (const [i, shot] of beatShots.entries())
      planned.push({
        shot,
        context: {
          beat,
          bible,
          aspectRatio,
          establishing: newLocation && i === 0,
          sharedLook,
          moment: { index: i, count: beatShots.length },
        },
      });
  });

  // Requirements need the whole list: a character seen in two shots needs consistency across them.
  const appearances = new Map<string, number>();
  for (const { shot } of planned)
    for (const name of shot.subjects) appearances.set(name, (appearances.get(name) ?? 0) + 1);
  for (const p of planned) finishShot(p, appearances);
  return planned;
}

/** Recompute requirements, complexity and template words after code-owned fields changed. */
export function finishShot(p: PlannedShot, appearances: ReadonlyMap<string, number>): void {
  const { shot, context } = p;
  shot.requirements = shotRequirements(shot, context.beat, appearances);
  shot.complexity = shotComplexity(shot, shot.requirements);
  Object.assign(shot, writeShotWords(shot, context));
}

/** A moment that reveals ("hero reveal of…", "unveils…") a product the beat shows, by name or as "the product". */
function revealsProduct(moment: string, cast: BeatCast, bible: ContinuityBible): boolean {
  if (cast.props.length === 0 || !hasKeyword(moment, shotLibrary().product_reveal_keywords)) return false;
  const named = propsNamedIn(moment, bible);
  return /\bproduct\b/i.test(moment) || cast.props.some((p) => named.includes(p));
}

/** Who and what a shot shows, from what its type frames: the scene, a person, or an object. */
function framing(
  frames: "scene" | "person" | "object",
  cast: { characters: string[]; props: string[] },
  propsInAction: string[],
  personMoment: boolean,
): { subjects: string[]; props: string[] } {
  if (frames === "scene") return { subjects: [...cast.characters], props: [...cast.props] };
  if (frames === "person") {
    if (cast.characters.length === 0) return { subjects: [], props: [...cast.props] };
    return { subjects: [...cast.characters], props: cast.props.filter((p) => propsInAction.includes(p)) };
  }
  if (cast.props.length > 0 && !personMoment) return { subjects: [], props: [...cast.props] };
  if (cast.characters.length > 0) return { subjects: [...cast.characters], props: [] };
  return { subjects: [], props: [...cast.props] };
}

/** How the last shot of a beat hands over to the next beat. */
function transitionAfter(
  beat: Beat,
  next: Beat | undefined,
  first: Beat | undefined,
  bible: ContinuityBible,
): Shot["transition"] {
  if (!next) return "fade_out";
  const library = shotLibrary();
  if (hasKeyword(`${next.look.action} ${next.look.setting} ${next.purpose}`, library.time_jump_keywords))
    return "dissolve";
  // The story circle's Return mirrors the opening: cut on the matching image.
  // Same place: the same bible location (a script names it in full once, then by name) or the same words.
  const place = (b: Beat) => castForBeat(b, bible).location ?? b.look.setting;
  if (next.parts.includes("return") && first && first !== beat && place(next) === place(first))
    return "match_cut";
  // Sound from the next beat arriving first pulls the audience across the cut.
  if (next.audio.sfx.length > 0 && !beat.audio.voice_over) return "j_cut";
  return "cut";
}

/**
 * Share the beat's sound out over its shots: the voice-over by words in proportion to time, dialogue on
 * the first shot that shows the speaker's face, music and SFX where the beat starts.
 */
export function assignAudio(beat: Beat, shots: Shot[]): void {
  const lines: string[][] = shots.map(() => []);
  // Each voice-over sentence goes to the shot on screen when it starts, timed at a speaking pace (and
  // squeezed if the line is longer than the beat); a shot that opens mid-sentence says so.
  const sentences = (beat.audio.voice_over ?? "").split(/(?<=[.!?…])\s+/).filter((s) => s.trim());
  const wordsIn = (s: string) => s.trim().split(/\s+/).length;
  const totalWords = sentences.reduce((n, s) => n + wordsIn(s), 0);
  const beatSeconds = shots.reduce((a, s) => a + s.duration_s, 0);
  const secondsPerWord = Math.min(1 / SPEAKING_WORDS_PER_SECOND, beatSeconds / Math.max(1, totalWords));
  const starts = shots.map((_, i) => shots.slice(0, i).reduce((a, s) => a + s.duration_s, 0));
  const shotAt = (t: number) =>
    Math.max(
      0,
      starts.findLastIndex((start) => start <= t + 1e-9),
    );
  const continuing = new Set<number>();
  let spoken = 0;
  for (const sentence of sentences) {
    const from = spoken * secondsPerWord;
    spoken += wordsIn(sentence);
    const to = spoken * secondsPerWord;
    lines[shotAt(from)]?.push(`VO: "${sentence.trim()}"`);
    starts.forEach((start, i) => {
      if (start > from + 1e-9 && start < to - 1e-9) continuing.add(i);
    });
  }
  for (const d of beat.audio.dialogue) {
    const index = Math.max(
      0,
      shots.findIndex((s) => s.subjects.some((n) => n.toLowerCase() === d.character.toLowerCase())),
    );
    lines[index]?.push(`${d.character}: "${d.line}"`);
  }
  if (beat.audio.music) lines[0]?.push(`Music: ${beat.audio.music}`);
  if (beat.audio.sfx.length > 0) lines[0]?.push(`SFX: ${beat.audio.sfx.join(", ")}`);
  for (const i of continuing) if (lines[i]?.length === 0) lines[i]?.push("VO continues");
  shots.forEach((shot, i) => {
    shot.audio = lines[i]?.length ? (lines[i] as string[]).join(" · ") : null;
  });
}
