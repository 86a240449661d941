import { type Answers, ClarifyingQuestion, USE_DEFAULT } from "../../domain/clarify.js";
import { type FieldProblem, ValidationError } from "../../domain/errors.js";
import { parseOrThrow } from "../../domain/parse.js";
import {
  ASPECT_RATIOS,
  type AspectRatio,
  PLATFORM_ASPECT_RATIO,
  type Platform,
  Vrd,
} from "../../domain/vrd.js";
import { keyMessageCapacity, SECONDS_PER_KEY_MESSAGE } from "./story.js";

/** Most questions worth a person's attention in one round: three good questions beat ten. */
export const MAX_QUESTIONS = 5;

const LABEL_MAX = 75;

/** Platform names as they read inside a question ("but a website plays…"), unlike the bots' labels. */
const PLATFORM_NAME: Record<Platform, string> = {
  youtube: "YouTube",
  youtube_shorts: "YouTube Shorts",
  tiktok: "TikTok",
  instagram_reels: "Instagram Reels",
  linkedin: "LinkedIn",
  x: "X",
  website: "a website",
  tv: "TV",
  other: "this platform",
};

/** Platforms watched in a scrolling feed, mostly with the sound off. */
const MUTED_FEED: ReadonlySet<Platform> = new Set([
  "tiktok",
  "instagram_reels",
  "youtube_shorts",
  "linkedin",
  "x",
]);

/** Aspect ratios each platform shows well; anything else contradicts the platform. */
const FITTING_RATIOS: Record<Platform, readonly AspectRatio[]> = {
  youtube: ["16:9", "21:9"],
  youtube_shorts: ["9:16"],
  tiktok: ["9:16"],
  instagram_reels: ["9:16"],
  linkedin: ["1:1", "4:5", "16:9", "9:16"],
  x: ["16:9", "1:1", "4:5"],
  website: ASPECT_RATIOS,
  tv: ["16:9", "21:9"],
  other: ASPECT_RATIOS,
};

const STYLE_OPTIONS = {
  live: { label: "Live-action, natural light", value: "live-action, natural light, shallow depth of field" },
  render: { label: "Clean 3D product render", value: "clean 3D product render, soft studio light" },
  motion: { label: "2D motion graphics", value: "flat 2D motion graphics in the brand colours" },
  documentary: { label: "Hand-held documentary", value: "hand-held documentary look, available light" },
  illustrated: { label: "Illustrated animation", value: "hand-drawn illustrated animation" },
} as const;

/** Styles that say nothing a director could act on. */
const VAGUE_STYLE_WORDS = new Set(
  "modern nice cool good great clean simple fun professional sleek nice-looking premium high-quality quality engaging tbd n/a any whatever normal standard video".split(
    " ",
  ),
);

function label(text: string): string {
  return text.length <= LABEL_MAX ? text : `${text.slice(0, LABEL_MAX - 1).trimEnd()}…`;
}

function isVagueStyle(style: string | undefined): boolean {
  if (!style) return true;
  const words = style
    .toLowerCase()
    .split(/[\s,;/]+/)
    .filter((w) => w && !["and", "a", "an", "look", "style", "feel", "very"].includes(w));
  return words.length === 0 || words.every((w) => VAGUE_STYLE_WORDS.has(w));
}

/** A web address the brief already names (references, objective, title), for a concrete CTA. */
function siteOf(vrd: Vrd): string | undefined {
  const hay = [...vrd.references, vrd.objective, vrd.title].join(" ");
  return hay.match(/\b(?:https?:\/\/)?((?:[a-z0-9-]+\.)+[a-z]{2,})(?:\/\S*)?/i)?.[1];
}

const PRODUCT_WORDS =
  /\b(product|launch|buy|shop|order|sale|sales|subscri|bottle|bag|device|gadget|pack|kit|box)/i;

type Candidate = { priority: number; question: ClarifyingQuestion };

/**
 * What is missing, vague or contradictory in a VRD, most important first, at most MAX_QUESTIONS.
 * Nothing the brief already answers is asked, nor what the platform decides (aspect ratio, when
 * the brief is silent on it).
 */
export function askClarifyingQuestions(vrd: Vrd): ClarifyingQuestion[] {
  const out: Candidate[] = [];
  const ask = (
    priority: number,
    q: Omit<ClarifyingQuestion, "options"> & { options?: ClarifyingQuestion["options"] },
  ) => out.push({ priority, question: parseOrThrow(ClarifyingQuestion, q, `question ${q.id}`) });
  const platform = PLATFORM_NAME[vrd.platform];
  const native = PLATFORM_ASPECT_RATIO[vrd.platform];

  if (vrd.aspect_ratio && !FITTING_RATIOS[vrd.platform].includes(vrd.aspect_ratio)) {
    const ratios = [native, vrd.aspect_ratio, "1:1" as const].filter((r, i, all) => all.indexOf(r) === i);
    ask(1, {
      id: "aspect_ratio",
      field: "aspect_ratio",
      question: `The brief says ${vrd.aspect_ratio}, but ${platform} plays ${native} full-screen. Which frame should we make?`,
      why: "The frame decides every shot's composition; a mismatched one plays letterboxed and small.",
      options: ratios.map((r) => ({
        label:
          r === native ? `${r} (fills ${platform})` : r === vrd.aspect_ratio ? `${r} (as in the brief)` : r,
        value: r,
      })),
      default: native,
    });
  }

  const capacity = keyMessageCapacity(vrd.duration_seconds);
  const count = vrd.key_messages.length;
  if (count > capacity) {
    const longer = Math.min(600, count * SECONDS_PER_KEY_MESSAGE);
    ask(2, {
      id: "key_messages",
      field: "key_messages",
      question: `${count} key messages in ${vrd.duration_seconds} s is a lot: at about ${SECONDS_PER_KEY_MESSAGE} s per message a viewer takes in ${capacity}. Keep which? (Or reply with their numbers, e.g. 1,3.)`,
      why: "Crammed messages blur together and the voice-over outruns the pictures; fewer land harder.",
      options: [
        { label: label(`Keep the first ${capacity}`), value: "keep_first" },
        { label: `Keep all ${count} (denser script)`, value: "keep_all" },
        ...(longer > vrd.duration_seconds
          ? [{ label: `Make the video ${longer} s long`, value: "extend" }]
          : []),
      ],
      default: "keep_first",
    });
  }

  if (!vrd.audience) {
    ask(3, {
      id: "audience",
      field: "audience",
      question: "Who is this for? One line: who they are and what they care about.",
      why: "The opening beat shows the viewer's own world; without an audience it shows no one in particular.",
      default: `General audience on ${platform}`,
    });
  }

  if (!vrd.call_to_action) {
    const site = siteOf(vrd);
    const social = MUTED_FEED.has(vrd.platform);
    const objective = vrd.objective.toLowerCase();
    const options = [
      site && `Visit ${site}`,
      /sign|subscri|regist|trial|join|download/.test(objective) && "Sign up today",
      /buy|sale|shop|order|purchas|launch/.test(objective) && "Shop now",
      social && vrd.brand?.name && `Follow ${vrd.brand.name} for more`,
      "Learn more",
    ]
      .filter((o): o is string => Boolean(o))
      .slice(0, 4)
      .map((o) => ({ label: label(o), value: o.slice(0, 150) }));
    ask(4, {
      id: "call_to_action",
      field: "call_to_action",
      question: "What should viewers do at the end? Pick one or write your own line.",
      why: "The last beat asks for one action; without it the video ends on a shrug and nothing is measurable.",
      options,
      default: options[0]!.value,
    });
  }

  const first = vrd.characters[0];
  if (first && !vrd.audio_mode) {
    const who = vrd.characters.length === 1 ? first.name : "the characters";
    ask(5, {
      id: "audio_mode",
      field: "audio_mode",
      question: `Does ${who} speak on camera, or is all spoken copy voice-over?`,
      why: "On-camera lines need lip-sync: more cost and fewer capable tools. Voice-over is cheaper and easier to revise.",
      options: [
        { label: "Voice-over only", value: "voice_over" },
        {
          label: label(
            vrd.characters.length === 1
              ? `${first.name} speaks on camera (lip-sync)`
              : "Characters speak on camera (lip-sync)",
          ),
          value: "on_camera_dialogue",
        },
        { label: "Music + on-screen text only", value: "music_only" },
      ],
      default: "voice_over",
    });
  }

  if (vrd.products.length === 0 && PRODUCT_WORDS.test(`${vrd.title} ${vrd.objective}`)) {
    ask(6, {
      id: "hero_product",
      field: "products",
      question:
        "Is there a product that must look identical in every shot? Describe it (colour, material, logo) or link a photo.",
      why: "AI video tools redraw objects each shot; a precise description or reference image keeps the product from morphing between cuts.",
      options: [{ label: "No hero product", value: "none" }],
      default: "none",
    });
  }

  if (isVagueStyle(vrd.style)) {
    const fallback =
      vrd.characters.length > 0
        ? STYLE_OPTIONS.live
        : vrd.products.length > 0
          ? STYLE_OPTIONS.render
          : STYLE_OPTIONS.motion;
    ask(7, {
      id: "style",
      field: "style",
      question: vrd.style
        ? `"${label(vrd.style)}" can look a hundred ways. Which visual style do you mean?`
        : "Which visual style should the video have?",
      why: "Style decides the look of every beat and which generation tools fit; a vague style gets generic stock-looking shots.",
      options: Object.values(STYLE_OPTIONS).map((o) => ({ label: o.label, value: o.value })),
      default: fallback.value,
    });
  }

  if (MUTED_FEED.has(vrd.platform) && vrd.captions === undefined && vrd.audio_mode !== "music_only") {
    ask(8, {
      id: "captions",
      field: "captions",
      question: `Burn in captions? Most ${platform} videos are watched muted.`,
      why: "Captions change the Text layer of every beat; without them a muted viewer misses the spoken copy.",
      options: [
        { label: "Yes, burn in captions", value: "yes" },
        { label: "No captions", value: "no" },
      ],
      default: "yes",
    });
  }

  if (vrd.constraints.max_cost_usd === undefined) {
    ask(9, {
      id: "budget",
      field: "constraints.max_cost_usd",
      question: "What is the most you want to spend on AI generation for this video, in US dollars?",
      why: "The plan picks a tool per shot against the budget; without one we plan the cheapest setup that meets the quality bar.",
      options: [
        { label: "$25", value: "25" },
        { label: "$50", value: "50" },
        { label: "$100", value: "100" },
        { label: "$250", value: "250" },
        { label: "No fixed budget", value: "no_limit" },
      ],
      default: "no_limit",
    });
  }

  return out
    .sort((a, b) => a.priority - b.priority)
    .slice(0, MAX_QUESTIONS)
    .map((c) => c.question);
}

// ---------------------------------------------------------------------------------------------
// Answers

/** Free-text budget: "25", "$25", "25 usd", "USD 1,200", "1.5k". Undefined means no limit. */
export function parseBudget(answer: string): number | undefined | "invalid" {
  const s = answer.trim().toLowerCase();
  if (/^(no[\s_-]?limit|none|no budget|no fixed budget|unlimited|n\/a)$/.test(s)) return undefined;
  const m = s.match(/^(?:usd|us\$|\$)?\s*(-?\d[\d,]*(?:\.\d+)?)\s*(k)?\s*(?:usd|us\$|\$|dollars?|bucks)?$/);
  if (!m) return "invalid";
  const n = Number(m[1]!.replace(/,/g, "")) * (m[2] ? 1000 : 1);
  return Number.isFinite(n) ? n : "invalid";
}

const YES = /^(y|yes|yep|true|on|1|sure|please|yes, burn in captions)$/;
const NO = /^(n|no|nope|false|off|0|none|no captions)$/;

function parseAudioMode(answer: string): string {
  const s = answer.toLowerCase();
  if (/music|no (voice|speech)|text only/.test(s)) return "music_only";
  if (/on[\s_-]?camera|dialog|lip|speaks|talk/.test(s)) return "on_camera_dialogue";
  if (/voice|^vo$|narrat/.test(s)) return "voice_over";
  return answer; // the schema names the allowed values
}

function parseAspectRatio(answer: string): string {
  const s = answer.toLowerCase().replace(/\s+/g, "");
  const m = s.match(/^(\d+)[:x/×](\d+)/);
  if (m) return `${m[1]}:${m[2]}`;
  if (/vertical|portrait/.test(s)) return "9:16";
  if (/square/.test(s)) return "1:1";
  if (/landscape|horizontal|widescreen/.test(s)) return "16:9";
  return answer;
}

type Draft = Record<string, unknown> & { constraints: Record<string, unknown> };
type Apply = (draft: Draft, answer: string, vrd: Vrd) => FieldProblem | undefined;

const APPLY: Record<string, Apply> = {
  budget(draft, answer) {
    const amount = parseBudget(answer);
    if (amount === "invalid")
      return {
        field: "constraints.max_cost_usd",
        message: `expected an amount in US dollars such as 25 or "$25" (or "no limit"), got ${JSON.stringify(answer)}`,
      };
    if (amount === undefined) delete draft.constraints.max_cost_usd;
    else draft.constraints.max_cost_usd = amount;
    return undefined;
  },
  captions(draft, answer) {
    const s = answer.trim().toLowerCase();
    if (YES.test(s)) draft.captions = true;
    else if (NO.test(s)) draft.captions = false;
    else return { field: "captions", message: `answer yes or no, got ${JSON.stringify(answer)}` };
    return undefined;
  },
  audio_mode(draft, answer) {
    draft.audio_mode = parseAudioMode(answer);
    return undefined;
  },
  aspect_ratio(draft, answer) {
    draft.aspect_ratio = parseAspectRatio(answer);
    return undefined;
  },
  key_messages(draft, answer, vrd) {
    const all = vrd.key_messages;
    if (answer === "keep_all") return undefined;
    if (answer === "keep_first") {
      draft.key_messages = all.slice(0, keyMessageCapacity(vrd.duration_seconds));
      return undefined;
    }
    if (answer === "extend") {
      draft.duration_seconds = Math.min(600, all.length * SECONDS_PER_KEY_MESSAGE);
      return undefined;
    }
    const picks = answer.match(/\d+/g)?.map(Number) ?? [];
    const onlyNumbers = /^[\d\s,;and&]+$/i.test(answer);
    if (!onlyNumbers || picks.length === 0 || picks.some((n) => n < 1 || n > all.length))
      return {
        field: "key_messages",
        message: `answer keep_first, keep_all, extend, or the numbers (1–${all.length}) of the messages to keep, e.g. "1,3"; got ${JSON.stringify(answer)}`,
      };
    draft.key_messages = [...new Set(picks)].sort((a, b) => a - b).map((n) => all[n - 1]);
    return undefined;
  },
  hero_product(draft, answer, vrd) {
    if (/^(none|no|no hero product|n\/a)$/i.test(answer.trim())) return undefined;
    const url = answer.match(/https?:\/\/\S+/)?.[0];
    const name = vrd.brand?.name ? `${vrd.brand.name} product` : "Hero product";
    const description = url ? `as in the reference photo ${url}` : answer.trim();
    draft.products = [{ name, description: description.slice(0, 500) }];
    if (url) draft.references = [...vrd.references, url];
    return undefined;
  },
};

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== "object" || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys.at(-1)!] = value;
}

/**
 * Merge answers into the VRD. A missing answer or "default" applies the question's default; an
 * answer may be an option's value or label, or free text. The result is parsed again through the
 * VRD schema, so a bad answer throws a ValidationError naming the field it was meant to fill.
 */
export function applyAnswers(vrd: Vrd, questions: readonly ClarifyingQuestion[], answers: Answers): Vrd {
  const draft = structuredClone(vrd) as unknown as Draft;
  const problems: FieldProblem[] = [];
  for (const q of questions) {
    const given = answers[q.id]?.trim();
    const raw = !given || given.toLowerCase() === USE_DEFAULT ? q.default : given;
    const option = q.options.find(
      (o) => o.value.toLowerCase() === raw.toLowerCase() || o.label.toLowerCase() === raw.toLowerCase(),
    );
    const answer = option?.value ?? raw;
    const apply = APPLY[q.id];
    if (!apply) {
      setPath(draft, q.field, answer);
      continue;
    }
    const problem = apply(draft, answer, vrd);
    if (problem) problems.push(problem);
  }
  if (problems.length > 0)
    throw new ValidationError(
      problems.map((p) => asAnswerProblem(p, questions)),
      "answers",
    );
  try {
    return parseOrThrow(Vrd, draft, "answers");
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new ValidationError(
      error.problems.map((p) => asAnswerProblem(p, questions)),
      "answers",
    );
  }
}

/**
 * A problem with the VRD field an answer fills, named by the question it answers (`answers.budget`),
 * so the person sees it beside the answer they typed (API body, modal field).
 */
function asAnswerProblem(problem: FieldProblem, questions: readonly ClarifyingQuestion[]): FieldProblem {
  const question = questions.find(
    (q) =>
      problem.field === q.field ||
      problem.field.startsWith(`${q.field}.`) ||
      problem.field.startsWith(`${q.field}[`),
  );
  return question ? { field: `answers.${question.id}`, message: problem.message } : problem;
}
