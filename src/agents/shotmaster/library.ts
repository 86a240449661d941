import { z } from "zod";
import { parseOrThrow } from "../../domain/parse.js";
import { StoryPart } from "../../domain/script.js";
import { CameraAngle, CameraMove, ShotSize } from "../../domain/shots.js";
import libraryData from "./data/shot-library.json" with { type: "json" };

/**
 * The shot library: shot types, composition guidelines, lighting presets and the word cues that pick
 * them. It is data (data/shot-library.json) so a DP can tune choices without touching code; this module
 * only validates it once and offers the keyword matching every chooser uses.
 */
const Keywords = z.array(z.string().min(1));

export const ShotType = z.object({
  size: ShotSize,
  name: z.string().min(1),
  use_when: z.string().min(1),
  composition: z.string().min(1),
  /** What this size shows, for prompts: {who} is what the shot frames, {place} its location. */
  frame_phrase: z.string().includes("{who}"),
  /** What the frame is about: the whole scene, a person, or an object/detail. */
  frames: z.enum(["scene", "person", "object"]),
  establishing: z.boolean(),
  requires_character: z.boolean(),
  lens_mm: z.number().min(8).max(800),
  angle: CameraAngle,
  movements: z.array(CameraMove).min(1),
  base: z.number(),
  parts: z.array(StoryPart),
  keywords: Keywords,
});
export type ShotType = z.infer<typeof ShotType>;

export const LightingPreset = z.object({
  id: z.string().min(1),
  label: z.string().min(1),
  /** What the light feels like, for prompts ("moody, with deep shadows"). */
  mood: z.string().min(1),
  key_fill_ratio: z.string().regex(/^\d+(\.\d+)?:1$/),
  color_temperature_k: z.number().int(),
  notes: z.string(),
  use_when: z.string().min(1),
  base: z.number(),
  parts: z.array(StoryPart),
  keywords: Keywords,
});
export type LightingPreset = z.infer<typeof LightingPreset>;

const ShotLibrarySchema = z.object({
  shot_types: z.array(ShotType).min(1),
  size_aliases: z.record(ShotSize, Keywords),
  size_order: z.array(ShotSize),
  angles: z.object({
    default: CameraAngle,
    labels: z.record(CameraAngle, z.string()),
    cues: z.array(z.object({ angle: CameraAngle, keywords: Keywords })),
  }),
  movements: z.object({
    labels: z.record(CameraMove, z.string()),
    cues: z.array(z.object({ movement: CameraMove, keywords: Keywords })),
    camera_control: z.array(CameraMove),
  }),
  lighting_presets: z.array(LightingPreset).min(1),
  color_temperature_cues: z.array(z.object({ k: z.number().int(), keywords: Keywords, note: z.string() })),
  physics_keywords: Keywords,
  screen_direction: z.object({ left_to_right: Keywords, right_to_left: Keywords, flip: Keywords }),
  /** Words that make a moment the product's reveal: that shot frames the product, not the person. */
  product_reveal_keywords: Keywords,
  time_jump_keywords: Keywords,
  negative_prompt: z.object({
    base: Keywords,
    people: Keywords,
    no_text: Keywords,
    no_logos: Keywords,
    product: Keywords,
  }),
  generic_looks: z.array(z.string().min(1)).min(1),
  place_nouns: Keywords,
  /** Words in reviewer feedback that ask for a camera or light change. */
  revision_cues: z.object({
    tighter: Keywords,
    wider: Keywords,
    warmer: Keywords,
    cooler: Keywords,
    angles: z.partialRecord(CameraAngle, Keywords),
    movements: z.partialRecord(CameraMove, Keywords),
    lighting: z.record(z.string(), Keywords),
  }),
});
export type ShotLibrary = z.infer<typeof ShotLibrarySchema>;

let cached: ShotLibrary | undefined;

/** The validated shot library (parsed on first use, then shared). */
export function shotLibrary(): ShotLibrary {
  cached ??= parseOrThrow(ShotLibrarySchema, libraryData, "shot library");
  return cached;
}

export function shotTypeFor(size: string): ShotType {
  const type = shotLibrary().shot_types.find((t) => t.size === size);
  if (!type) throw new Error(`shot library has no shot type ${size}`);
  return type;
}

export function lightingPreset(id: string): LightingPreset | undefined {
  return shotLibrary().lighting_presets.find((p) => p.id === id);
}

const matcherCache = new Map<readonly string[], RegExp>();
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A keyword is a whole word or phrase (plural and -ed/-ing forms allowed), or a stem ending in `*`. */
function keywordPattern(keyword: string): string {
  if (keyword.endsWith("*")) return escapeRegExp(keyword.slice(0, -1));
  return `${escapeRegExp(keyword)}(?:s|es|d|ed|ing|er|ers|ly|y)?(?![\\w])`;
}

/**
 * How many of `keywords` occur in `text`, case-insensitive, each counted once. Keywords match at the
 * start of a word, so "wind" never fires on "window" while the stem "frustrat*" finds "frustrated".
 */
export function countKeywords(text: string, keywords: readonly string[]): number {
  if (keywords.length === 0 || text === "") return 0;
  let re = matcherCache.get(keywords);
  if (!re) {
    re = new RegExp(keywords.map((k) => `(?<![\\w])(${keywordPattern(k)})`).join("|"), "gi");
    matcherCache.set(keywords, re);
  }
  const found = new Set<number>();
  for (const m of text.matchAll(re)) found.add(m.slice(1).findIndex((g) => g !== undefined));
  return found.size;
}

export const hasKeyword = (text: string, keywords: readonly string[]) => countKeywords(text, keywords) > 0;

/**
 * A shot size the text asks for by name ("close-up", "ECU", "wide shot"). Abbreviations must be written
 * in capitals so that "ms" or "cu" inside ordinary words never count; longer aliases are tried first so
 * "extreme close-up" is not read as "close-up".
 */
let sizeMatchers: Array<[ShotSize, RegExp]> | undefined;

export function requestedSize(text: string): ShotSize | null {
  if (!sizeMatchers) {
    const aliases: Array<[ShotSize, string]> = [];
    for (const [size, names] of Object.entries(shotLibrary().size_aliases))
      for (const name of names) aliases.push([size as ShotSize, name]);
    aliases.sort((a, b) => b[1].length - a[1].length);
    sizeMatchers = aliases.map(([size, name]) => {
      const abbreviation = /^[A-Z]+$/.test(name);
      return [size, new RegExp(`(?<![\\w-])${escapeRegExp(name)}(?![\\w-])`, abbreviation ? "" : "i")];
    });
  }
  for (const [size, re] of sizeMatchers) if (re.test(text)) return size;
  return null;
}

export const angleLabel = (angle: string) =>
  shotLibrary().angles.labels[angle as keyof ShotLibrary["angles"]["labels"]] ?? angle.replace(/_/g, " ");
export const movementLabel = (move: string) =>
  shotLibrary().movements.labels[move as keyof ShotLibrary["movements"]["labels"]] ?? move.replace(/_/g, " ");
