import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { DraftBeat, ScriptDraft } from "../../../src/agents/scriptsmith/draft.js";
import { parseVrd, parseVrdText, type Vrd, type VrdInput } from "../../../src/domain/vrd.js";

/** The brief from /work/shared/examples/coffee-reel-30s.md. */
export const coffeeInput: VrdInput = {
  title: "Ember & Oak — never run out",
  objective: "Sign-ups for a coffee subscription",
  audience: "Urban professionals 25–40 who brew at home",
  duration_seconds: 30,
  platform: "instagram_reels",
  tone: ["warm", "cozy", "a little wry"],
  key_messages: ["Roasted to order, shipped within 48 hours", "Pause or skip anytime", "First bag free"],
  call_to_action: "Start your free bag at emberoak.example",
  characters: [
    {
      name: "Priya",
      description:
        "late 20s, shoulder-length black hair in a low bun, mustard knit cardigan over a white tee",
    },
  ],
  constraints: { max_cost_usd: 20, quality_priority: "medium" },
};

export const coffee = (overrides: Partial<VrdInput> = {}): Vrd => parseVrd({ ...coffeeInput, ...overrides });

export const fixedNow = () => new Date("2026-11-25T09:00:00.000Z");

export const examplesDir = join(import.meta.dirname, "../../../examples");

export function exampleVrds(): { file: string; vrd: Vrd }[] {
  return readdirSync(examplesDir)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .map((file) => ({ file, vrd: parseVrdText(readFileSync(join(examplesDir, file), "utf8")) }));
}

const beat = (
  parts: DraftBeat["parts"],
  secs: number,
  vo: string,
  extra: Partial<DraftBeat> = {},
): DraftBeat => ({
  parts,
  approx_seconds: secs,
  voice_over: vo,
  dialogue: [],
  music: null,
  sfx: [],
  look: {
    action: `Action for ${parts.join("+")}`,
    setting: "Small apartment kitchen",
    characters: ["Priya"],
    mood: "warm",
  },
  on_screen_text: null,
  text_style: null,
  emotion: "warm",
  purpose: "story",
  key_message_numbers: [],
  carries_cta: false,
  ...extra,
});

/** The coffee reel from the examples, as a model would draft it. */
export function goodDraft(): ScriptDraft {
  return {
    logline: "Priya never runs out of fresh coffee again.",
    beats: [
      beat(["you"], 3, "Out of coffee. Again.", {
        sfx: ["a tin rattles, empty"],
        on_screen_text: "6:58 AM",
        text_style: "super",
      }),
      beat(["need"], 3, "And the good stuff takes days."),
      beat(["go"], 3.5, "Unless it's already on its way.", { sfx: ["doorbell"] }),
      beat(["search"], 4, "We roast when you order, and ship within 48 hours.", {
        on_screen_text: "Roasted to order · shipped within 48 hours",
        text_style: "super",
        key_message_numbers: [1],
      }),
      beat(["find"], 4.5, "That's what fresh tastes like.", { music: "music swells" }),
      beat(["take"], 4.5, "Away next week? Pause or skip anytime.", {
        on_screen_text: "Pause or skip anytime",
        text_style: "super",
        key_message_numbers: [2],
      }),
      beat(["return"], 3.5, "Never run out again."),
      beat(["change"], 4, "Your first bag is on us.", {
        on_screen_text: "First bag free — Start your free bag at emberoak.example",
        text_style: "end_card",
        key_message_numbers: [3],
        carries_cta: true,
      }),
    ],
  };
}
