import type { Beat } from "../../domain/script.js";
import type { Shot, ShotRequirements } from "../../domain/shots.js";
import { hasKeyword, shotLibrary, shotTypeFor } from "./library.js";

/** Sizes where a speaker's mouth is readable, so on-camera dialogue needs lip-sync. */
const FACE_SIZES = new Set(["MS", "MCU", "CU", "OTS"]);

/** A script's note that the beat illustrates a key message: the quote is what it means, not what is seen. */
const ILLUSTRATES = /\billustrates\s+["“][^"”]*["”]/gi;

const IN_FRAME_TEXT =
  /\b(?:says|say|reads|read|shows|show|showing|labell?ed|sign|screen|app|display|displays|titled|taps|tap|button|stamped|written)\b[^"“”]{0,30}["“][^"”]{2,}["”]/i;

type ShotFields = Pick<Shot, "size" | "movement" | "subjects" | "props" | "duration_s">;

/**
 * What a video tool must be able to do for this shot. VideoSolver filters tools on these flags, so
 * each one is set from something a person can check in the beat.
 * `appearances` counts the shots each character is in across the whole list.
 */
export function shotRequirements(
  shot: ShotFields,
  beat: Beat,
  appearances: ReadonlyMap<string, number>,
): ShotRequirements {
  const library = shotLibrary();
  const speakers = new Set(beat.audio.dialogue.map((d) => d.character.toLowerCase()));
  const speaking = shot.subjects.some((s) => speakers.has(s.toLowerCase()));
  const lipSync = speaking && FACE_SIZES.has(shot.size);
  const recurring = shot.subjects.some((s) => (appearances.get(s) ?? 0) > 1);
  const productDetail = shot.props.length > 0 && shotTypeFor(shot.size).frames !== "scene";
  // Words shown on a screen, sign or button in the action ('an app that says "Delivery Thursday"') must be
  // rendered inside the frame; a quoted key message the beat merely illustrates need not be, so the note
  // goes first (else "answered on screen; illustrates "…"" reads as a screen showing the words).
  const quotedText = IN_FRAME_TEXT.test(beat.look.action.replace(ILLUSTRATES, ""));
  return {
    lip_sync: lipSync,
    character_consistency: recurring,
    text_rendering: quotedText || productDetail,
    camera_control: library.movements.camera_control.includes(shot.movement),
    audio: lipSync || beat.audio.sfx.length > 0,
    physics: hasKeyword(beat.look.action, library.physics_keywords),
    reference_image: recurring || shot.props.length > 0,
  };
}

/** Complexity with its reasons: each reason is something that makes AI generation harder. */
export function shotComplexity(shot: ShotFields, requirements: ShotRequirements): Shot["complexity"] {
  const reasons: string[] = [];
  let score = 0;
  const add = (points: number, reason: string) => {
    score += points;
    reasons.push(reason);
  };
  if (requirements.lip_sync) add(2, "on-camera dialogue needs lip-sync");
  if (requirements.character_consistency)
    add(1, `${shot.subjects.join(" and ")} must look the same as in other shots`);
  if (shot.subjects.length >= 2) add(1, `${shot.subjects.length} people in frame`);
  if (shot.props.length > 0) add(1, `hero product ${shot.props.join(", ")} must match its reference`);
  if (requirements.text_rendering) add(1, "legible text inside the frame");
  if (requirements.camera_control) add(1, `${shot.movement.replace(/_/g, " ")} camera move`);
  if (requirements.physics) add(1, "physical motion (liquid, fabric, objects in motion)");
  if (shot.duration_s < 1.5)
    add(0, `short ${shot.duration_s} s shot: tools with a long minimum clip waste time`);
  const level = score >= 4 ? "high" : score >= 2 ? "medium" : "low";
  return {
    level,
    reasons: reasons.length > 0 ? reasons : ["single subject, simple camera, no special needs"],
  };
}
