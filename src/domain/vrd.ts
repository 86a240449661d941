import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { ValidationError } from "./errors.js";
import { parseOrThrow } from "./parse.js";

export const PLATFORMS = [
  "youtube",
  "youtube_shorts",
  "tiktok",
  "instagram_reels",
  "linkedin",
  "x",
  "website",
  "tv",
  "other",
] as const;
export const Platform = z.enum(PLATFORMS);
export type Platform = z.infer<typeof Platform>;

export const ASPECT_RATIOS = ["16:9", "9:16", "1:1", "4:5", "21:9"] as const;
export const AspectRatio = z.enum(ASPECT_RATIOS);
export type AspectRatio = z.infer<typeof AspectRatio>;

/** What each platform shows full-screen; a VRD that names no aspect ratio gets this one. */
export const PLATFORM_ASPECT_RATIO: Record<Platform, AspectRatio> = {
  youtube: "16:9",
  youtube_shorts: "9:16",
  tiktok: "9:16",
  instagram_reels: "9:16",
  linkedin: "1:1",
  x: "16:9",
  website: "16:9",
  tv: "16:9",
  other: "16:9",
};

export const QualityPriority = z.enum(["low", "medium", "high"]);
export type QualityPriority = z.infer<typeof QualityPriority>;

export const AUDIO_MODES = ["voice_over", "on_camera_dialogue", "music_only"] as const;
export const AudioMode = z.enum(AUDIO_MODES);
export type AudioMode = z.infer<typeof AudioMode>;

/** A list field that also accepts one comma- or newline-separated string (modal forms, quick YAML). */
function listOf<T extends z.ZodType>(item: T, separator: RegExp = /[,\n]/) {
  return z.preprocess(
    (v) =>
      typeof v === "string"
        ? v
            .split(separator)
            .map((s) => s.trim())
            .filter(Boolean)
        : v,
    z.array(item),
  );
}

/** A number that may arrive as text (forms, YAML); anything else is reported as it was typed. */
const numberFromText = (schema: z.ZodNumber) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)) ? Number(v) : v),
    schema,
  );

const text = (max: number) => z.string().trim().min(1).max(max);

export const Character = z.object({
  name: text(80),
  description: text(500),
  wardrobe: z.string().trim().max(300).optional(),
});
export type Character = z.infer<typeof Character>;

export const Location = z.object({ name: text(80), description: text(500) });
export type Location = z.infer<typeof Location>;

/** A hero product or prop that must look identical in every shot that shows it. */
export const Product = z.object({ name: text(80), description: text(500) });
export type Product = z.infer<typeof Product>;

export const Brand = z.object({
  name: z.string().trim().max(80).optional(),
  colors: listOf(text(40)).default([]),
  do: listOf(text(200)).default([]),
  dont: listOf(text(200)).default([]),
});
export type Brand = z.infer<typeof Brand>;

export const Constraints = z.object({
  max_cost_usd: numberFromText(z.number().positive().max(1_000_000)).optional(),
  max_time_minutes: numberFromText(z.number().positive().max(100_000)).optional(),
  quality_priority: QualityPriority.default("medium"),
  /** ISO date (YYYY-MM-DD) or date-time. */
  deadline: z
    .string()
    .trim()
    .refine((s) => !Number.isNaN(Date.parse(s)), { message: "must be a date like 2026-12-31" })
    .optional(),
});
export type Constraints = z.infer<typeof Constraints>;

export const Vrd = z.object({
  title: text(150),
  objective: text(1000),
  audience: z.string().trim().max(500).optional(),
  duration_seconds: numberFromText(z.number().min(5).max(600)),
  platform: Platform,
  aspect_ratio: AspectRatio.optional(),
  tone: listOf(text(40)).default([]),
  style: z.string().trim().max(300).optional(),
  key_messages: listOf(text(300), /\n/).pipe(z.array(z.string()).min(1).max(10)),
  call_to_action: z.string().trim().max(300).optional(),
  brand: Brand.optional(),
  characters: z.array(Character).default([]),
  locations: z.array(Location).default([]),
  products: z.array(Product).default([]),
  language: z.string().trim().min(2).max(35).default("en"),
  references: listOf(text(500)).default([]),
  audio_mode: AudioMode.optional(),
  captions: z.boolean().optional(),
  constraints: Constraints.default({ quality_priority: "medium" }),
});
/** A parsed VRD: defaults filled, aspect ratio possibly still unset (see `resolvedAspectRatio`). */
export type Vrd = z.infer<typeof Vrd>;
export type VrdInput = z.input<typeof Vrd>;

export function resolvedAspectRatio(vrd: Pick<Vrd, "platform" | "aspect_ratio">): AspectRatio {
  return vrd.aspect_ratio ?? PLATFORM_ASPECT_RATIO[vrd.platform];
}

/** Validate a VRD object; throws ValidationError listing every field problem at once. */
export function parseVrd(data: unknown): Vrd {
  return parseOrThrow(Vrd, data, "VRD");
}

/**
 * A VRD pasted or uploaded as text: JSON or YAML (JSON is YAML, but JSON errors read better from
 * JSON.parse). A VRD may also be wrapped as `{ vrd: {...} }`.
 */
export function parseVrdText(textInput: string): Vrd {
  const source = textInput.trim().replace(/^```(?:json|ya?ml)?\s*\n?|```$/g, "");
  if (!source) throw new ValidationError([{ field: "", message: "the VRD is empty" }], "VRD");
  let data: unknown;
  try {
    data = source.startsWith("{") ? JSON.parse(source) : parseYaml(source);
  } catch (err) {
    const why = err instanceof Error ? err.message.split("\n")[0] : String(err);
    throw new ValidationError([{ field: "", message: `not valid JSON or YAML (${why})` }], "VRD");
  }
  if (data === null || typeof data !== "object" || Array.isArray(data))
    throw new ValidationError([{ field: "", message: "must be a JSON or YAML object of VRD fields" }], "VRD");
  const wrapped = (data as { vrd?: unknown }).vrd;
  return parseVrd(wrapped && typeof wrapped === "object" ? wrapped : data);
}

/**
 * The flat fields a chat modal collects (every value a string, as platforms deliver them).
 * Key messages are one per line; tone is comma separated.
 */
export interface VrdForm {
  title?: string;
  objective?: string;
  audience?: string;
  duration_seconds?: string;
  platform?: string;
  tone?: string;
  style?: string;
  key_messages?: string;
  call_to_action?: string;
  max_cost_usd?: string;
  max_time_minutes?: string;
  quality_priority?: string;
  deadline?: string;
}

export function vrdFromForm(form: VrdForm): Vrd {
  const blank = (s?: string) => (s === undefined || s.trim() === "" ? undefined : s.trim());
  const constraints: Record<string, unknown> = {};
  if (blank(form.max_cost_usd)) constraints.max_cost_usd = blank(form.max_cost_usd);
  if (blank(form.max_time_minutes)) constraints.max_time_minutes = blank(form.max_time_minutes);
  if (blank(form.quality_priority)) constraints.quality_priority = blank(form.quality_priority);
  if (blank(form.deadline)) constraints.deadline = blank(form.deadline);
  return parseVrd({
    title: blank(form.title),
    objective: blank(form.objective),
    audience: blank(form.audience),
    duration_seconds: blank(form.duration_seconds),
    platform: blank(form.platform)?.toLowerCase(),
    tone: blank(form.tone),
    style: blank(form.style),
    key_messages: blank(form.key_messages),
    call_to_action: blank(form.call_to_action),
    constraints,
  });
}
