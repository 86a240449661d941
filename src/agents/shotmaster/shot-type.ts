import type { Beat } from "../../domain/script.js";
import type { Shot, ShotSize } from "../../domain/shots.js";
import { visualText } from "./continuity.js";
import { countKeywords, hasKeyword, requestedSize, type ShotType, shotLibrary } from "./library.js";

type Angle = ShotType["angle"];
type CameraMove = Shot["movement"];

/** Where a shot sits in the sequence; everything optional so a beat alone can be asked about. */
export interface ShotContext {
  /** Sizes already chosen for earlier shots of the whole sequence, in order. */
  previousSizes?: readonly ShotSize[];
  /** Sizes already chosen for this beat. */
  usedInBeat?: readonly ShotSize[];
  /** Movement of the previous shot in this beat. */
  previousMovement?: CameraMove;
  /** This shot is the first at a location we have not seen yet: it must establish it. */
  newLocation?: boolean;
  /** Position of the shot in its beat (0 = first). */
  shotIndex?: number;
  /** Whether people are on screen in this beat (defaults to the beat's look.characters). */
  hasCharacters?: boolean;
  /** Whether a hero product appears in this beat. */
  hasProduct?: boolean;
}

export interface ShotTypeChoice {
  size: ShotSize;
  angle: Angle;
  movement: CameraMove;
  lens_mm: number;
  composition: string;
  type: ShotType;
  /** Why this type: which library rule fired. */
  reason: string;
}

/**
 * Choose a shot type for a beat from the library, by the beat's story part, purpose, emotion and
 * action words. Sequence rules: a new location opens on an establishing shot; the same size never runs
 * three times in a row, and not twice inside one beat (a jump cut) — unless the beat asks for a size by
 * name, which always wins.
 */
export function determineShotType(beat: Beat, context: ShotContext = {}): ShotTypeChoice {
  const library = shotLibrary();
  const text = visualText(beat);
  const index = context.shotIndex ?? 0;
  const previous = context.previousSizes ?? [];
  const used = context.usedInBeat ?? [];
  const hasCharacters = context.hasCharacters ?? beat.look.characters.length > 0;
  const dialogue = beat.audio.dialogue.length > 0;

  const asked = index === 0 ? requestedSize(`${beat.look.action} ${beat.purpose}`) : null;
  if (asked) return finish(beat, text, typeOf(asked), context, "the beat asks for it by name");

  const last = previous[previous.length - 1];
  const tripleOf = previous.length >= 2 && previous[previous.length - 2] === last ? last : undefined;
  const establishing = index === 0 && context.newLocation === true;

  const pick = (allowReuse: boolean) => {
    let best: { type: ShotType; score: number; reason: string } | undefined;
    for (const type of library.shot_types) {
      if (type.requires_character && !hasCharacters) continue;
      if (type.size === tripleOf) continue;
      if (establishing && !type.establishing) continue;
      if (!allowReuse && used.includes(type.size)) continue;
      const partHit = type.parts.some((p) => beat.parts.includes(p));
      const words = countKeywords(text, type.keywords);
      let score = type.base + (partHit ? 2 : 0) + 2.5 * words;
      if (dialogue && type.size === "MCU") score += 3; // dialogue wants a face we can lip-sync
      if (context.hasProduct && type.frames === "object") score += 2;
      if (!hasCharacters && type.frames === "object") score += 1;
      if (type.size === last) score -= 3;
      // Coverage inside a beat moves in: wide, then closer.
      const order = library.size_order;
      const prev = used[used.length - 1];
      if (
        prev &&
        order.includes(type.size) &&
        order.includes(prev) &&
        order.indexOf(type.size) > order.indexOf(prev)
      )
        score += 1;
      if (!best || score > best.score) {
        const reason = establishing
          ? "first shot at a new location establishes it"
          : words > 0
            ? `${type.name}: ${type.use_when}`
            : partHit
              ? `suits the "${beat.parts.join("/")}" part of the story`
              : "variety in the sequence";
        best = { type, score, reason };
      }
    }
    return best;
  };
  // A size is used once per beat while the library has others to offer.
  const best = pick(false) ?? pick(true);
  // Every size excluded (cannot happen with the shipped library, but data can change): fall back to MS.
  const chosen = best ?? { type: typeOf("MS"), reason: "fallback" };
  return finish(beat, text, chosen.type, context, chosen.reason);
}

function typeOf(size: ShotSize): ShotType {
  const type = shotLibrary().shot_types.find((t) => t.size === size);
  if (!type) throw new Error(`shot library has no ${size}`);
  return type;
}

function finish(
  beat: Beat,
  text: string,
  type: ShotType,
  context: ShotContext,
  reason: string,
): ShotTypeChoice {
  return {
    size: type.size,
    angle: chooseAngle(beat, type),
    movement: chooseMovement(text, type, context.previousMovement),
    lens_mm: type.lens_mm,
    composition: type.composition,
    type,
    reason,
  };
}

/** Emotional angle cues apply to people and scenes; a top-down view only suits objects. */
function chooseAngle(beat: Beat, type: ShotType): Angle {
  const text = `${beat.emotion} ${beat.look.mood} ${beat.look.action} ${beat.purpose}`;
  for (const cue of shotLibrary().angles.cues) {
    if (!hasKeyword(text, cue.keywords)) continue;
    if (cue.angle === "overhead" && type.frames !== "object") continue;
    if (cue.angle !== "overhead" && (type.frames === "object" || type.size === "EWS")) continue;
    return cue.angle;
  }
  return type.angle;
}

/** A cued move the shot type allows; two shots in a row never make the same move. */
function chooseMovement(text: string, type: ShotType, previous: CameraMove | undefined): CameraMove {
  for (const cue of shotLibrary().movements.cues) {
    if (!type.movements.includes(cue.movement)) continue;
    if (cue.movement === previous && cue.movement !== "static") continue;
    if (hasKeyword(text, cue.keywords)) return cue.movement;
  }
  const fallback = type.movements.find((m) => m !== previous || m === "static");
  return fallback ?? "static";
}
