import { z } from "zod";

/** What a tool does in a workflow. Video generators are one kind of several a plan needs. */
export const TOOL_CATEGORIES = [
  "video_generation",
  "image_generation",
  "text_to_speech",
  "lip_sync",
  "upscale",
  "music",
  "aggregator",
] as const;
export const ToolCategory = z.enum(TOOL_CATEGORIES);
export type ToolCategory = z.infer<typeof ToolCategory>;

export const TOOL_STATUSES = ["available", "candidate", "self_hosted", "retired"] as const;
export const ToolStatus = z.enum(TOOL_STATUSES);

export const MODALITIES = [
  "text-to-video",
  "image-to-video",
  "video-to-video",
  "text-to-image",
  "image-to-image",
  "text-to-speech",
  "audio-to-video",
  "video-upscale",
  "text-to-music",
] as const;
export const Modality = z.enum(MODALITIES);
export type Modality = z.infer<typeof Modality>;

const unknownBool = z.boolean().nullable().default(null);
const unknownNum = z.number().min(0).nullable().default(null);

export const ToolCapabilities = z.object({
  modalities: z.array(Modality).default([]),
  /** Longest single clip in seconds; null when no source gives it. */
  max_clip_s: unknownNum,
  /** Shortest billable clip (a 1.5 s shot on a tool whose shortest clip is 5 s pays for 5). */
  min_clip_s: unknownNum,
  /** Discrete clip lengths when the tool only makes some (e.g. [5, 10]); null = any in range. */
  clip_durations_s: z.array(z.number().positive()).nullable().default(null),
  aspect_ratios: z.array(z.string()).default([]),
  native_audio: unknownBool,
  lip_sync: unknownBool,
  camera_control: unknownBool,
  reference_image: unknownBool,
  requires_input_image: z.boolean().default(false),
  /** Generations that may run at once on a default account. */
  concurrency: z.number().int().positive().nullable().default(null),
});
export type ToolCapabilities = z.infer<typeof ToolCapabilities>;

export const PRICING_UNITS = [
  "per_second",
  "per_clip",
  "per_image",
  "per_1k_characters",
  "per_minute",
  "unknown",
] as const;

export const ToolPricing = z.object({
  unit: z.enum(PRICING_UNITS),
  /** Per output second (per_second), per clip of `clip_seconds` (per_clip), per image, per 1,000 characters… */
  usd: unknownNum,
  /** For per-clip prices: the clip length the price buys. */
  clip_seconds: unknownNum,
  /** Extra per second beyond `clip_seconds` (e.g. Kling: first 5 s, then per second). */
  usd_per_extra_second: unknownNum,
  as_of: z.string().nullable().default(null),
  sources: z.array(z.string()).default([]),
  notes: z.string().default(""),
});
export type ToolPricing = z.infer<typeof ToolPricing>;

export const ToolPerformance = z.object({
  typical_latency_s: unknownNum,
  notes: z.string().default(""),
  sources: z.array(z.string()).default([]),
});

export const ToolQuality = z.object({
  /** 0..1, from benchmarks or a documented scorer; null when nothing measured it. */
  score: z.number().min(0).max(1).nullable().default(null),
  strengths: z.array(z.string()).default([]),
  notes: z.string().default(""),
  sources: z.array(z.string()).default([]),
});

export const ToolApi = z.object({
  provider: z.string().nullable().default(null),
  base_url: z.string().nullable().default(null),
  model_id: z.string().nullable().default(null),
  docs_url: z.string().nullable().default(null),
  /** Environment variable that holds the key; benchmarks run only when it is set. */
  key_env: z.string().nullable().default(null),
  min_poll_interval_s: unknownNum,
});

export const Tool = z.object({
  tool_id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/),
  name: z.string().min(1),
  vendor: z.string().nullable().default(null),
  category: ToolCategory,
  status: ToolStatus,
  status_note: z.string().default(""),
  capabilities: ToolCapabilities,
  pricing: ToolPricing,
  performance: ToolPerformance.default({ typical_latency_s: null, notes: "", sources: [] }),
  quality: ToolQuality.default({ score: null, strengths: [], notes: "", sources: [] }),
  api: ToolApi.default({
    provider: null,
    base_url: null,
    model_id: null,
    docs_url: null,
    key_env: null,
    min_poll_interval_s: null,
  }),
  best_for: z.array(z.string()).default([]),
  limitations: z.array(z.string()).default([]),
  sources: z.array(z.string()).default([]),
});
export type Tool = z.infer<typeof Tool>;
export type ToolInput = z.input<typeof Tool>;
