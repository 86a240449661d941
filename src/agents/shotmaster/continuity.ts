import type { Beat, Script } from "../../domain/script.js";
import type { ContinuityBible, Shot } from "../../domain/shots.js";
import { capitalise } from "../../domain/text.js";
import type { Vrd } from "../../domain/vrd.js";
import { countKeywords, hasKeyword, shotLibrary } from "./library.js";

/**
 * The continuity bible: one fixed description per character, location and hero prop. Prompts quote
 * these strings word for word, so every shot describes the same person, place and product the same
 * way — the main defence against AI video tools drifting from shot to shot.
 */
export function buildContinuityBible(script: Script, vrd: Vrd): ContinuityBible {
  const library = shotLibrary();
  const characters: ContinuityBible["characters"] = vrd.characters.map((c) => ({
    name: c.name,
    description: bibleText(c.description),
    wardrobe: bibleText(c.wardrobe ?? ""),
  }));
  // Characters the script names but the VRD does not describe get one fixed look, made once here.
  let generic = 0;
  for (const beat of script.beats) {
    for (const name of beat.look.characters) {
      if (findCharacter(characters, name)) continue;
      const look = library.generic_looks[generic++ % library.generic_looks.length] as string;
      characters.push({ name: name.trim(), description: look, wardrobe: "" });
    }
  }

  const locations: ContinuityBible["locations"] = vrd.locations.map((l) => ({
    name: l.name,
    description: bibleText(l.description),
  }));
  for (const beat of script.beats) {
    if (matchLocation(locations, beat.look.setting)) continue;
    // An undescribed setting becomes a location the first time it appears; later beats that name the
    // same kind of place reuse it, so "kitchen at dawn" and "the kitchen" are one set.
    const place = placeNoun(beat.look.setting);
    const name = place ? capitalise(place) : shortName(beat.look.setting);
    locations.push({ name, description: bibleText(beat.look.setting) });
  }

  const props: ContinuityBible["props"] = vrd.products.map((p) => ({
    name: p.name,
    description: bibleText(p.description),
    hero: true,
  }));
  return { characters, locations, props, palette: [...(vrd.brand?.colors ?? [])] };
}

/** Who and what a beat shows, resolved against the bible (names as the bible spells them). */
export interface BeatCast {
  characters: string[];
  location: string | null;
  props: string[];
}

export function castForBeat(beat: Beat, bible: ContinuityBible): BeatCast {
  const text = beatText(beat);
  const characters: string[] = [];
  for (const name of beat.look.characters) {
    const entry = findCharacter(bible.characters, name);
    if (entry && !characters.includes(entry.name)) characters.push(entry.name);
  }
  // A described character named only in the action ("Priya shakes the tin") is still on screen.
  for (const c of bible.characters)
    if (!characters.includes(c.name) && mentions(beat.look.action, c.name)) characters.push(c.name);

  const location = matchLocation(bible.locations, beat.look.setting)?.name ?? null;

  const props: string[] = [];
  for (const p of bible.props) if (mentionsProp(text, p.name)) props.push(p.name);
  // A single hero product appears in the call-to-action beat (the packshot) even when not named.
  const heroes = bible.props.filter((p) => p.hero);
  if (props.length === 0 && heroes.length === 1 && (beat.carries_cta || /\bproduct\b/i.test(text)))
    props.push((heroes[0] as { name: string }).name);
  return { characters, location, props };
}

/** The strings a shot's prompt must contain verbatim, given what the shot shows. */
export function requiredQuotes(
  shot: Pick<Shot, "subjects" | "location" | "props">,
  bible: ContinuityBible,
): Array<{ name: string; text: string }> {
  const quotes: Array<{ name: string; text: string }> = [];
  for (const name of shot.subjects) {
    const c = bible.characters.find((x) => x.name === name);
    if (!c) continue;
    quotes.push({ name: c.name, text: c.description });
    if (c.wardrobe) quotes.push({ name: `${c.name}'s wardrobe`, text: c.wardrobe });
  }
  const location = bible.locations.find((l) => l.name === shot.location);
  if (location) quotes.push({ name: location.name, text: location.description });
  for (const name of shot.props) {
    const p = bible.props.find((x) => x.name === name);
    if (p) quotes.push({ name: p.name, text: p.description });
  }
  return quotes;
}

/**
 * Put back any bible description a prompt lost (a model paraphrased it or left it out). Returns the
 * prompt and the names that had to be restored, so the caller can record a repair.
 */
export function enforceContinuity(
  prompt: string,
  shot: Pick<Shot, "subjects" | "location" | "props">,
  bible: ContinuityBible,
): { prompt: string; restored: string[] } {
  const restored: string[] = [];
  let out = prompt.trim();
  for (const quote of requiredQuotes(shot, bible)) {
    if (out.includes(quote.text)) continue;
    out = `${out}${/[.!?]$/.test(out) ? "" : "."} ${quote.name}: ${quote.text}.`;
    restored.push(quote.name);
  }
  return { prompt: out, restored };
}

export type ScreenDirection = "left_to_right" | "right_to_left" | "neutral";

/**
 * Screen direction carries across a cut (the 180° rule) unless the beat says otherwise: it may name a
 * direction outright, or turn the character around ("heads back", "returns home").
 */
export function nextScreenDirection(beat: Beat, current: ScreenDirection): ScreenDirection {
  const cues = shotLibrary().screen_direction;
  const text = `${beat.look.action} ${beat.purpose}`;
  if (hasKeyword(text, cues.left_to_right)) return "left_to_right";
  if (hasKeyword(text, cues.right_to_left)) return "right_to_left";
  if (hasKeyword(text, cues.flip)) return current === "right_to_left" ? "left_to_right" : "right_to_left";
  return current === "neutral" ? "left_to_right" : current;
}

/** Everything a beat says, seen or heard: where props and people may be named. */
export function beatText(beat: Beat): string {
  return [visualText(beat), beat.text.on_screen ?? "", beat.audio.voice_over ?? ""].join(" \n ");
}

/** What a beat shows and means, without its words: the text camera and light choices read. */
export function visualText(beat: Beat): string {
  return [beat.look.action, beat.look.setting, beat.look.mood, beat.emotion, beat.purpose].join(" \n ");
}

function findCharacter<T extends { name: string }>(characters: T[], name: string): T | undefined {
  const wanted = name.trim().toLowerCase();
  return (
    characters.find((c) => c.name.toLowerCase() === wanted) ??
    characters.find((c) => mentions(name, c.name) || mentions(c.name, name))
  );
}

function matchLocation<T extends { name: string }>(locations: T[], setting: string): T | undefined {
  const exact = locations.find(
    (l) =>
      l.name.toLowerCase() === setting.trim().toLowerCase() ||
      (l as { description?: string }).description === bibleText(setting),
  );
  if (exact) return exact;
  const named = locations.find((l) => mentions(setting, l.name));
  if (named) return named;
  const place = placeNoun(setting);
  return place ? locations.find((l) => placeNoun(l.name) === place) : undefined;
}

let placeNouns: string[][] | undefined;

function placeNoun(text: string): string | null {
  // Longest first, so "living room" wins over "room" and "coffee shop" over "shop".
  placeNouns ??= [...shotLibrary().place_nouns].sort((a, b) => b.length - a.length).map((n) => [n]);
  for (const noun of placeNouns) if (countKeywords(text, noun) > 0) return noun[0] as string;
  return null;
}

/** `name` occurs in `text` as whole words, case-insensitive. */
export function mentions(text: string, name: string): boolean {
  const escaped = name.trim().replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return escaped !== "" && new RegExp(`(?<![\\w])${escaped}(?![\\w])`, "i").test(text);
}

/** Bible props a piece of text names. */
export function propsNamedIn(text: string, bible: ContinuityBible): string[] {
  return bible.props.filter((p) => mentionsProp(text, p.name)).map((p) => p.name);
}

/** A product is mentioned by its full name or by its head noun ("the bag" for "Ember & Oak coffee bag"). */
function mentionsProp(text: string, name: string): boolean {
  if (mentions(text, name)) return true;
  const head = name.trim().split(/\s+/).pop() ?? "";
  return head.length >= 3 && mentions(text, head);
}

/** Bible strings are quoted mid-sentence, so they carry no closing full stop. */
const bibleText = (s: string) => s.trim().replace(/[.\s]+$/, "") || s.trim();

function shortName(setting: string): string {
  const first = setting.split(/[,.;:(—–-]/)[0]?.trim() || setting.trim();
  return first.length > 60 ? `${first.slice(0, 57).trimEnd()}...` : first;
}
