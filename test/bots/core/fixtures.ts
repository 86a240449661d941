import { generateAltBeats } from "../../../src/agents/scriptsmith/index.js";
import { generateShotList } from "../../../src/agents/shotmaster/index.js";
import { generatePlan } from "../../../src/agents/videosolver/index.js";
import type { ClarifyingQuestion } from "../../../src/domain/clarify.js";
import type { Production } from "../../../src/domain/production.js";
import type { Beat, Script } from "../../../src/domain/script.js";
import type { Shot, ShotList } from "../../../src/domain/shots.js";
import { parseVrd, type Vrd, type VrdInput } from "../../../src/domain/vrd.js";
import { seedTools } from "../../../src/toolstack/seed.js";
import { stepTools } from "../../../src/toolstack/step-tools.js";

export const fixedNow = () => new Date("2026-11-25T09:00:00.000Z");
export const PRODUCTION_ID = "0f8e4a52-7c1d-4b8e-9a3f-2d6c5e1b7a90";

/** Text a hostile or careless user might type into a brief. */
export const HOSTILE =
  "<!channel> <!here> @everyone @here <@U123ABC> <@&987654321098765432> **bold** </script> <https://evil.example|click me> `code` ~strike~ _it_ & more";

export const coffeeInput: VrdInput = {
  title: "Ember & Oak — never run out",
  objective: "Sign-ups for a coffee subscription",
  audience: "Urban professionals 25–40 who brew at home",
  duration_seconds: 30,
  platform: "instagram_reels",
  tone: ["warm", "cozy", "a little wry"],
  key_messages: ["Roasted to order, shipped within 48 hours", "Pause or skip anytime", "First bag free"],
  call_to_action: "Start your free bag at emberoak.example",
  constraints: { max_cost_usd: 20, quality_priority: "medium" },
};

export const questions: ClarifyingQuestion[] = [
  {
    id: "audio_mode",
    field: "audio_mode",
    question: "Does Priya speak on camera, or is all spoken copy voice-over?",
    why: "On-camera lines need lip-sync: more cost, fewer capable tools",
    options: [
      { label: "VO only", value: "voice_over" },
      { label: "Priya speaks", value: "on_camera_dialogue" },
      { label: "Music + captions only", value: "music_only" },
    ],
    default: "voice_over",
  },
  {
    id: "hero_product",
    field: "products",
    question: "Describe the bag that must look identical in every shot",
    why: "The product must not morph between cuts",
    options: [],
    default: "matte charcoal kraft coffee bag",
  },
];

export function makeProduction(vrd: Vrd, overrides: Partial<Production> = {}): Production {
  return {
    id: PRODUCTION_ID,
    version: 7,
    stage: "clarifying",
    vrd,
    questions,
    answers: {},
    script: null,
    shot_list: null,
    plan: null,
    origin: {
      platform: "slack",
      workspace_id: "T1",
      channel_id: "C1",
      thread_id: "1700000000.000100",
      user_id: "U0STARTER",
    },
    owner_id: "U0STARTER",
    error: null,
    usage: { calls: 0, input_tokens: 0, output_tokens: 0, total_tokens: 0 },
    created_at: "2026-11-25T09:00:00.000Z",
    updated_at: "2026-11-25T09:05:00.000Z",
    ...overrides,
  };
}

export const coffee = (overrides: Partial<VrdInput> = {}) => parseVrd({ ...coffeeInput, ...overrides });

/** The 30 s coffee reel, generated end to end in template mode. */
export async function coffeeProduction(): Promise<Production> {
  const vrd = coffee();
  const script = await generateAltBeats(vrd, {}, { now: fixedNow });
  const shotList = await generateShotList(script, vrd, { now: fixedNow });
  const plan = generatePlan(shotList, [...seedTools(), ...stepTools()], vrd.constraints, { now: fixedNow });
  return makeProduction(vrd, { stage: "plan_review", script, shot_list: shotList, plan });
}

/** Each beat cut into `n` consecutive beats (B001…), so a 600 s script has many beats. */
function subdivide(beats: Beat[], n: number): Beat[] {
  const out: Beat[] = [];
  for (const beat of beats) {
    const step = (beat.end_s - beat.start_s) / n;
    for (let i = 0; i < n; i++)
      out.push({
        ...beat,
        id: `B${String(out.length + 1).padStart(3, "0")}`,
        start_s: Math.round((beat.start_s + i * step) * 10) / 10,
        end_s: Math.round((beat.start_s + (i + 1) * step) * 10) / 10,
      });
  }
  return out;
}

/** Shots repeated with fresh ids (S001…) until there are `count`, spread over the beats. */
function manyShots(shots: Shot[], beats: Beat[], count: number): Shot[] {
  return Array.from({ length: count }, (_, i) => ({
    ...shots[i % shots.length]!,
    id: `S${String(i + 1).padStart(3, "0")}`,
    beat_id: beats[Math.floor((i * beats.length) / count)]!.id,
  }));
}

/**
 * A 600 s production with 64 beats (one of them with a 7,000-character voice-over, to force a split
 * inside a beat), 150 shots and their plan, all from the real generators.
 */
export async function bigProduction(): Promise<Production> {
  const vrd = parseVrd({
    title: `Long film ${HOSTILE}`.slice(0, 150),
    objective: `Explain the product. ${HOSTILE}`,
    duration_seconds: 600,
    platform: "youtube",
    key_messages: ["One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten"],
    call_to_action: "Visit the site",
    constraints: { max_cost_usd: 500 },
  });
  const base = await generateAltBeats(vrd, {}, { now: fixedNow });
  const beats = subdivide(base.beats, 4);
  const long = beats[10]!;
  beats[10] = {
    ...long,
    audio: {
      ...long.audio,
      voice_over: `${"Every word of this long voice-over must survive the split. ".repeat(118)}${HOSTILE}`,
    },
  };
  const script: Script = { ...base, beats };
  const generated = await generateShotList(base, vrd, { now: fixedNow });
  const shots = manyShots(generated.shots, beats, 150);
  const shotList: ShotList = {
    ...generated,
    shots,
    asset_summary: { ...generated.asset_summary, shot_count: shots.length },
  };
  const plan = generatePlan(shotList, [...seedTools(), ...stepTools()], vrd.constraints, { now: fixedNow });
  return makeProduction(vrd, { stage: "plan_review", script, shot_list: shotList, plan });
}
