import type { Tool } from "../domain/tool.js";
import stepFile from "./data/step-tools.json" with { type: "json" };
import { parseToolSeed } from "./seed.js";

/**
 * The tools a workflow needs around video generation — keyframe image, text-to-speech, lip-sync,
 * upscale, music — validated from src/toolstack/data/step-tools.json (prices sourced or null).
 */
export function stepTools(): Tool[] {
  return parseToolSeed(stepFile);
}

/** The tool each non-video step uses in a plan. A missing role means the stack has no such tool. */
export interface StepToolSet {
  image_generation?: Tool;
  text_to_speech?: Tool;
  lip_sync?: Tool;
  upscale?: Tool;
  music?: Tool;
}

const ROLES = ["image_generation", "text_to_speech", "lip_sync", "upscale", "music"] as const;

/**
 * One tool per step role from a tool list: usable tools only (not retired), a sourced price before an
 * unknown one, then the cheapest, then the best measured quality, then by id so the choice is stable.
 * Steps around generation matter less to the picture than the generator, so price leads here.
 */
export function pickStepTools(tools: readonly Tool[]): StepToolSet {
  const set: StepToolSet = {};
  for (const role of ROLES) {
    const candidates = tools.filter((t) => t.category === role && t.status !== "retired");
    candidates.sort(
      (a, b) =>
        Number(a.pricing.usd === null) - Number(b.pricing.usd === null) ||
        (a.pricing.usd ?? 0) - (b.pricing.usd ?? 0) ||
        (b.quality.score ?? 0) - (a.quality.score ?? 0) ||
        a.tool_id.localeCompare(b.tool_id),
    );
    if (candidates[0]) set[role] = candidates[0];
  }
  return set;
}
