import { z } from "zod";
import { Generator, TokenUsage } from "./usage.js";
import { AspectRatio } from "./vrd.js";

export const SHOT_SIZES = [
  "EWS",
  "WS",
  "FS",
  "MLS",
  "MS",
  "MCU",
  "CU",
  "ECU",
  "OTS",
  "POV",
  "INSERT",
] as const;
export const ShotSize = z.enum(SHOT_SIZES);
export type ShotSize = z.infer<typeof ShotSize>;

export const CAMERA_ANGLES = [
  "eye_level",
  "high",
  "low",
  "overhead",
  "dutch",
  "birds_eye",
  "worms_eye",
] as const;
export const CameraAngle = z.enum(CAMERA_ANGLES);

export const CAMERA_MOVES = [
  "static",
  "pan",
  "tilt",
  "push_in",
  "pull_out",
  "dolly",
  "tracking",
  "orbit",
  "handheld",
  "crane",
  "zoom",
  "rack_focus",
] as const;
export const CameraMove = z.enum(CAMERA_MOVES);

export const TRANSITIONS = [
  "cut",
  "match_cut",
  "dissolve",
  "fade_in",
  "fade_out",
  "whip_pan",
  "j_cut",
  "l_cut",
] as const;
export const Transition = z.enum(TRANSITIONS);

export const Lighting = z.object({
  preset: z.string().min(1),
  /** e.g. "4:1" */
  key_fill_ratio: z.string().regex(/^\d+(\.\d+)?:1$/),
  color_temperature_k: z.number().int().min(1000).max(12000),
  notes: z.string().default(""),
});
export type Lighting = z.infer<typeof Lighting>;

export const ScreenDirection = z.enum(["left_to_right", "right_to_left", "neutral"]);

export const Continuity = z.object({
  characters: z.array(z.string()).default([]),
  wardrobe: z.array(z.string()).default([]),
  props: z.array(z.string()).default([]),
  screen_direction: ScreenDirection.default("neutral"),
});

export const StoryboardFrame = z.object({
  frame_description: z.string().min(1),
  composition: z.string().min(1),
  /** Prompt for an image or video model, carrying the continuity bible's descriptions verbatim. */
  prompt: z.string().min(1),
  negative_prompt: z.string().default(""),
});

/** What a tool must be able to do for this shot; VideoSolver filters on these. */
export const ShotRequirements = z.object({
  lip_sync: z.boolean().default(false),
  character_consistency: z.boolean().default(false),
  text_rendering: z.boolean().default(false),
  camera_control: z.boolean().default(false),
  audio: z.boolean().default(false),
  physics: z.boolean().default(false),
  reference_image: z.boolean().default(false),
});
export type ShotRequirements = z.infer<typeof ShotRequirements>;

export const Complexity = z.object({
  level: z.enum(["low", "medium", "high"]),
  reasons: z.array(z.string()).default([]),
});

export const Shot = z.object({
  /** `S01`, `S02`, … unique in the list and stable across revisions that do not touch the shot. */
  id: z.string().regex(/^S\d{2,3}[a-z]?$/),
  beat_id: z.string(),
  duration_s: z.number().positive(),
  size: ShotSize,
  angle: CameraAngle,
  movement: CameraMove,
  lens_mm: z.number().min(8).max(800),
  lighting: Lighting,
  description: z.string().min(1),
  subjects: z.array(z.string()).default([]),
  location: z.string().nullable().default(null),
  props: z.array(z.string()).default([]),
  continuity: Continuity,
  storyboard: StoryboardFrame,
  on_screen_text: z.string().nullable().default(null),
  /** How this shot hands over to the next one (the last shot's is how the video ends). */
  transition: Transition.default("cut"),
  /** What is heard during this shot (its share of the voice-over, dialogue, music, SFX); for panels. */
  audio: z.string().nullable().optional(),
  requirements: ShotRequirements,
  complexity: Complexity,
});
export type Shot = z.infer<typeof Shot>;

export const BibleEntry = z.object({ name: z.string().min(1), description: z.string().min(1) });
export const ContinuityBible = z.object({
  characters: z.array(BibleEntry.extend({ wardrobe: z.string().default("") })).default([]),
  locations: z.array(BibleEntry).default([]),
  props: z.array(BibleEntry.extend({ hero: z.boolean().default(false) })).default([]),
  palette: z.array(z.string()).default([]),
});
export type ContinuityBible = z.infer<typeof ContinuityBible>;

export const AssetSummary = z.object({
  characters: z.array(z.string()).default([]),
  locations: z.array(z.string()).default([]),
  props: z.array(z.string()).default([]),
  voice_over_lines: z.array(z.string()).default([]),
  music_cues: z.array(z.string()).default([]),
  on_screen_text: z.array(z.string()).default([]),
  shot_count: z.number().int().min(0),
  total_duration_s: z.number().min(0),
});
export type AssetSummary = z.infer<typeof AssetSummary>;

/** One storyboard panel per shot: what a director flips through before anything is generated. */
export const StoryboardPanel = z.object({
  panel: z.number().int().min(1),
  shot_id: z.string(),
  beat_id: z.string(),
  duration_s: z.number().positive(),
  /** What the frame shows. */
  framing: z.string().min(1),
  /** "MCU · eye level · slow push-in · 50 mm · 1.5 s". */
  camera_note: z.string().min(1),
  /** What is heard: voice-over share, dialogue, music, SFX; "—" when silent. */
  audio: z.string(),
  /** Prompt for an image model, for a keyframe at the delivery aspect ratio. */
  image_prompt: z.string().min(1),
  aspect_ratio: AspectRatio,
});
export type StoryboardPanel = z.infer<typeof StoryboardPanel>;

export const ShotList = z.object({
  shot_list_id: z.string().min(1),
  script_id: z.string().min(1),
  version: z.number().int().min(1),
  aspect_ratio: AspectRatio,
  shots: z.array(Shot).min(1),
  continuity_bible: ContinuityBible,
  asset_summary: AssetSummary,
  storyboard_panels: z.array(StoryboardPanel).optional(),
  metadata: z.object({
    generator: Generator,
    model: z.string().nullable().default(null),
    created_at: z.string(),
    warnings: z.array(z.string()).default([]),
    repairs: z.array(z.string()).default([]),
    usage: TokenUsage,
  }),
});
export type ShotList = z.infer<typeof ShotList>;
