import type { StoryPart } from "../../domain/script.js";
import { capitalise } from "../../domain/text.js";
import type { Vrd } from "../../domain/vrd.js";
import { sentence } from "./words.js";

/**
 * Copy the template writes from the brief alone: every fact in it (who, what the product is, where,
 * what the audience struggles with, the key messages) is quoted or rearranged from the VRD, never
 * made up. Used for the logline and for the extra lines long videos need to fill their beats.
 */

const stripEnd = (text: string) => text.trim().replace(/[\s.!?;:,]+$/u, "");

/** Names the brief gives (people, products, brand): their capital letters stay. */
function properNames(vrd: Vrd): string[] {
  return [
    ...vrd.characters.map((c) => c.name),
    ...vrd.products.map((p) => p.name),
    ...vrd.locations.map((l) => l.name).filter((n) => vrd.characters.some((c) => n.startsWith(c.name))),
    vrd.brand?.name ?? "",
  ].filter(Boolean);
}

/** "Hybrid office workers…" → "hybrid office workers…", but "Tidewell app…", "UK…" and "I…" keep their capitals. */
export function lowerFirst(text: string, keep: readonly string[] = []): string {
  const t = text.trim();
  const word = /^\S+/.exec(t)?.[0] ?? "";
  if (!/^\p{Lu}[\p{Ll}'’-]*[.,:;]?$/u.test(word) || word === "I") return t;
  if (keep.some((name) => t.startsWith(name))) return t;
  return t.charAt(0).toLowerCase() + t.slice(1);
}

/** The title's line after a dash or colon ("Tidewell Flow — the bottle that reminds you" → its tagline). */
export function taglineOf(title: string): string | undefined {
  const m = /^(.+?)\s+[—–-]\s+(.+)$|^(.+?):\s+(.+)$/u.exec(title.trim());
  const line = m?.[2] ?? m?.[4];
  return line && line.split(/\s+/).length >= 2 ? stripEnd(line) : undefined;
}

/** The title before its tagline: what the film is about when the brief names no product or brand. */
function titleHead(title: string): string {
  const m = /^(.+?)\s+[—–-]\s+|^(.+?):\s+/u.exec(title.trim());
  return stripEnd(m?.[1] ?? m?.[2] ?? title);
}

/** What the film is selling: the hero product, else the brand, else the title's subject. */
export function heroOf(vrd: Vrd): string {
  return vrd.products[0]?.name ?? (vrd.brand?.name || titleHead(vrd.title));
}

/** "…workers who forget to drink water" → ["forget to drink water"]: the audience's own problem. */
function whoClauses(text: string | undefined): string[] {
  if (!text) return [];
  return [...text.matchAll(/\bwho\s+([^.;]+)/giu)].map((m) => stripEnd(m[1]!)).filter(Boolean);
}

/** A description's first phrase ("mid-30s freelance illustrator, short dark hair…" → its first part). */
const firstPhrase = (description: string) => stripEnd(description.split(/[,;(]/)[0] ?? description);

/** Whether an audience reads as many people ("Hybrid office workers…") rather than one. */
function plural(audience: string): boolean {
  const head = audience.split(/\s+who\b|,|\d/u)[0] ?? audience;
  return head.split(/\s+/).some((w) => /[^s]s$/i.test(w));
}

/**
 * One sentence: who (the character, or the audience), the obstacle or want (the audience's own words),
 * the change (discovering the product) and the payoff (the first key message).
 */
export function loglineFor(vrd: Vrd): string {
  const keep = properNames(vrd);
  const person = vrd.characters[0]?.name;
  const audience = vrd.audience ? stripEnd(vrd.audience) : undefined;
  let who: string;
  let verb = "discovers";
  if (person && audience) who = `${person}, one of the ${lowerFirst(audience, keep)},`;
  else if (person) who = person;
  else if (audience) {
    who = capitalise(audience);
    if (plural(audience)) verb = "discover";
  } else {
    who = "Viewers";
    verb = "discover";
  }
  const payoff = lowerFirst(stripEnd(vrd.key_messages[0] ?? vrd.objective), keep);
  return `${who} ${verb} ${heroOf(vrd)}: ${payoff}.`;
}

/** A line for a long video and the key message it mentions (a recap only after the message was introduced). */
export interface SupportLine {
  text: string;
  mentions?: string;
  recap?: boolean;
}

const RECAP: ((km: string) => string)[] = [
  (km) => `Remember: ${km}.`,
  (km) => `In short: ${km}.`,
  (km) => `That's the point: ${km}.`,
];

/**
 * Extra lines per story part, for beats that have time left once the connective line, key messages
 * and CTA are placed. Each is a fact from the brief in a plain frame; recaps repeat key messages.
 */
export function supportLines(
  vrd: Vrd,
  continuation: Record<StoryPart, string>,
): Record<StoryPart, SupportLine[]> {
  const keep = properNames(vrd);
  const product = vrd.products[0];
  const tagline = taglineOf(vrd.title);
  const home = vrd.locations[0] ? lowerFirst(vrd.locations[0].name, keep) : undefined;
  const away = vrd.locations[1] ? lowerFirst(vrd.locations[1].name, keep) : undefined;
  const needs = [...whoClauses(vrd.audience), ...whoClauses(vrd.objective)];
  // Message by message, then the next frame: lines drawn in turn recall different messages.
  const recaps: SupportLine[] = RECAP.flatMap((_, k) =>
    vrd.key_messages.map((km, j) => ({
      text: RECAP[(j + k) % RECAP.length]!(lowerFirst(stripEnd(km), keep)),
      mentions: km,
      recap: true,
    })),
  );
  const previews: SupportLine[] = vrd.key_messages.map((km) => ({
    text: `Coming up: ${lowerFirst(stripEnd(km), keep)}.`,
    mentions: km,
  }));
  const line = (text: string | undefined | false): SupportLine[] => (text ? [{ text: sentence(text) }] : []);
  return {
    you: [
      ...line(vrd.audience && `This is for ${lowerFirst(stripEnd(vrd.audience), keep)}`),
      ...line(home && `It starts at the ${home}`),
      ...line(continuation.you),
    ],
    need: [
      ...needs.flatMap((n) => line(`You ${n}`)),
      ...line(continuation.need),
      ...line("Sound familiar?"),
      ...line(vrd.audience && `This is for ${lowerFirst(stripEnd(vrd.audience), keep)}`),
    ],
    go: [
      ...line(tagline && capitalise(tagline)),
      ...line(away && `Over at the ${away}`),
      ...line(continuation.go),
      ...previews,
    ],
    search: [
      ...line(product && `${product.name}: ${firstPhrase(product.description)}`),
      ...line(continuation.search),
      ...recaps,
    ],
    find: [...line(continuation.find), ...line(tagline && capitalise(tagline)), ...recaps],
    take: [...line(continuation.take), ...recaps],
    return: [
      ...line(home && `Back at the ${home}`),
      ...line(continuation.return),
      ...line(tagline && capitalise(tagline)),
      ...recaps,
    ],
    change: [...line(tagline && capitalise(tagline)), ...recaps],
  };
}
