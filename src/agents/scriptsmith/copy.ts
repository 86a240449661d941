import type { StoryPart } from "../../domain/script.js";
import { capitalise } from "../../domain/text.js";
import type { Location, Vrd } from "../../domain/vrd.js";
import { sentence } from "./words.js";

/**
 * Copy the template writes from the brief alone: every fact in it (who, what the product is, where,
 * what the audience struggles with, the key messages) is quoted or rearranged from the VRD, never
 * made up. Used for the logline and for the extra lines longer videos need to fill their beats.
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

/**
 * Words that make a "who" clause the audience's problem or want ("forget to drink water until…",
 * "want warm gear"), not just a habit ("brew at home"), which would read oddly as the Need beat.
 */
const PROBLEM =
  /\b(forget|miss|lose|struggle|hate|can't|cannot|don't|never|still|until|by hand|tired|sick of|waste|chas|stuck|worr|stress|juggl|run out|too (?:much|many|little)|no time|without|want|wish|need|looking for|fail|overwhelm)/i;

/** Words that sit before a clause's verb without changing its form ("currently invoice"). */
const ADVERB =
  /^(still|currently|often|always|never|rarely|usually|sometimes|constantly|just|really|already)$/i;
const MODAL = /^(can|could|will|would|should|must|may|might|can't|cannot|won't|don't|doesn't|didn't)$/i;

/** Apply `change` to the clause's first verb (after any adverbs). */
function onVerb(clause: string, change: (verb: string) => string): string {
  const words = clause.split(" ");
  const at = words.findIndex((w) => !ADVERB.test(w));
  if (at >= 0) words[at] = change(words[at]!);
  return words.join(" ");
}

const PLAIN: Record<string, string> = { is: "are", has: "have", does: "do", "doesn't": "don't", was: "were" };
/** "forgets" → "forget": the form that follows "you" or "they". */
function plainVerb(verb: string): string {
  if (PLAIN[verb]) return PLAIN[verb];
  if (/[^aeiou]ies$/.test(verb)) return verb.replace(/ies$/, "y");
  if (/(ss|sh|ch|x|z|o)es$/.test(verb)) return verb.replace(/es$/, "");
  return verb.replace(/([^su])s$/, "$1");
}

const THIRD: Record<string, string> = { are: "is", have: "has", do: "does", "don't": "doesn't", were: "was" };
/** "forget" → "forgets": the form that follows a name. */
function thirdVerb(verb: string): string {
  if (THIRD[verb]) return THIRD[verb];
  if (MODAL.test(verb)) return verb;
  if (/[^aeiou]y$/.test(verb)) return verb.replace(/y$/, "ies");
  if (/(s|sh|ch|x|z|o)$/.test(verb)) return `${verb}es`;
  return `${verb}s`;
}

/** The audience's problem as the brief words it, ready to say to the viewer or about the character. */
export interface Problem {
  /** "You forget to drink water until the 4 pm headache." */
  line: string;
  /** What the Need beat shows: "Maya forgets to drink water until the 4 pm headache". */
  about: (person: string | undefined) => string;
}

/**
 * The audience's who-clauses (audience, then objective, then the characters' descriptions) in the
 * plural form "you" and "they" take. Most briefs write "workers who forget"; a singular one ("a
 * parent who forgets") is brought to that form.
 */
function audienceClauses(vrd: Vrd): string[] {
  const sources = [vrd.audience, vrd.objective, ...vrd.characters.map((c) => c.description)];
  return sources.flatMap((source) => {
    const head = source?.split(/\bwho\b/i)[0] ?? "";
    return whoClauses(source).map((clause) =>
      // "currently invoice by hand" is the status quo the film argues against: "still" says so.
      (plural(head) ? clause : onVerb(clause, plainVerb)).replace(/^currently\b/i, "still"),
    );
  });
}

/** "forget their keys" → "You forget your keys." */
const toYou = (clause: string) =>
  sentence(
    `You ${clause
      .replace(/\bthemselves\b/gi, "yourself")
      .replace(/\bthey're\b/gi, "you're")
      .replace(/\b(they|them)\b/gi, "you")
      .replace(/\btheir\b/gi, "your")}`,
  );

/** "No more late fees", "get paid without chasing" → "late fees", "chasing": the pain a promise removes. */
function negatedPain(vrd: Vrd): string | undefined {
  const tagline = taglineOf(vrd.title);
  for (const text of [...vrd.key_messages, ...(tagline ? [tagline] : [])]) {
    const pain = /\b(?:no more|without|stop)\s+([^,.;:!?]+)/iu.exec(text)?.[1]?.trim();
    // "without a contract" names a thing, not a pain: only bare phrases ("chasing", "late fees") read well.
    if (pain && !/^(a|an|the|any)\b/i.test(pain)) return stripEnd(pain);
  }
  return undefined;
}

/**
 * The problem the brief states, in natural words for the Need beat; undefined when the brief states
 * none, so the template falls back to its own generic line rather than inventing one.
 */
export function problemOf(vrd: Vrd): Problem | undefined {
  const clause = audienceClauses(vrd).find((c) => PROBLEM.test(c));
  if (clause)
    return {
      line: toYou(clause),
      about: (person) => (person ? `${person} ${onVerb(clause, thirdVerb)}` : `they ${clause}`),
    };
  const pain = negatedPain(vrd);
  if (!pain) return undefined;
  const keep = properNames(vrd);
  return {
    line: `Tired of ${lowerFirst(pain, keep)}?`,
    about: () => lowerFirst(pain, keep),
  };
}

/** What kind of promise a key message makes: it decides which lead-in reads naturally before it. */
export type MessageKind = "offer" | "reassurance" | "feature";

export function messageKind(message: string): MessageKind {
  if (
    /\b(anytime|any time|cancel|pause|skip|no (?:contract|commitment|catch|fees?|strings)|guarantee|refund|risk[- ]free|returns?)\b/i.test(
      message,
    )
  )
    return "reassurance";
  if (
    /\b(free|save|saving|discount|deal|price|trial|pre-?order|order now|buy now|limited)\b|\d+\s?%/i.test(
      message,
    )
  )
    return "offer";
  return "feature";
}

/** A key message as a phrase to use mid-sentence: "The cap glows…" → "the cap glows…", names kept. */
export function messagePhrase(vrd: Vrd, message: string): string {
  return lowerFirst(stripEnd(message), properNames(vrd));
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

/** A line for a long video and the key messages it mentions (a recap only after they were introduced). */
export interface SupportLine {
  text: string;
  mentions?: string[];
  recap?: boolean;
  /** A story line with nothing from the brief in it ("Watch closely."): fills time, tells nothing. */
  filler?: boolean;
}

/** Ways to bring a key message back: each frame is a different sentence, so a recap never echoes. */
const RECAP: ((km: string) => string)[] = [
  (km) => `Remember: ${km}.`,
  (km) => `In short: ${km}.`,
  (km) => `That's the point: ${km}.`,
  (km) => `Worth repeating: ${km}.`,
  (km) => `The takeaway: ${km}.`,
  (km) => `Don't forget: ${km}.`,
];

/**
 * A key message said another way without new facts: "X when Y" turned round ("When it's time to
 * sip, the cap glows."), or "A, B" taken one half at a time ("Roasted to order." "Shipped within 48
 * hours."). Halves of a word or two ("Automatic, polite…") are a list, not two claims, and stay whole.
 */
function reframings(km: string, keep: readonly string[]): string[] {
  const text = stripEnd(km);
  const when = /^(.{8,}?)\s+when\s+(.{4,})$/iu.exec(text);
  if (when) return [sentence(`When ${when[2]}, ${lowerFirst(when[1]!, keep)}`)];
  const halves = text.split(/,\s+/);
  if (halves.length === 2 && halves.every((h) => h.split(/\s+/).length >= 3))
    return halves.map((h) => sentence(capitalise(h)));
  return [];
}

/**
 * Lines that move the story on without a claim: what the viewer watches, part by part. They carry no
 * fact, so they can fill a long video's beats without inventing one or restating a key message.
 */
function storyLines(vrd: Vrd): Record<StoryPart, string[]> {
  const person = vrd.characters[0]?.name;
  const hero = heroOf(vrd);
  const who = person ?? "you";
  const Who = capitalise(who);
  const whose = person ? `${person}'s` : "your";
  // A verb after the person's name takes its third-person form; after "you", the plain one.
  const v = (plain: string, third: string) => `${Who} ${person ? third : plain}`;
  return {
    you: [
      `${capitalise(whose)} day starts like any other.`,
      "Nothing unusual, yet.",
      "You know this day.",
      "It all looks familiar.",
    ],
    need: [
      "Sound familiar?",
      "It's a small thing, until it isn't.",
      "Something has to change.",
      "Every day, the same story.",
      `${v("deserve", "deserves")} better than that.`,
      "It shouldn't be this hard.",
    ],
    go: [
      "Here's where it changes.",
      `So, what is ${hero}?`,
      "Time to try something different.",
      `${v("give", "gives")} it a go.`,
      "Let's see what it does.",
    ],
    search: [
      "Watch closely.",
      person ? `Watch ${person} try it.` : "Try it for yourself.",
      "Here's what happens next.",
      "It's simpler than it sounds.",
      "One step at a time.",
      "First, the basics.",
      `See how it fits into ${whose} day.`,
      "Let's slow it down.",
      "Here it is in action.",
      "Now, in real life.",
      "Here's what that looks like, step by step.",
      `${v("use", "uses")} it without a second thought.`,
    ],
    find: [
      "This is the moment it clicks.",
      `${v("notice", "notices")} the difference.`,
      "And there it is.",
      "This is the good part.",
      `That's what ${hero} is for.`,
      "It feels different already.",
      "Now it makes sense.",
      "It all comes together here.",
    ],
    take: [
      "You might be wondering what it takes.",
      "Here's the honest answer.",
      "Let's be straight about it.",
      "Fair question.",
      `${v("try", "tries")} it for real.`,
      "Here's how it fits in.",
      "Is it worth it? Judge for yourself.",
      "No need to take our word for it.",
      "Put it to the test.",
      "So what does it actually ask of you?",
      "Here's what people usually want to know.",
    ],
    return: [
      "Back to everyday life.",
      `${v("get", "gets")} on with the day.`,
      "Same place, different day.",
      "The day looks different now.",
      "It just fits now.",
      `${v("barely think", "barely thinks")} about it now.`,
    ],
    change: [
      "One small change.",
      "That's the whole idea.",
      "Here's to better days.",
      "From here on, every day can look like this.",
    ],
  };
}

/**
 * Extra lines per story part, for beats that have time left once the connective line, key messages
 * and CTA are placed: facts from the brief in a plain frame, recaps of the key messages in varied
 * frames, and story lines that carry no claim.
 */
export function supportLines(
  vrd: Vrd,
  continuation: Record<StoryPart, string>,
): Record<StoryPart, SupportLine[]> {
  const keep = properNames(vrd);
  const product = vrd.products[0];
  const tagline = taglineOf(vrd.title);
  const [home, away] = [vrd.locations[0], vrd.locations[1]];
  const place = (l: Location | undefined) => (l ? lowerFirst(l.name, keep) : undefined);
  const scene = (l: Location | undefined) =>
    l && `Picture the scene: ${lowerFirst(firstPhrase(l.description))}`;
  // "…, laptop, monstera plant, afternoon sun": the rest of a place's description, said as a list.
  const sceneDetails = (l: Location | undefined) =>
    l && capitalise(l.description.split(/,\s*/).slice(1).join(", "));
  const kms = vrd.key_messages.map((km) => ({ km, said: lowerFirst(stripEnd(km), keep) }));
  // Message by message, then the next frame: lines drawn in turn recall different messages.
  const recaps: SupportLine[] = [
    ...kms.flatMap(({ km }) => reframings(km, keep).map((text) => ({ text, mentions: [km], recap: true }))),
    ...RECAP.flatMap((_, k) =>
      kms.map(({ km, said }, j) => ({
        text: RECAP[(j + k) % RECAP.length]!(said),
        mentions: [km],
        recap: true,
      })),
    ),
  ];
  const all = kms.map((k) => k.said);
  const roundUp: SupportLine[] =
    all.length > 1
      ? [
          {
            // Semicolons, since a message may hold commas; "and" only once there are three or more.
            text: `To recap: ${all.length > 2 ? `${all.slice(0, -1).join("; ")}; and ${all.at(-1)}` : all.join("; ")}.`,
            mentions: [...vrd.key_messages],
            recap: true,
          },
        ]
      : [];
  const previews: SupportLine[] = kms.map(({ km, said }) => ({
    text: `Coming up: ${said}.`,
    mentions: [km],
  }));
  const line = (text: string | undefined | false): SupportLine[] => (text ? [{ text: sentence(text) }] : []);
  const lines = (texts: string[]) => texts.map((t) => ({ text: sentence(t), filler: true }));
  const story = storyLines(vrd);
  // "Matte teal … bottle with a white cap…, small white wave logo": what it is, then what it has, as
  // two short lines rather than one a beat seldom has time for.
  const [what = "", ...has] = product ? firstPhrase(product.description).split(/\s+with\s+/) : [];
  const details = product
    ? [has.join(" with "), ...product.description.split(/[,;]/).slice(1)].map(stripEnd).filter(Boolean)
    : [];
  const productLines = [...line(capitalise(what)), ...line(capitalise(details.join(", ")))];
  // A habit ("send invoices from spreadsheets") adds to the need beside a problem the brief states;
  // alone ("You brew at home.") it is no need at all, and the audience line already says it.
  const clauses = audienceClauses(vrd);
  const needClauses = clauses.some((c) => PROBLEM.test(c)) ? clauses : [];
  // Who it is for: the audience's own clauses too, unless the need beat says them.
  const audience =
    vrd.audience && (needClauses.length > 0 ? vrd.audience.split(/\s+who\b/i)[0] : vrd.audience);
  const forAudience = line(audience && `This is for ${lowerFirst(stripEnd(audience), keep)}`);
  // Said once more before the end card asks, as a long video's mid-roll would.
  const cta = line(vrd.call_to_action);
  return {
    you: [
      ...forAudience,
      ...line(home && `First stop: the ${place(home)}`),
      ...line(scene(home)),
      ...line(sceneDetails(home)),
      ...lines([continuation.you]),
      ...lines(story.you),
    ],
    need: [
      ...needClauses.flatMap((c) => line(toYou(c))),
      ...lines([continuation.need]),
      ...lines(story.need),
      ...forAudience,
    ],
    go: [
      ...line(tagline && capitalise(tagline)),
      ...line(away && `Over at the ${place(away)}`),
      ...line(scene(away)),
      ...line(sceneDetails(away)),
      ...lines([continuation.go]),
      ...lines(story.go),
      ...previews,
    ],
    search: [...productLines, ...lines([continuation.search]), ...lines(story.search), ...recaps],
    find: [
      ...lines([continuation.find]),
      ...line(tagline && capitalise(tagline)),
      ...lines(story.find),
      ...productLines,
      ...recaps,
    ],
    take: [...lines([continuation.take]), ...lines(story.take), ...productLines, ...recaps],
    return: [
      ...line(home && `Back at the ${place(home)}`),
      ...lines([continuation.return]),
      ...lines(story.return),
      ...line(tagline && capitalise(tagline)),
      ...roundUp,
      ...cta,
      ...recaps,
    ],
    change: [...line(tagline && capitalise(tagline)), ...roundUp, ...lines(story.change), ...cta, ...recaps],
  };
}
