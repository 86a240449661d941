import { type Beat, STORY_PARTS, type StoryPart } from "../../domain/script.js";
import { capitalise } from "../../domain/text.js";
import type { Location, Vrd } from "../../domain/vrd.js";
import { beatId } from "./assemble.js";
import {
  heroOf,
  loglineFor,
  type MessageKind,
  messageKind,
  messagePhrase,
  type Problem,
  problemOf,
  type SupportLine,
  supportLines,
} from "./copy.js";
import { beatCountFor, PART_EMOTION, PART_PURPOSE, PART_WEIGHT, planBeatParts } from "./story.js";
import { allocateDurations, timeline } from "./timing.js";
import { countWords, sentence, wordBudget } from "./words.js";

/** Connective lines per tone family: short, so the key messages get the time. */
export type ToneFamily = "dramatic" | "energetic" | "calm" | "wry" | "clear";

const TONE_WORDS: Record<Exclude<ToneFamily, "clear">, RegExp> = {
  dramatic: /mood|cinematic|epic|dramat|dark|myster|intense|brooding/i,
  energetic: /energ|bold|punch|upbeat|excit|hype|dynamic|fun|fast|loud|vibrant/i,
  wry: /wry|witty|play|humor|humour|cheek|funny|irrever|quirk/i,
  calm: /calm|warm|cozy|cosy|gentle|sooth|reassur|soft|relax|intimate|heartfelt/i,
};

export function toneFamily(tone: readonly string[]): ToneFamily {
  const all = tone.join(" ");
  for (const family of ["dramatic", "energetic", "wry", "calm"] as const)
    if (TONE_WORDS[family].test(all)) return family;
  return "clear";
}

const MUSIC: Record<ToneFamily, string> = {
  dramatic: "brooding synth pads, slow build to a hit",
  energetic: "upbeat percussive track, quick build",
  calm: "soft acoustic bed, unhurried",
  wry: "light plucked strings, playful",
  clear: "clean modern pulse, understated",
};

interface Context {
  vrd: Vrd;
  family: ToneFamily;
  hero?: string;
  brand?: string;
  person?: string;
  /** The audience's problem when the brief states one: the Need beat says it instead of a stock line. */
  problem?: Problem;
}

/**
 * Parts whose own line leads into a key message of these kinds ("Here's how it works." before a
 * feature). Elsewhere a beat carrying a message opens with a lead-in for the message instead: "No
 * catch." before a feature, or "Same day, upgraded." before an offer, reads as two unrelated slogans.
 */
const LEADS_INTO: Partial<Record<StoryPart, readonly MessageKind[]>> = {
  search: ["feature"],
  take: [],
  return: [],
};

function leadIn(kind: MessageKind, f: ToneFamily, part: StoryPart): string {
  // Take and return may both carry a message of one kind: the second gets its own words, not an echo.
  const later = part === "return";
  if (kind === "feature")
    return later ? "One more thing." : f === "wry" ? "It gets better." : "And there's more.";
  if (kind === "offer") return later ? "Best part?" : "Here's the deal.";
  if (later) return "No fine print.";
  return {
    dramatic: "No strings.",
    energetic: "No catch.",
    calm: "No pressure.",
    wry: "No catch. We checked.",
    clear: "No strings attached.",
  }[f];
}

/** The kind of message a beat opening on `part` needs a lead-in for, if its own line does not lead into it. */
function leadInKind(part: StoryPart, kms: readonly string[]): MessageKind | undefined {
  const kind = kms[0] === undefined ? undefined : messageKind(kms[0]);
  return kind && LEADS_INTO[part] && !LEADS_INTO[part].includes(kind) ? kind : undefined;
}

/** The template's own words for each part, leading into the key messages the beat carries, if any. */
function connectiveLine(part: StoryPart, c: Context, kms: readonly string[] = []): string {
  const f = c.family;
  const kind = leadInKind(part, kms);
  if (kind) return leadIn(kind, f, part);
  switch (part) {
    case "you":
      if (c.person) return `Meet ${c.person}.`;
      return {
        dramatic: "It starts quietly.",
        energetic: "Real talk.",
        calm: "Some days run on autopilot.",
        wry: "We've all been there.",
        clear: "Here's a familiar day.",
      }[f];
    case "need":
      if (c.problem) return c.problem.line;
      return {
        dramatic: "Something is missing.",
        energetic: "You need better. Now.",
        calm: "You deserve something simpler.",
        wry: "There has to be a better way.",
        clear: "There's a better way.",
      }[f];
    case "go":
      return c.brand ? `Enter ${c.brand}.` : "Here's the idea.";
    case "search":
      return {
        dramatic: "Look closer.",
        energetic: "Here's how it works.",
        calm: "Here's how it works.",
        wry: "The trick is simple.",
        clear: "Here's how it works.",
      }[f];
    case "find":
      if (c.hero) return `Meet ${c.hero}.`;
      return c.brand ? `That's ${c.brand}.` : "That's the difference.";
    case "take":
      return {
        dramatic: "Nothing held back.",
        energetic: "No catch.",
        calm: "It fits right in.",
        wry: "No catch. We checked.",
        clear: "It just works.",
      }[f];
    case "return":
      return {
        dramatic: "Back where it began, changed.",
        energetic: "Same day, upgraded.",
        calm: "Back to your day, only better.",
        wry: "Turns out it was that easy.",
        clear: "Back to your day, only better.",
      }[f];
    case "change":
      return `${c.brand ?? c.vrd.title}.`;
  }
}

/** For a part that spans several beats (long videos): a second, different line. */
const CONTINUATION: Record<StoryPart, string> = {
  you: "Same routine, every day.",
  need: "And it adds up.",
  go: "Let's get into it.",
  search: "Step by step.",
  find: "See the difference for yourself.",
  take: "Questions answered.",
  return: "And it sticks.",
  change: "That's the change.",
};

function contextFor(vrd: Vrd, family: ToneFamily): Context {
  return {
    vrd,
    family,
    hero: vrd.products[0]?.name,
    brand: vrd.brand?.name || undefined,
    person: vrd.characters[0]?.name,
    problem: problemOf(vrd),
  };
}

/** A beat's connective line in each tone family (for tone revisions that swap one for another). */
export function connectiveVariants(
  part: StoryPart,
  vrd: Vrd,
  kms: readonly string[] = [],
): Record<ToneFamily, string> {
  const out = {} as Record<ToneFamily, string>;
  for (const f of ["dramatic", "energetic", "calm", "wry", "clear"] as const)
    out[f] = connectiveLine(part, contextFor(vrd, f), kms);
  return out;
}

export function musicFor(family: ToneFamily): string {
  return MUSIC[family];
}

/** Story parts played in the opening world: the story leaves it at "go" and comes back at "return". */
const HOME_PARTS: ReadonlySet<StoryPart> = new Set(["you", "need", "return", "change"]);

/**
 * Where each beat happens. The first location establishes the everyday world (you, need); the story
 * moves to the other locations, in order and in runs, while it is away (go to take); it comes back to
 * the first for the return and the end card, so the resolution mirrors the opening.
 */
export function storyLocations(
  beatParts: readonly (readonly StoryPart[])[],
  locations: readonly Location[],
): (Location | undefined)[] {
  const home = locations[0];
  const away = locations.length > 1 ? locations.slice(1) : locations;
  const last = beatParts.length - 1;
  const atHome = beatParts.map((parts, i) => i === 0 || i === last || parts.some((p) => HOME_PARTS.has(p)));
  const awayCount = atHome.filter((h) => !h).length;
  let k = 0;
  return atHome.map((h) => (h ? home : away[Math.floor((k++ * away.length) / awayCount)]));
}

function lookFor(
  parts: StoryPart[],
  location: Location | undefined,
  c: Context,
  kms: string[],
  cta: boolean,
  seen: Set<string>,
): Beat["look"] {
  const { vrd } = c;
  // Full descriptions on first appearance, names after: the continuity bible lives in the shot list.
  const first = (key: string, full: string, short: string) => {
    if (seen.has(key)) return short;
    seen.add(key);
    return full;
  };
  const product = vrd.products[0];
  const hero = product
    ? first(`p:${product.name}`, `${product.name} (${product.description})`, product.name)
    : (c.brand ?? "the offer");
  const who =
    c.person ??
    (vrd.audience
      ? `Someone from the audience (${vrd.audience.replace(/\.$/, "")})`
      : "A relatable everyday person");
  const they = c.person ?? "they";
  const s = c.person ? "s" : "";
  const name = heroOf(vrd);
  const kind = kms[0] === undefined ? undefined : messageKind(kms[0]);
  const features = kms.filter((km) => messageKind(km) === "feature");
  // A feature is seen on the product doing it, named: ShotMaster frames what the look names, so
  // "how it works" alone gets shots of the room instead of the product.
  const feature =
    features.length > 0
      ? `${name} up close: ${features.map((km) => messagePhrase(vrd, km)).join(" and ")}`
      : undefined;
  // The take beat shows what its message asks the viewer to weigh: a feature in use, an offer taken
  // up, a worry answered.
  const take: Record<MessageKind, string> = {
    feature: `${capitalise(they)} use${s} ${name}`,
    offer: `${capitalise(they)} take${s} up the offer, spelled out on screen`,
    reassurance: `${capitalise(they)} use${s} it; the hesitation answered on screen`,
  };
  // What happens, not how it is framed: shot sizes are ShotMaster's call, per shot.
  const action: Record<StoryPart, string> = {
    you: `${who} going about an ordinary day`,
    need: c.problem
      ? `The snag: ${c.problem.about(c.person)}`
      : `${capitalise(they)} hit${s} the snag: the thing that is not working today`,
    go: `First glimpse of ${hero}`,
    search: feature ?? "How it works, shown rather than told",
    find: product ? `Hero reveal of ${hero}` : `The payoff: ${they} get${s} the result`,
    take: take[kind ?? "reassurance"],
    return: `Back in the opening setting, ${they} ${c.person ? "is" : "are"} at ease (mirrors the first beat)`,
    change: `End card: ${hero}, space kept for the call to action`,
  };
  const showsPerson = parts.some((p) => ["you", "need", "find", "take", "return"].includes(p));
  const setting = location
    ? first(`l:${location.name}`, `${location.name}: ${location.description}`, location.name)
    : vrd.characters.length === 0 && vrd.products.length > 0
      ? "Tabletop studio set"
      : "An everyday setting the audience would recognise";
  const mood = [PART_EMOTION[parts.at(-1)!], ...vrd.tone].join(", ");
  // Parts joined read as one sentence ("…; then they use it"); names keep their capital.
  const names = [c.person, hero, name].filter((n): n is string => Boolean(n));
  const lowerFirst = (text: string) =>
    names.some((n) => text.startsWith(n)) ? text : text.charAt(0).toLowerCase() + text.slice(1);
  let act = parts.map((p, i) => (i === 0 ? action[p] : lowerFirst(action[p]))).join("; then ");
  if (feature && !act.includes(feature)) act += `; ${feature}`;
  if (kms.length > 0) act += `; illustrates "${kms.join('" and "')}"`;
  if (cta && !parts.includes("change")) act += "; call to action";
  return {
    action: act,
    setting: vrd.style ? `${setting}; ${vrd.style}` : setting,
    characters: showsPerson ? vrd.characters.map((ch) => ch.name) : [],
    mood,
  };
}

/** A line of copy and how much it matters when the beat is too short for all of it. */
interface Line {
  text: string;
  priority: number;
  /** A lead-in ("Best part?") is said only with the line it leads into. */
  after?: string;
}
const KEY_MESSAGE = 3;
const CALL_TO_ACTION = 2;
const CONNECTIVE = 1;
/** Long videos' extra lines from the brief: the first to go. */
const SUPPORT = 0;

/**
 * The whole lines that fit `max` words, most important first, said in their written order. A line is
 * never cut: a sentence stopped mid-way ("Pre-order at…") reads as a glitch. What is not said is still
 * read, since the beat's key messages and CTA are always in its Text layer.
 */
export function fitLines(lines: readonly Line[], max: number): string {
  const byImportance = lines
    .map((l, i) => ({ l, i }))
    .sort((a, b) => b.l.priority - a.l.priority || a.i - b.i);
  const kept = new Set<number>();
  const said = new Set<string>();
  let words = 0;
  for (const { l, i } of byImportance) {
    const n = countWords(l.text);
    if (words + n > max || (l.after && !said.has(l.after))) continue;
    kept.add(i);
    said.add(l.text);
    words += n;
  }
  return lines
    .filter((_, i) => kept.has(i))
    .map((l) => l.text)
    .join(" ");
}

/**
 * Share of a long video's speaking time its copy aims to fill (room to breathe, no dead air), and the
 * most a beat's lines may take, leaving slack for the final timing.
 */
const LONG_VIDEO_FILL = 0.65;
const LONG_VIDEO_MOST = 0.9;
/**
 * Below this overall rate a script sounds sparse (the example 30 s reel speaks 1.6 words/s): an
 * eight-beat film of a minute or so gets extra lines, as longer films do.
 */
const SPARSE_WORDS_PER_SECOND = 1.3;

/**
 * Most times a long video says one sentence: a second time is a reminder, a third a loop. A recap of a
 * key message is said once; the frames vary, so the message comes back without echoing.
 */
const MAX_SAID = 2;
/** Beats between two sayings of the same sentence, so a repeat reads as a callback, not a stutter. */
const REUSE_GAP = 3;
/** Beats between two mentions of the same key message: a message recalled in every beat nags. */
const MENTION_GAP = 3;

/**
 * Where a short film may add a story line: not before a key message ("Fair question." before a
 * feature contradicts its lead-in), nor in the take part, whose lines ask a question ("You might be
 * wondering what it takes.") only a key message answers.
 */
const fillerFits = (s: { parts: StoryPart[]; kms: string[] }) => s.kms.length === 0 && s.parts[0] !== "take";

/** One round of filling: whether lines already said may come back, and whether story lines may be used. */
interface Pass {
  fresh: boolean;
  filler: boolean;
}

/**
 * Long videos: add lines from the brief to each beat until it fills at least LONG_VIDEO_FILL of its
 * speaking time (at the beat's provisional length), never past LONG_VIDEO_MOST. Beats take one line
 * at a time in turn, so a short supply is shared out rather than spent on the first beats; lines not
 * yet said go first. A sentence is said at most MAX_SAID times (recaps once), REUSE_GAP beats apart;
 * a key message comes back only after the beat that introduced it, MENTION_GAP beats from its last
 * mention. Not `long` (an eight-beat film that would sound sparse): no sentence twice, and story
 * lines only after the brief's own facts, where fillerFits.
 */
function fillLongBeats(
  sketches: { parts: StoryPart[]; lines: Line[]; kms: string[] }[],
  seconds: readonly number[],
  pools: Record<StoryPart, SupportLine[]>,
  wordsPerSecond: number,
  long: boolean,
): void {
  const saidAt = new Map<string, number[]>();
  const mentionedAt = new Map<string, number[]>();
  const note = (map: Map<string, number[]>, key: string, beat: number) =>
    map.set(key, [...(map.get(key) ?? []), beat]);
  const introducedAt = new Map<string, number>();
  sketches.forEach((s, i) => {
    for (const l of s.lines) note(saidAt, l.text, i);
    for (const km of s.kms) {
      note(mentionedAt, km, i);
      introducedAt.set(km, i);
    }
  });
  const near = (beats: number[] | undefined, i: number, gap: number) =>
    beats?.some((b) => Math.abs(b - i) < gap);
  const fits = (l: SupportLine, i: number, { fresh, filler }: Pass) => {
    if (l.filler && (!filler || (!long && !fillerFits(sketches[i]!)))) return false;
    const before = saidAt.get(l.text);
    if (before && (fresh || l.recap || before.length >= MAX_SAID || near(before, i, REUSE_GAP))) return false;
    return (l.mentions ?? []).every((m) => {
      if (near(mentionedAt.get(m), i, MENTION_GAP)) return false;
      const intro = introducedAt.get(m);
      return l.recap ? intro !== undefined && intro < i : intro === undefined || intro > i;
    });
  };

  const words = sketches.map((s) => s.lines.reduce((n, l) => n + countWords(l.text), 0));
  const budgets = seconds.map((t) => wordBudget(t, wordsPerSecond));
  const extra: Line[][] = sketches.map(() => []);
  const cursor = new Map<StoryPart, number>();
  const target = budgets.map((b) => Math.max(1, Math.floor(b * LONG_VIDEO_FILL)));
  // Long videos: new lines, then lines said before (far enough back). A sparse eight-beat film never
  // repeats a sentence: the brief's facts first, then story lines.
  const passes: Pass[] = long
    ? [
        { fresh: true, filler: true },
        { fresh: false, filler: true },
      ]
    : [
        { fresh: true, filler: false },
        { fresh: true, filler: true },
      ];
  const lengths = new Map<string, number>();
  const wordsIn = (text: string) => lengths.get(text) ?? lengths.set(text, countWords(text)).get(text)!;
  for (const pass of passes) {
    // What has been said only grows, so a beat that found no line in this pass never will.
    const stuck = new Set<number>();
    for (let added = true; added; ) {
      added = false;
      // The emptiest beats choose first, so when a part's lines run short no beat is left bare.
      const order = sketches
        .map((_, i) => i)
        .sort((a, b) => words[a]! / target[a]! - words[b]! / target[b]! || a - b);
      for (const i of order) {
        const s = sketches[i]!;
        if (words[i]! >= target[i]! || stuck.has(i)) continue;
        const part = s.parts[0]!;
        const pool = pools[part];
        let at = cursor.get(part) ?? 0;
        stuck.add(i);
        for (let tries = 0; tries < pool.length; tries++, at++) {
          const l = pool[at % pool.length]!;
          if (!fits(l, i, pass)) continue;
          const n = wordsIn(l.text);
          if (words[i]! + n > Math.floor(budgets[i]! * LONG_VIDEO_MOST)) continue;
          extra[i]!.push({ text: l.text, priority: SUPPORT });
          note(saidAt, l.text, i);
          for (const m of l.mentions ?? []) note(mentionedAt, m, i);
          words[i]! += n;
          added = true;
          stuck.delete(i);
          at++;
          break;
        }
        cursor.set(part, at);
      }
    }
  }

  sketches.forEach((s, i) => {
    // After the opening line, before the key messages and the CTA (and their lead-ins), which land last.
    const lead = s.lines.findIndex((l) => l.priority !== CONNECTIVE || l.after);
    s.lines.splice(lead < 0 ? s.lines.length : lead, 0, ...extra[i]!);
    // Nothing left to say that would not loop: the beat plays on picture and music instead.
    const fallback = CONTINUATION[s.parts[0]!];
    if (s.lines.length === 0 && (saidAt.get(fallback)?.length ?? 0) < MAX_SAID) {
      s.lines.push({ text: fallback, priority: CONNECTIVE });
      note(saidAt, fallback, i);
    }
  });
}

/** Spread key messages over the beats from "search" on, keeping the final beat for the CTA when possible. */
function placeKeyMessages(beatParts: StoryPart[][], keyMessages: string[]): string[][] {
  const out: string[][] = beatParts.map(() => []);
  const late: StoryPart[] = ["search", "find", "take", "return", "change"];
  const slots = beatParts.map((p, i) => ({ p, i })).filter(({ p }) => p.some((x) => late.includes(x)));
  const last = beatParts.length - 1;
  const preferred = slots.filter(({ i }) => i !== last);
  const use = keyMessages.length <= preferred.length ? preferred : slots;
  const k = keyMessages.length;
  // Long videos give each message a chapter of the middle (how it works, the payoff, the objection),
  // opening with the message: the beats after it develop and recall it before the next one comes.
  const middle = slots.filter(({ p }) => p.some((x) => x === "search" || x === "find" || x === "take"));
  if (beatParts.length > STORY_PARTS.length && k <= middle.length) {
    keyMessages.forEach((km, j) => {
      out[middle[Math.floor((j * middle.length) / k)]!.i]!.push(km);
    });
    return out;
  }
  keyMessages.forEach((km, j) => {
    const at =
      k <= use.length
        ? k === 1
          ? Math.floor((use.length - 1) / 2)
          : Math.round((j * (use.length - 1)) / (k - 1))
        : Math.floor((j * use.length) / k);
    out[use[at]!.i]!.push(km);
  });
  return out;
}

export interface TemplateBeats {
  beats: Beat[];
  logline: string;
}

/**
 * The deterministic generator: story-circle beats from the brief alone. Copy is written from the
 * brief (key messages verbatim, the CTA in the final "change" beat), durations follow the story
 * weights but give every beat room for its copy, and lines that still do not fit are left unsaid
 * (whole lines, never cut mid-sentence). Long videos, and eight-beat ones that would sound sparse,
 * fill their longer beats with more lines from the brief; the logline is written from the brief too.
 */
export function templateBeats(
  vrd: Vrd,
  wordsPerSecond: number,
  family: ToneFamily = toneFamily(vrd.tone),
): TemplateBeats {
  const c = contextFor(vrd, family);
  const beatParts = planBeatParts(beatCountFor(vrd.duration_seconds));
  const placed = placeKeyMessages(beatParts, vrd.key_messages);
  const last = beatParts.length - 1;
  const spoken = vrd.audio_mode !== "music_only";
  const long = spoken && beatParts.length > STORY_PARTS.length;
  const sketches = beatParts.map((parts, i) => {
    const lines: Line[] = [];
    const kms = placed[i]!;
    const cta = i === last && Boolean(vrd.call_to_action);
    // A beat spanning several parts speaks for its first; a part spanning several beats speaks once.
    const firstOfPart = i === 0 || beatParts[i - 1]!.at(-1) !== parts[0];
    // The end card names what it shows before asking ("Tidewell Flow. Pre-order at …").
    if (i === last && cta) lines.push({ text: sentence(heroOf(vrd)), priority: CONNECTIVE });
    else if (firstOfPart) {
      const line: Line = { text: connectiveLine(parts[0]!, c, kms), priority: CONNECTIVE };
      // A line leading into the beat's message is said only with it: "Best part?" alone dangles.
      if (kms.length > 0 && LEADS_INTO[parts[0]!]) line.after = sentence(kms[0]!);
      lines.push(line);
    }
    for (const km of kms) lines.push({ text: sentence(km), priority: KEY_MESSAGE });
    if (cta) lines.push({ text: sentence(vrd.call_to_action!), priority: CALL_TO_ACTION });
    // Long videos draw their later lines (continuations among them) from the brief instead.
    if (lines.length === 0 && !long) lines.push({ text: CONTINUATION[parts[0]!], priority: CONNECTIVE });
    return { parts, lines, kms, cta };
  });

  // Every beat gets at least the time its copy needs; the rest follows the story weights.
  const weights = sketches.map((s) => s.parts.reduce((w, p) => w + PART_WEIGHT[p], 0));
  const own = sketches.reduce((n, s) => n + s.lines.reduce((m, l) => m + countWords(l.text), 0), 0);
  // A one-minute film with a 30 s film's lines is mostly silence: it gets lines from the brief too,
  // but only new ones, since in eight beats a sentence said twice is heard as a repeat.
  const sparse = spoken && own / vrd.duration_seconds < SPARSE_WORDS_PER_SECOND;
  if (long || sparse)
    fillLongBeats(
      sketches,
      allocateDurations(weights, vrd.duration_seconds),
      supportLines(vrd, CONTINUATION),
      wordsPerSecond,
      long,
    );
  const needs = sketches.map((s) =>
    Math.max(1, spoken ? s.lines.reduce((n, l) => n + countWords(l.text), 0) / wordsPerSecond : 1),
  );
  const spans = timeline(allocateDurations(weights, vrd.duration_seconds, needs));
  const locations = storyLocations(beatParts, vrd.locations);

  const speaker = vrd.audio_mode === "on_camera_dialogue" ? vrd.characters[0]?.name : undefined;
  const seen = new Set<string>();
  const beats = sketches.map((s, i): Beat => {
    const { start_s, end_s } = spans[i]!;
    const copy = fitLines(s.lines, spoken ? wordBudget(end_s - start_s, wordsPerSecond) : 60);
    const isFind = s.parts.includes("find") && !sketches[i - 1]?.parts.includes("find");
    const music = i === 0 ? MUSIC[family] : isFind ? "music lifts" : i === last ? "music resolves" : null;
    const look = lookFor(s.parts, locations[i], c, s.kms, s.cta, seen);
    if (speaker && !look.characters.includes(speaker)) look.characters = [...look.characters, speaker];
    const superText = s.cta
      ? [...s.kms, vrd.call_to_action!].join(" — ")
      : s.kms.length > 0
        ? s.kms.join(" · ")
        : null;
    let on_screen: string | null = superText;
    let style: Beat["text"]["style"] = s.cta ? "end_card" : s.kms.length > 0 ? "super" : null;
    if (!spoken && !on_screen) {
      on_screen = copy;
      style = "title";
    } else if (spoken && !on_screen && vrd.captions && copy) {
      on_screen = copy;
      style = "caption";
    }
    return {
      id: beatId(i),
      parts: s.parts,
      start_s,
      end_s,
      audio: {
        voice_over: spoken && !speaker && copy ? copy : null,
        dialogue: spoken && speaker && copy ? [{ character: speaker, line: copy }] : [],
        music,
        sfx: [],
      },
      look,
      text: { on_screen, style },
      emotion: PART_EMOTION[s.parts.at(-1)!],
      purpose: s.parts.map((p) => PART_PURPOSE[p]).join("; "),
      key_messages: s.kms,
      carries_cta: s.cta,
    };
  });

  return { beats, logline: loglineFor(vrd) };
}
