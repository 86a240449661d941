import { z } from "zod";
import { Generator, TokenUsage } from "./usage.js";
import { AspectRatio, Platform } from "./vrd.js";

/** Dan Harmon's story circle, in order. Every part appears; adjacent parts may share a beat. */
export const STORY_PARTS = ["you", "need", "go", "search", "find", "take", "return", "change"] as const;
export const StoryPart = z.enum(STORY_PARTS);
export type StoryPart = z.infer<typeof StoryPart>;

export const DialogueLine = z.object({ character: z.string().min(1), line: z.string().min(1) });

/** Audio layer: what is heard. */
export const AudioLayer = z.object({
  voice_over: z.string().nullable().default(null),
  dialogue: z.array(DialogueLine).default([]),
  music: z.string().nullable().default(null),
  sfx: z.array(z.string()).default([]),
});
export type AudioLayer = z.infer<typeof AudioLayer>;

/** Look layer: what is seen. */
export const LookLayer = z.object({
  action: z.string().min(1),
  setting: z.string().min(1),
  characters: z.array(z.string()).default([]),
  mood: z.string().min(1),
});
export type LookLayer = z.infer<typeof LookLayer>;

/** Text layer: what is read on screen. */
export const TextLayer = z.object({
  on_screen: z.string().nullable().default(null),
  style: z.enum(["super", "lower_third", "caption", "title", "end_card"]).nullable().default(null),
});
export type TextLayer = z.infer<typeof TextLayer>;

export const Beat = z.object({
  /** `B01`, `B02`, … in order. */
  id: z.string().regex(/^B\d{2,3}$/),
  /** One or more adjacent story-circle parts this beat covers. */
  parts: z.array(StoryPart).min(1),
  start_s: z.number().min(0),
  end_s: z.number().positive(),
  audio: AudioLayer,
  look: LookLayer,
  text: TextLayer,
  emotion: z.string().min(1),
  purpose: z.string().min(1),
  /** Key messages (verbatim from the VRD) this beat carries. */
  key_messages: z.array(z.string()).default([]),
  carries_cta: z.boolean().default(false),
});
export type Beat = z.infer<typeof Beat>;

export const ScriptMetadata = z.object({
  generator: Generator,
  model: z.string().nullable().default(null),
  platform: Platform,
  aspect_ratio: AspectRatio,
  language: z.string(),
  target_duration_s: z.number().positive(),
  duration_s: z.number().min(0),
  word_count: z.number().int().min(0),
  words_per_second: z.number().min(0),
  created_at: z.string(),
  /** Checks that still fail after repair: never passed silently. */
  warnings: z.array(z.string()).default([]),
  /** What repair changed (re-timed beats, a re-ask), so a reviewer can see it. */
  repairs: z.array(z.string()).default([]),
  usage: TokenUsage,
});
export type ScriptMetadata = z.infer<typeof ScriptMetadata>;

export const Script = z.object({
  script_id: z.string().min(1),
  version: z.number().int().min(1),
  title: z.string(),
  logline: z.string().min(1),
  beats: z.array(Beat).min(1),
  metadata: ScriptMetadata,
  /** Readable Markdown made from the same data as the beats. */
  narrative_md: z.string(),
});
export type Script = z.infer<typeof Script>;
