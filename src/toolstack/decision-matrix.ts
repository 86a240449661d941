import { ValidationError } from "../domain/errors.js";
import type { Shot } from "../domain/shots.js";
import { money } from "../domain/text.js";
import type { Tool } from "../domain/tool.js";
import type { Constraints, QualityPriority } from "../domain/vrd.js";
import { roundUsd } from "./pricing.js";
import { type CapableWorkflow, calculateWorkflow, type WorkflowContext } from "./workflows.js";

/** What benchmarks measured for a tool (latest runs, averaged); see ToolStackDB.latestBenchmarks. */
export interface BenchmarkSummary {
  quality_score: number | null;
  latency_seconds: number | null;
}

export interface DecisionContext extends WorkflowContext {
  benchmarks?: Readonly<Record<string, BenchmarkSummary>>;
}

/** One capable (shot, tool) pairing with its workflow, cost, time, quality and decision score. */
export interface ShotOption {
  shot_id: string;
  tool: Tool;
  workflow: CapableWorkflow;
  /** Sum of the steps' known prices; `unknown_cost_steps` counts the others. */
  cost_usd: number;
  unknown_cost_steps: number;
  /** Sum of the known step times; `unknown_time_steps` counts the others. */
  time_s: number;
  unknown_time_steps: number;
  /** 0..1 fit for this shot (formula on `shotQuality`). */
  quality: number;
  /** True when the base came from a measured score (tool quality or benchmarks), not the prior. */
  quality_measured: boolean;
  /** Requirement and strength matches that moved the score, e.g. "native audio". */
  matches: string[];
  /** Cost and time the decision matrix ranks with: unknown steps charged a stand-in (see `scoreOptions`).
   * The budget is held against `plan_cost_usd`; the time limit against documented `time_s` only. */
  plan_cost_usd: number;
  plan_time_s: number;
  /** Decision-matrix score: quality, cost and speed weighted by quality_priority. */
  score: number;
}

export interface Rejection {
  tool_id: string;
  tool_name: string;
  reasons: string[];
}

/** The score an unmeasured tool starts from: neither good nor bad. */
export const UNMEASURED_QUALITY = 0.5;

const mentions = (tool: Tool, pattern: RegExp) =>
  [...tool.quality.strengths, ...tool.best_for].some((s) => pattern.test(s));

/**
 * Quality of a tool for one shot, 0..1:
 *   base = mean of the known measured scores (the tool's quality.score, its benchmarks' quality);
 *          0.5 when nothing measured it
 *   + 0.06 camera control or a moving camera, and the tool has camera control (+0.03 when only its
 *          documented strengths mention camera/motion); − 0.06 when camera control is required and
 *          the tool is known to lack it
 *   + 0.05 audio wanted and native audio; − 0.03 audio wanted and no native audio (added in post)
 *   + 0.05 physics wanted and strengths mention physics/action/dynamic motion
 *   + 0.05 text on screen wanted and strengths mention text/typography
 *   + 0.04 character consistency held by a keyframe or reference image; − 0.08 prompt only
 *   + 0.04 product reference taken natively as a reference image
 *   + 0.03 lip-sync native to the generator
 *   − 0.04 per seam when the shot is stitched from several clips
 *   − 0.03 aspect ratio undocumented (may need a crop)
 * clamped to 0..1. Small steps on purpose: a measured score should outweigh keyword matches.
 */
export function shotQuality(
  shot: Shot,
  workflow: CapableWorkflow,
  benchmark?: BenchmarkSummary,
): { quality: number; measured: boolean; matches: string[] } {
  const tool = workflow.tool;
  const caps = tool.capabilities;
  const req = shot.requirements;
  const measured = [tool.quality.score, benchmark?.quality_score ?? null].filter(
    (s): s is number => s !== null,
  );
  let q = measured.length > 0 ? measured.reduce((a, b) => a + b, 0) / measured.length : UNMEASURED_QUALITY;
  const matches: string[] = [];
  const bump = (delta: number, why: string) => {
    q += delta;
    matches.push(why);
  };

  const moving = shot.movement !== "static";
  if (req.camera_control || moving) {
    if (caps.camera_control === true) bump(0.06, "camera control");
    else if (mentions(tool, /camera|motion/i)) bump(0.03, "documented camera/motion strength");
    else if (req.camera_control && caps.camera_control === false) bump(-0.06, "no camera control");
  }
  if (req.audio) {
    if (caps.native_audio === true) bump(0.05, "native audio");
    else bump(-0.03, "sound added in post");
  }
  if (req.physics && mentions(tool, /physic|action|dynamic/i))
    bump(0.05, "documented physics/motion strength");
  if (req.text_rendering && mentions(tool, /text rendering|on-screen text|legible text|lettering|typograph/i))
    bump(0.05, "documented text rendering");
  if (req.character_consistency) {
    if (workflow.base === "text-to-video") bump(-0.08, "character held by the prompt only");
    else bump(0.04, "keyframe pins the character");
  }
  if (req.reference_image && caps.reference_image === true) bump(0.04, "native reference image");
  if (workflow.lip_sync === "native") bump(0.03, "native lip-sync");
  const seams = workflow.clip_lengths.length - 1;
  if (seams > 0) bump(-0.04 * seams, `${seams} seam${seams > 1 ? "s" : ""}`);
  if (workflow.aspect_ratio === "undocumented") bump(-0.03, "aspect ratio undocumented");

  return {
    quality: Math.round(Math.min(1, Math.max(0, q)) * 1000) / 1000,
    measured: measured.length > 0,
    matches,
  };
}

/** Weights of quality, cost and speed in the decision matrix, by the VRD's quality_priority. */
export const PRIORITY_WEIGHTS: Record<QualityPriority, { quality: number; cost: number; speed: number }> = {
  high: { quality: 0.8, cost: 0.1, speed: 0.1 },
  medium: { quality: 0.6, cost: 0.25, speed: 0.15 },
  low: { quality: 0.4, cost: 0.45, speed: 0.15 },
};

/** Every tool that can make the shot, as an unscored option, and why the others cannot. */
export function shotOptions(
  shot: Shot,
  tools: readonly Tool[],
  ctx: DecisionContext = {},
): { options: ShotOption[]; rejected: Rejection[] } {
  const options: ShotOption[] = [];
  const rejected: Rejection[] = [];
  for (const tool of tools) {
    if (tool.category !== "video_generation") continue;
    const workflow = calculateWorkflow(shot, tool, ctx);
    if (!workflow.capable) {
      rejected.push({ tool_id: tool.tool_id, tool_name: tool.name, reasons: workflow.reasons });
      continue;
    }
    const { quality, measured, matches } = shotQuality(shot, workflow, ctx.benchmarks?.[tool.tool_id]);
    let cost = 0;
    let time = 0;
    let unknownCost = 0;
    let unknownTime = 0;
    for (const step of workflow.steps) {
      if (step.cost_usd === null) unknownCost += 1;
      else cost += step.cost_usd;
      if (step.time_s === null) unknownTime += 1;
      else time += step.time_s;
    }
    options.push({
      shot_id: shot.id,
      tool,
      workflow,
      cost_usd: roundUsd(cost),
      unknown_cost_steps: unknownCost,
      time_s: time,
      unknown_time_steps: unknownTime,
      quality,
      quality_measured: measured,
      matches,
      plan_cost_usd: roundUsd(cost),
      plan_time_s: time,
      score: quality,
    });
  }
  return { options, rejected };
}

/** Steps are grouped by who runs them: the generator's steps together, each step tool apart. */
const roleOf = (option: ShotOption, toolId: string | null, kind: string) =>
  toolId === option.tool.tool_id ? "video" : kind;

/**
 * Fill in planning cost/time and the decision score of a shot's options.
 * An unknown price cannot prove a budget holds, so for planning it is charged as the dearest known
 * price for the same role (the generator's steps, or a given step tool) among this shot's options:
 * an unknown price never looks cheaper than a known one. Where nothing is known for that role it is
 * charged nothing and stays flagged. Unknown times are handled the same way. The plan always shows
 * the known figures and counts unknown steps apart; stand-ins are never displayed.
 * Score = w_q·quality + w_c·(1 − cost rank) + w_s·(1 − time rank), where the ranks are the planning
 * cost and time scaled to 0..1 between this shot's cheapest/fastest and dearest/slowest option.
 */
export function scoreOptions(options: ShotOption[], priority: QualityPriority = "medium"): ShotOption[] {
  const maxKnown = (field: "cost_usd" | "time_s") => {
    const max = new Map<string, number>();
    for (const o of options) {
      const byRole = new Map<string, number | null>();
      for (const s of o.workflow.steps) {
        const role = roleOf(o, s.tool_id, s.kind);
        const prev = byRole.has(role) ? byRole.get(role) : 0;
        byRole.set(
          role,
          prev === null || prev === undefined || s[field] === null ? null : prev + (s[field] as number),
        );
      }
      for (const [role, v] of byRole) if (v !== null) max.set(role, Math.max(max.get(role) ?? 0, v));
    }
    return max;
  };
  const costMax = maxKnown("cost_usd");
  const timeMax = maxKnown("time_s");
  for (const o of options) {
    const unknownRoles = (field: "cost_usd" | "time_s") =>
      new Set(o.workflow.steps.filter((s) => s[field] === null).map((s) => roleOf(o, s.tool_id, s.kind)));
    // A role with any unknown step is charged its stand-in instead of its partial known sum.
    const planned = (field: "cost_usd" | "time_s", max: Map<string, number>) => {
      const unknown = unknownRoles(field);
      let total = 0;
      for (const s of o.workflow.steps) {
        const role = roleOf(o, s.tool_id, s.kind);
        if (!unknown.has(role)) total += s[field] as number;
      }
      for (const role of unknown) total += max.get(role) ?? 0;
      return total;
    };
    o.plan_cost_usd = roundUsd(planned("cost_usd", costMax));
    o.plan_time_s = planned("time_s", timeMax);
  }
  const w = PRIORITY_WEIGHTS[priority];
  const span = (values: number[]) => [Math.min(...values), Math.max(...values)] as const;
  const [cLo, cHi] = span(options.map((o) => o.plan_cost_usd));
  const [tLo, tHi] = span(options.map((o) => o.plan_time_s));
  for (const o of options) {
    const cRank = cHi > cLo ? (o.plan_cost_usd - cLo) / (cHi - cLo) : 0;
    const tRank = tHi > tLo ? (o.plan_time_s - tLo) / (tHi - tLo) : 0;
    o.score =
      Math.round((w.quality * o.quality + w.cost * (1 - cRank) + w.speed * (1 - tRank)) * 10000) / 10000;
  }
  return options.sort(compareOptions);
}

/** Best first: score, then cheaper, then faster, then tool id (stable). */
export function compareOptions(a: ShotOption, b: ShotOption): number {
  return (
    b.score - a.score ||
    a.plan_cost_usd - b.plan_cost_usd ||
    a.plan_time_s - b.plan_time_s ||
    a.tool.tool_id.localeCompare(b.tool.tool_id)
  );
}

export interface Selection {
  shot_id: string;
  choice: ShotOption;
  /** The next two capable tools, best first. */
  alternatives: ShotOption[];
  /** Every capable option, best first. */
  ranked: ShotOption[];
  rejected: Rejection[];
  reason: string;
}

/** The tools that cannot make the shot, as one sentence per tool. */
export function noCapableToolError(shot: Shot, rejected: Rejection[]): ValidationError {
  const why = rejected.length
    ? rejected.map((r) => `${r.tool_name}: ${r.reasons.join("; ")}`).join(" | ")
    : "the tool stack has no video generator";
  return new ValidationError(
    [{ field: `shots.${shot.id}`, message: `no tool can make this shot (${why})` }],
    "plan",
  );
}

/**
 * The decision matrix for one shot: hard requirements filter (see `calculateWorkflow`), then every
 * capable tool is scored on quality for this shot, cost and speed with weights from quality_priority.
 * Throws a ValidationError naming what each tool lacks when no tool can make the shot.
 */
export function selectOptimalTool(
  shot: Shot,
  toolStack: readonly Tool[],
  constraints: Pick<Constraints, "quality_priority">,
  ctx: DecisionContext = {},
): Selection {
  const { options, rejected } = shotOptions(shot, toolStack, ctx);
  if (options.length === 0) throw noCapableToolError(shot, rejected);
  const ranked = scoreOptions(options, constraints.quality_priority);
  const choice = ranked[0] as ShotOption;
  return {
    shot_id: shot.id,
    choice,
    alternatives: ranked.slice(1, 3),
    ranked,
    rejected,
    reason: explainChoice(shot, choice, ranked),
  };
}

export const fmtCost = (o: Pick<ShotOption, "cost_usd" | "unknown_cost_steps">) =>
  o.unknown_cost_steps === 0
    ? money(o.cost_usd)
    : o.cost_usd > 0
      ? `${money(o.cost_usd)} + ${o.unknown_cost_steps} unpriced step${o.unknown_cost_steps > 1 ? "s" : ""}`
      : "unknown";

/** What the workflow does for the shot, in a producer's words. */
function workflowClause(shot: Shot, o: ShotOption): string {
  const parts: string[] = [];
  const w = o.workflow;
  if (w.base === "keyframe-to-video")
    parts.push(
      shot.requirements.character_consistency
        ? "a keyframe pins the character's look and image-to-video keeps it"
        : "animates a keyframe of the storyboard frame",
    );
  else if (w.base === "product-reference") parts.push("the product photo keeps the product identical");
  else parts.push("straight from the storyboard prompt");
  if (w.clip_lengths.length > 1)
    parts.push(`${w.clip_lengths.length} clips, each continuing from the last frame`);
  else if (w.billed_seconds > shot.duration_s + 1e-9)
    parts.push(`a ${w.billed_seconds} s clip trimmed to ${shot.duration_s} s`);
  if (w.lip_sync === "post") parts.push("lip-synced in post");
  if (w.lip_sync === "native") parts.push("native lip-sync");
  return parts.join("; ");
}

/**
 * One sentence a producer would accept: what the workflow does, then why this tool over the others
 * (cheapest capable, best fit, or the best the budget allows).
 */
export function explainChoice(
  shot: Shot,
  chosen: ShotOption,
  ranked: ShotOption[],
  context: { budgetBound?: boolean; pinned?: boolean } = {},
): string {
  const budgetBound = context.budgetBound ?? false;
  const others = ranked.filter((o) => o !== chosen);
  const head = `${chosen.tool.name}: ${workflowClause(shot, chosen)}`;
  if (context.pinned) return `${head}; pinned by the producer (${fmtCost(chosen)}).`;
  if (others.length === 0) return `${head}; the only capable tool in the stack (${fmtCost(chosen)}).`;
  const cheapest = others.every((o) => chosen.plan_cost_usd <= o.plan_cost_usd);
  const bestFit = others.every((o) => chosen.quality >= o.quality);
  const top = ranked[0] as ShotOption;
  const strengths = chosen.matches.filter((m) => !/seam|undocumented|prompt only|post|no camera/.test(m));
  const fit = strengths.length ? ` (${strengths.slice(0, 2).join(", ")})` : "";
  let why: string;
  if (budgetBound && top !== chosen)
    why = `the best the budget allows — ${top.tool.name} would add ${money(Math.max(0, top.plan_cost_usd - chosen.plan_cost_usd))}`;
  else if (cheapest && bestFit) why = `cheapest capable and best fit${fit} at ${fmtCost(chosen)}`;
  else if (cheapest) why = `cheapest capable tool at ${fmtCost(chosen)}`;
  else if (bestFit) why = `best fit of ${ranked.length} capable tools${fit}, ${fmtCost(chosen)}`;
  else why = `best balance of fit, price and speed of ${ranked.length} capable tools at ${fmtCost(chosen)}`;
  return `${head}; ${why}.`;
}

/** The trade-off of taking `alt` instead of `chosen`, in words. */
export function describeTradeOff(shot: Shot, chosen: ShotOption, alt: ShotOption): string {
  const parts: string[] = [];
  if (alt.unknown_cost_steps > 0 && alt.cost_usd === 0) parts.push("price unknown");
  else {
    const d = roundUsd(alt.cost_usd - chosen.cost_usd);
    parts.push(
      d === 0
        ? `same price (${fmtCost(alt)})`
        : `${fmtCost(alt)} (${d > 0 ? "+" : "−"}${money(Math.abs(d))})`,
    );
  }
  if (alt.workflow.billed_seconds >= shot.duration_s * 1.5 && alt.workflow.clip_lengths.length === 1)
    parts.push(`bills a ${alt.workflow.billed_seconds} s clip for a ${shot.duration_s} s shot`);
  if (alt.workflow.clip_lengths.length > chosen.workflow.clip_lengths.length)
    parts.push(`${alt.workflow.clip_lengths.length} clips stitched`);
  const dq = Math.round((alt.quality - chosen.quality) * 100) / 100;
  if (dq > 0) parts.push(`better fit${alt.matches.length ? ` (${alt.matches[0]})` : ""}`);
  else if (dq < 0) parts.push("weaker fit");
  else parts.push("same fit");
  if (alt.unknown_time_steps === 0 && chosen.unknown_time_steps === 0 && alt.time_s !== chosen.time_s)
    parts.push(alt.time_s < chosen.time_s ? "faster" : "slower");
  return parts.join("; ");
}
