import type { Shot, StoryboardPanel } from "../../domain/shots.js";
import type { AspectRatio } from "../../domain/vrd.js";
import { angleLabel, movementLabel } from "./library.js";

const ORIENTATION: Record<AspectRatio, string> = {
  "16:9": "horizontal",
  "9:16": "vertical",
  "1:1": "square",
  "4:5": "portrait",
  "21:9": "cinemascope",
};

/**
 * One storyboard panel per shot, in order: framing, a camera note, what is heard, and a prompt for an
 * image model to draw the keyframe at the delivery aspect ratio. The shot's prompt is kept whole, so
 * the continuity bible's descriptions reach the keyframe verbatim.
 */
export function generateStoryboardFrames(
  shots: Shot[],
  aspectRatio: AspectRatio = "16:9",
): StoryboardPanel[] {
  return shots.map((shot, i) => ({
    panel: i + 1,
    shot_id: shot.id,
    beat_id: shot.beat_id,
    duration_s: shot.duration_s,
    framing: `${shot.storyboard.frame_description} ${shot.storyboard.composition}`.trim(),
    camera_note: cameraNote(shot),
    audio: shot.audio ?? "—",
    image_prompt: `Storyboard keyframe, ${aspectRatio} ${ORIENTATION[aspectRatio]} frame, the first moment of the shot. ${shot.storyboard.prompt}${shot.on_screen_text ? ` Leave clean space for the on-screen text "${shot.on_screen_text}".` : ""}`,
    aspect_ratio: aspectRatio,
  }));
}

/** "MCU · eye level · slow push-in · 50 mm · 1.5 s". */
export function cameraNote(shot: Shot): string {
  return [
    shot.size,
    angleLabel(shot.angle),
    movementLabel(shot.movement),
    `${shot.lens_mm} mm`,
    `${shot.duration_s} s`,
  ].join(" · ");
}
