import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { ValidationError } from "./errors.js";
import { type FieldNameRules, tidyFieldNames } from "./field-names.js";
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

/** What people type for a platform, spaces and case ignored ("IG reels", "YouTube Shorts", "Twitter"). */
const PLATFORM_ALIASES: Record<string, Platform> = {
  yt: "youtube",
  shorts: "youtube_shorts",
  yt_shorts: "youtube_shorts",
  youtube_short: "youtube_shorts",
  tik_tok: "tiktok",
  instagram: "instagram_reels",
  instagram_reel: "instagram_reels",
  ig: "instagram_reels",
  ig_reel: "instagram_reels",
  ig_reels: "instagram_reels",
  reels: "instagram_reels",
  twitter: "x",
  x_twitter: "x",
  twitter_x: "x",
  web: "website",
  site: "website",
  web_site: "website",
  television: "tv",
};

/** "Instagram Reels" → "instagram_reels"; anything unknown is left as typed so the error shows it. */
function normalisePlatform(v: unknown): unknown {
  if (typeof v !== "string") return v;
  const key = v
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if ((PLATFORMS as readonly string[]).includes(key)) return key;
  return PLATFORM_ALIASES[key] ?? v;
}

export const ASPECT_RATIOS = ["16:9", "9:16", "1:1", "4:5", "21:9"] as const;
export const AspectRatio = z.enum(ASPECT_RATIOS);
export type AspectRatio = z.infer<typeof AspectRatio>;

const ASPECT_WORDS: Record<string, AspectRatio> = {
  vertical: "9:16",
  horizontal: "16:9",
  landscape: "16:9",
  widescreen: "16:9",
  square: "1:1",
};

/** "9x16", "9/16", "9 × 16", "vertical" → "9:16"; anything unknown is left as typed. */
function normaliseAspectRatio(v: unknown): unknown {
  if (typeof v !== "string") return v;
  const text = v.trim().toLowerCase();
  const ratio = /^(\d+)\s*[:x×/]\s*(\d+)$/.exec(text);
  if (ratio) return `${ratio[1]}:${ratio[2]}`;
  return ASPECT_WORDS[text] ?? v;
}

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

/** An enum typed by a person: case, spaces and hyphens ignored ("High", "voice over"). */
function looseEnum<const T extends readonly [string, ...string[]]>(values: T) {
  return z.preprocess((v) => {
    if (typeof v !== "string") return v;
    const key = v
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, "_");
    return (values as readonly string[]).includes(key) ? key : v;
  }, z.enum(values));
}

export const QUALITY_PRIORITIES = ["low", "medium", "high"] as const;
export const QualityPriority = z.enum(QUALITY_PRIORITIES);
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

/**
 * A duration as people write it: 30, "30", "30s", "30 sec", "1:30", "1m30s", "2 min", "1.5 minutes".
 * Anything else is left as typed, so the error shows what was sent.
 */
export function secondsFromText(v: unknown): unknown {
  if (typeof v !== "string") return v;
  const text = v.trim().toLowerCase();
  if (text === "") return v;
  if (Number.isFinite(Number(text))) return Number(text);
  const clock = /^(\d+):([0-5]\d)$/.exec(text);
  if (clock) return Number(clock[1]) * 60 + Number(clock[2]);
  const units =
    /^(?:(\d+(?:\.\d+)?)\s*(?:m|mins?|minutes?))?\s*(?:(\d+(?:\.\d+)?)\s*(?:s|secs?|seconds?))?$/.exec(text);
  if (units && (units[1] !== undefined || units[2] !== undefined))
    return Number(units[1] ?? 0) * 60 + Number(units[2] ?? 0);
  return v;
}

/** A dollar amount as people write it: 50, "50", "$50", "50 USD", "$1,000". */
function dollarsFromText(v: unknown): unknown {
  if (typeof v !== "string") return v;
  const text = v
    .trim()
    .replace(/^\$\s*|\s*(?:\$|usd|dollars?)$/gi, "")
    .replace(/(\d),(\d{3})/g, "$1$2");
  return text !== "" && Number.isFinite(Number(text)) ? Number(text) : v;
}

/** yes/no as people write it. */
function booleanFromText(v: unknown): unknown {
  if (typeof v !== "string") return v;
  const text = v.trim().toLowerCase();
  if (["yes", "y", "true", "on"].includes(text)) return true;
  if (["no", "n", "false", "off"].includes(text)) return false;
  return v;
}

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
  max_cost_usd: z.preprocess(dollarsFromText, z.number().positive().max(1_000_000)).optional(),
  max_time_minutes: numberFromText(z.number().positive().max(100_000)).optional(),
  quality_priority: looseEnum(QUALITY_PRIORITIES).default("medium"),
  /** ISO date (YYYY-MM-DD) or date-time. */
  deadline: z
    .string()
    .trim()
    .refine((s) => !Number.isNaN(Date.parse(s)), { message: "must be a date like 2026-12-31" })
    .optional(),
});
export type Constraints = z.infer<typeof Constraints>;

const VrdFields = z.object({
  title: text(150),
  objective: text(1000),
  audience: z.string().trim().max(500).optional(),
  duration_seconds: z.preprocess(secondsFromText, z.number().min(5).max(600)),
  platform: z.preprocess(normalisePlatform, Platform),
  aspect_ratio: z.preprocess(normaliseAspectRatio, AspectRatio).optional(),
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
  audio_mode: looseEnum(AUDIO_MODES).optional(),
  captions: z.preprocess(booleanFromText, z.boolean()).optional(),
  constraints: Constraints.default({ quality_priority: "medium" }),
});

/** Names people give VRD fields (see field-names.ts), spelled as `spelling()` leaves them. */
const VRD_FIELD_NAMES: FieldNameRules = {
  aliases: {
    "": {
      duration: "duration_seconds",
      length: "duration_seconds",
      length_seconds: "duration_seconds",
      duration_s: "duration_seconds",
      goal: "objective",
      target_audience: "audience",
      messages: "key_messages",
      cta: "call_to_action",
      aspect: "aspect_ratio",
      format: "aspect_ratio",
      subtitles: "captions",
      reference: "references",
    },
    constraints: {
      budget: "max_cost_usd",
      budget_usd: "max_cost_usd",
      max_cost: "max_cost_usd",
      max_budget: "max_cost_usd",
      time_minutes: "max_time_minutes",
      max_time: "max_time_minutes",
      quality: "quality_priority",
      due: "deadline",
      due_date: "deadline",
    },
    brand: { colours: "colors", brand_colors: "colors", dos: "do", donts: "dont", don_t: "dont" },
  },
  moved: {
    budget: "constraints.max_cost_usd",
    budget_usd: "constraints.max_cost_usd",
    max_cost_usd: "constraints.max_cost_usd",
    max_time_minutes: "constraints.max_time_minutes",
    quality_priority: "constraints.quality_priority",
    deadline: "constraints.deadline",
    due_date: "constraints.deadline",
    brand_colors: "brand.colors",
    brand_name: "brand.name",
  },
};

export const Vrd = z.preprocess((value, ctx) => {
  const tidy = tidyFieldNames(value, VrdFields.shape, VRD_FIELD_NAMES);
  if (tidy.problems.length > 0) {
    for (const problem of tidy.problems)
      ctx.issues.push({ code: "custom", message: problem.message, path: problem.path, input: value });
    // An issue here stops the pipe; report the fields' own problems with it, all at once.
    const fields = VrdFields.safeParse(tidy.value, { reportInput: true });
    for (const issue of fields.error?.issues ?? []) ctx.issues.push(issue as z.core.$ZodRawIssue);
  }
  return tidy.value;
}, VrdFields);
/** A parsed VRD: defaults filled, aspect ratio possibly still unset (see `resolvedAspectRatio`). */
export type Vrd = z.infer<typeof Vrd>;
export type VrdInput = z.input<typeof VrdFields>;

export function resolvedAspectRatio(vrd: Pick<Vrd, "platform" | "aspect_ratio">): AspectRatio {
  return vrd.aspect_ratio ?? PLATFORM_ASPECT_RATIO[vrd.platform];
}

/** Validate a VRD object; throws ValidationError listing every field problem at once. */
export function parseVrd(data: unknown): Vrd {
  return parseOrThrow(Vrd, data, "VRD");
}

/** A pasted brief without the Markdown code fence (```json, ```yaml) chat apps invite around it. */
export const withoutCodeFence = (text: string): string =>
  text.trim().replace(/^```(?:json|ya?ml)?\s*\n?|```$/g, "");

/**
 * A VRD pasted or uploaded as text: JSON or YAML (JSON is YAML, but JSON errors read better from
 * JSON.parse). A VRD may also be wrapped as `{ vrd: {...} }`.
 */
export function parseVrdText(textInput: string): Vrd {
  const source = withoutCodeFence(textInput);
  if (!source) throw new ValidationError([{ field: "", message: "the VRD is empty" }], "VRD");
  let data: unknown;
  try {
    data = source.startsWith("{") ? JSON.parse(source) : parseYamlForgivingTabs(source);
  } catch (err) {
    const why = err instanceof Error ? err.message.split("\n")[0] : String(err);
    throw new ValidationError([{ field: "", message: `not valid JSON or YAML (${why})` }], "VRD");
  }
  if (Array.isArray(data))
    throw new ValidationError(
      [{ field: "", message: `must be one VRD (an object of fields), got a list of ${data.length}` }],
      "VRD",
    );
  if (data === null || typeof data !== "object")
    throw new ValidationError([{ field: "", message: "must be a JSON or YAML object of VRD fields" }], "VRD");
  const wrapped = (data as { vrd?: unknown }).vrd;
  return parseVrd(wrapped && typeof wrapped === "object" ? wrapped : data);
}

/**
 * YAML forbids tabs for indentation, but editors and chat pastes insert them: when the text fails to
 * parse, try again with each leading tab as two spaces (the first error is the one reported).
 */
function parseYamlForgivingTabs(source: string): unknown {
  try {
    return parseYaml(source);
  } catch (err) {
    if (!/^ *\t/m.test(source)) throw err;
    try {
      return parseYaml(source.replace(/^[ \t]+/gm, (indent) => indent.replace(/\t/g, "  ")));
    } catch {
      throw err;
    }
  }
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
