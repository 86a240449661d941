/**
 * VideoSolver: the production plan for a shot list — a tool and workflow per shot, cost and time per
 * step, alternatives, totals against the constraints and plan variants. Pure arithmetic, no LLM
 * (DESIGN: "the plan needs none"): the same shot list, tools and constraints give the same plan.
 */
import { type FieldProblem, ValidationError } from "../../domain/errors.js";
import { parseOrThrow } from "../../domain/parse.js";
import { type Alternative, ProductionPlan, type ShotPlan } from "../../domain/plan.js";
import type { Shot, ShotList } from "../../domain/shots.js";
import { money } from "../../domain/text.js";
import type { Tool } from "../../domain/tool.js";
import { Constraints } from "../../domain/vrd.js";
import {
  type BenchmarkSummary,
  type DecisionContext,
  describeTradeOff,
  explainChoice,
  noCapableToolError,
  type Rejection,
  type ShotOption,
  scoreOptions,
  shotOptions,
} from "../../toolstack/decision-matrix.js";
import { DEFAULT_CONTINGENCY_RATE, estimateCostAndTime } from "../../toolstack/estimate.js";
import {
  greedyKnapsack,
  type KnapsackProblem,
  type KnapsackSolution,
  solveKnapsack,
} from "../../toolstack/optimiser.js";
import { pickStepTools } from "../../toolstack/step-tools.js";

export { renderPlanTable } from "./render.js";

export interface PlanOptions {
  /** Share of the known cost (and generation time) added for re-generations; default 0.2 (20 %). */
  contingencyRate?: number;
  now?: () => Date;
  planId?: string;
  version?: number;
  /** Latest benchmark results by tool id (ToolStackDB.benchmarkSummaries). */
  benchmarks?: Readonly<Record<string, BenchmarkSummary>>;
  /** Add an upscale step to every shot (when the stack has an upscaler). */
  upscale?: boolean;
  /** Tool pinned per shot id. */
  pinned?: Readonly<Record<string, string>>;
  /** Tools never to use. */
  excludedTools?: readonly string[];
}

type ConstraintsInput = Parameters<typeof Constraints.parse>[0];

interface ShotChoices {
  shot: Shot;
  /** Every capable option, scored, best first (alternatives come from here). */
  ranked: ShotOption[];
  /** What the optimiser may pick: all of `ranked`, or the pinned tool only. */
  allowed: ShotOption[];
  pinned: boolean;
  rejected: Rejection[];
}

/** Cents the optimiser plans with: rounded up, so the plan never spends more than it says. */
const toCents = (usd: number) => Math.ceil(usd * 100 - 1e-6);

function collectChoices(
  shotList: ShotList,
  tools: readonly Tool[],
  constraints: Constraints,
  options: PlanOptions,
): ShotChoices[] {
  const excluded = new Set(options.excludedTools ?? []);
  const usable = tools.filter((t) => !excluded.has(t.tool_id));
  const latency: Record<string, number> = {};
  for (const [id, b] of Object.entries(options.benchmarks ?? {}))
    if (b.latency_seconds !== null) latency[id] = b.latency_seconds;
  const ctx: DecisionContext = {
    aspectRatio: shotList.aspect_ratio,
    stepTools: pickStepTools(usable),
    upscale: options.upscale ?? false,
    latencyS: latency,
    benchmarks: options.benchmarks,
  };
  const problems: FieldProblem[] = [];
  const choices: ShotChoices[] = [];
  for (const shot of shotList.shots) {
    const { options: capable, rejected } = shotOptions(shot, usable, ctx);
    if (capable.length === 0) {
      problems.push(...noCapableToolError(shot, rejected).problems);
      continue;
    }
    const ranked = scoreOptions(capable, constraints.quality_priority);
    const pin = options.pinned?.[shot.id];
    let allowed = ranked;
    if (pin) {
      allowed = ranked.filter((o) => o.tool.tool_id === pin);
      if (allowed.length === 0) {
        const why = rejected.find((r) => r.tool_id === pin);
        problems.push({
          field: `pinned.${shot.id}`,
          message: why
            ? `${why.tool_name} cannot make ${shot.id}: ${why.reasons.join("; ")}`
            : `${pin} is not a usable video generator in the tool stack`,
        });
        continue;
      }
    }
    choices.push({ shot, ranked, allowed, pinned: Boolean(pin), rejected });
  }
  if (problems.length > 0) throw new ValidationError(problems, "plan");
  return choices;
}

function knapsackProblem(choices: ShotChoices[], constraints: Constraints, rate: number): KnapsackProblem {
  // Limits leave room for the contingency: the plan's total (known + contingency) must fit.
  // The time limit is held against documented times only (`time_s`): a stand-in for an unknown time
  // would turn one tool's latency into a "misses the limit by N minutes" that no source supports.
  return {
    shots: choices.map((c) =>
      c.allowed.map((o) => ({ costCents: toCents(o.plan_cost_usd), timeS: o.time_s, value: o.score })),
    ),
    budgetCents:
      constraints.max_cost_usd === undefined
        ? null
        : Math.floor((constraints.max_cost_usd / (1 + rate)) * 100 + 1e-6),
    maxTimeS:
      constraints.max_time_minutes === undefined ? null : (constraints.max_time_minutes * 60) / (1 + rate),
  };
}

function alternativeOf(shot: Shot, chosen: ShotOption, alt: ShotOption): Alternative {
  return {
    tool_id: alt.tool.tool_id,
    tool_name: alt.tool.name,
    cost_usd: alt.unknown_cost_steps === 0 ? alt.cost_usd : null,
    time_s: alt.unknown_time_steps === 0 ? alt.time_s : null,
    quality_score: alt.quality,
    trade_off: describeTradeOff(shot, chosen, alt),
  };
}

function shotPlanOf(c: ShotChoices, chosen: ShotOption, budgetBound: boolean): ShotPlan {
  return {
    shot_id: c.shot.id,
    tool_id: chosen.tool.tool_id,
    tool_name: chosen.tool.name,
    workflow_id: chosen.workflow.workflow_id,
    reason: explainChoice(c.shot, chosen, c.ranked, { budgetBound, pinned: c.pinned }),
    steps: chosen.workflow.steps,
    cost_usd: chosen.cost_usd,
    cost_complete: chosen.unknown_cost_steps === 0,
    time_s: chosen.unknown_time_steps === 0 ? chosen.time_s : null,
    quality_score: chosen.quality,
    alternatives: c.ranked
      .filter((o) => o !== chosen)
      .slice(0, 2)
      .map((alt) => alternativeOf(c.shot, chosen, alt)),
  };
}

const mean = (xs: number[]) =>
  xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 1000) / 1000 : null;

/** What to relax when no plan fits, in a producer's words. */
function relaxAdvice(
  choices: ShotChoices[],
  solution: KnapsackSolution,
  constraints: Constraints,
  rate: number,
): NonNullable<ProductionPlan["shortfall"]> {
  const relax: string[] = [];
  const gap = solution.shortfall ?? { costCents: 0, timeS: 0 };
  let budgetUsd: number | null = null;
  let timeMinutes: number | null = null;
  if (gap.costCents > 0 && constraints.max_cost_usd !== undefined) {
    const minCost =
      choices.reduce((s, c) => s + Math.min(...c.allowed.map((o) => toCents(o.plan_cost_usd))), 0) / 100;
    const needed = Math.ceil(minCost * (1 + rate) * 100) / 100;
    budgetUsd = Math.round((needed - constraints.max_cost_usd) * 100) / 100;
    relax.push(`raise the budget to at least ${money(needed)} (${money(budgetUsd)} more)`);
    if (minCost <= constraints.max_cost_usd)
      relax.push(
        `or lower the re-generation contingency from ${Math.round(rate * 100)} % (the plan itself needs ${money(minCost)})`,
      );
    const dearest = choices
      .map((c) => ({ id: c.shot.id, usd: Math.min(...c.allowed.map((o) => o.plan_cost_usd)) }))
      .sort((a, b) => b.usd - a.usd)
      .slice(0, 3);
    relax.push(
      `or cut or shorten the dearest shots (cheapest capable cost): ${dearest.map((d) => `${d.id} ${money(d.usd)}`).join(", ")}`,
    );
  }
  if (gap.timeS > 0 && constraints.max_time_minutes !== undefined) {
    timeMinutes = Math.round(((gap.timeS * (1 + rate)) / 60) * 100) / 100;
    relax.push(
      `allow at least ${Math.ceil(constraints.max_time_minutes + timeMinutes)} minutes of generation time`,
    );
    const slowest = choices
      .map((c) => ({ id: c.shot.id, s: Math.min(...c.allowed.map((o) => o.time_s)) }))
      .sort((a, b) => b.s - a.s)
      .slice(0, 3);
    relax.push(
      `or cut the slowest shots: ${slowest.map((d) => `${d.id} ${Math.round(d.s / 6) / 10} min`).join(", ")}`,
    );
  }
  if (choices.some((c) => c.pinned)) relax.push("or unpin tools pinned to shots");
  return { budget_usd: budgetUsd, time_minutes: timeMinutes, relax };
}

function planWarnings(plan: Omit<ProductionPlan, "warnings">, chosen: ShotOption[]): string[] {
  const warnings: string[] = [];
  const unpriced = plan.shot_plans.flatMap((sp) =>
    sp.steps
      .filter((s) => s.cost_usd === null)
      .map((s) => `${sp.shot_id} ${s.kind}${s.tool_id ? ` (${s.tool_id})` : ""}`),
  );
  if (unpriced.length > 0)
    warnings.push(
      `${unpriced.length} step${unpriced.length > 1 ? "s have" : " has"} no sourced price (${unpriced.slice(0, 6).join(", ")}${unpriced.length > 6 ? ", …" : ""}): totals count known prices only, so the budget holds for known prices only.`,
    );
  const { unknown_steps: unknownTime, sequential_minutes: seq } = plan.timeline_estimate;
  if (seq === null)
    warnings.push(
      "No tool in this plan documents its generation time: time and deadline cannot be estimated.",
    );
  else if (unknownTime > 0)
    warnings.push(
      `${unknownTime} step${unknownTime > 1 ? "s have" : " has"} no documented generation time: time figures cover the other steps only.`,
    );
  if (chosen.every((o) => !o.quality_measured))
    warnings.push(
      "No chosen tool has a measured quality score yet: quality figures are fit scores from the shot's requirements and the tools' documented strengths (0.5 = unmeasured).",
    );
  for (const o of chosen)
    if (o.workflow.aspect_ratio === "undocumented")
      warnings.push(
        `${o.shot_id}: ${o.tool.name} does not document its aspect ratios; check it makes the shot list's ratio, or crop.`,
      );
  if (chosen.some((o) => o.workflow.steps.some((s) => s.kind === "tts")))
    warnings.push(
      "Speech cost is estimated from the shot's length at speaking pace (about 15 characters a second).",
    );
  if (plan.shortfall) {
    const c = plan.constraints;
    const parts: string[] = [];
    if (plan.shortfall.budget_usd !== null)
      parts.push(`the ${money(c.max_cost_usd ?? 0)} budget by ${money(plan.shortfall.budget_usd)}`);
    if (plan.shortfall.time_minutes !== null)
      parts.push(`the ${c.max_time_minutes} minute limit by ${plan.shortfall.time_minutes} minutes`);
    warnings.push(
      `No plan fits: the least demanding plan misses ${parts.join(" and ")}. To fix: ${plan.shortfall.relax.join("; ")}.`,
    );
  }
  if (plan.timeline_estimate.meets_deadline === false)
    warnings.push(`Generation would not finish before the deadline ${plan.timeline_estimate.deadline}.`);
  return warnings;
}

function variantOf(
  name: "cheapest" | "fastest" | "best",
  choices: ShotChoices[],
  pick: (c: ShotChoices) => ShotOption,
  constraints: Constraints,
  rate: number,
  tools: readonly Tool[],
): ProductionPlan["variants"][number] {
  const picked = choices.map(pick);
  const shotPlans = choices.map((c, i) => shotPlanOf(c, picked[i] as ShotOption, false));
  const est = estimateCostAndTime({ shot_plans: shotPlans, constraints }, { contingencyRate: rate, tools });
  return {
    name,
    cost_usd: est.cost_breakdown.total_usd,
    cost_complete: est.cost_breakdown.unknown_steps === 0,
    time_minutes: est.timeline_estimate.unknown_steps === 0 ? est.timeline_estimate.sequential_minutes : null,
    quality_score: mean(picked.map((o) => o.quality)),
    tools_by_shot: Object.fromEntries(picked.map((o) => [o.shot_id, o.tool.tool_id])),
  };
}

const best = (options: ShotOption[], better: (a: ShotOption, b: ShotOption) => number) =>
  [...options].sort(better)[0] as ShotOption;

function assemble(
  shotList: ShotList,
  tools: readonly Tool[],
  constraintsInput: ConstraintsInput,
  options: PlanOptions,
  solve: (p: KnapsackProblem) => KnapsackSolution,
): ProductionPlan {
  const constraints = parseOrThrow(Constraints, constraintsInput, "constraints");
  const rate = options.contingencyRate ?? DEFAULT_CONTINGENCY_RATE;
  if (!(rate >= 0 && rate <= 5))
    throw new ValidationError(
      [{ field: "contingencyRate", message: `must be between 0 and 5, got ${rate}` }],
      "plan options",
    );
  const now = options.now ?? (() => new Date());
  const choices = collectChoices(shotList, tools, constraints, options);
  const solution = solve(knapsackProblem(choices, constraints, rate));
  const chosen = choices.map((c, i) => c.allowed[solution.choice[i] as number] as ShotOption);
  const shotPlans = choices.map((c, i) => shotPlanOf(c, chosen[i] as ShotOption, chosen[i] !== c.ranked[0]));
  const est = estimateCostAndTime(
    { shot_plans: shotPlans, constraints },
    { contingencyRate: rate, tools, now },
  );
  const byCost = (a: ShotOption, b: ShotOption) => a.plan_cost_usd - b.plan_cost_usd || b.quality - a.quality;
  const byTime = (a: ShotOption, b: ShotOption) => a.plan_time_s - b.plan_time_s || byCost(a, b);
  const byQuality = (a: ShotOption, b: ShotOption) => b.quality - a.quality || byCost(a, b);
  const pinned = Object.fromEntries(Object.entries(options.pinned ?? {}));
  const draft: Omit<ProductionPlan, "warnings"> = {
    production_plan_id: options.planId ?? `${shotList.shot_list_id}-plan`,
    shot_list_id: shotList.shot_list_id,
    version: options.version ?? 1,
    constraints,
    shot_plans: shotPlans,
    cost_breakdown: est.cost_breakdown,
    timeline_estimate: est.timeline_estimate,
    fits: solution.feasible
      ? est.fits
      : {
          ...est.fits,
          ...(solution.shortfall?.costCents ? { budget: false } : {}),
          ...(solution.shortfall?.timeS ? { time: false } : {}),
        },
    variants: [
      variantOf("cheapest", choices, (c) => best(c.allowed, byCost), constraints, rate, tools),
      variantOf("fastest", choices, (c) => best(c.allowed, byTime), constraints, rate, tools),
      variantOf("best", choices, (c) => best(c.allowed, byQuality), constraints, rate, tools),
    ],
    shortfall: solution.feasible ? null : relaxAdvice(choices, solution, constraints, rate),
    revisions: { pinned, excluded_tools: [...(options.excludedTools ?? [])] },
    metadata: { created_at: now().toISOString(), prices_as_of: est.prices_as_of },
  };
  return parseOrThrow(ProductionPlan, { ...draft, warnings: planWarnings(draft, chosen) }, "production plan");
}

/**
 * The production plan for a shot list: hard requirements filter the tools per shot, the decision
 * matrix scores the rest (quality, cost, speed by quality_priority), and the optimiser picks one
 * option per shot to maximise the plan's total score within max_cost_usd and max_time_minutes
 * (both leave room for the contingency). When nothing fits, the plan is the least demanding one and
 * says by how much it misses and what to relax. Throws ValidationError when a shot has no capable
 * tool, naming what each tool lacks.
 */
export function generatePlan(
  shotList: ShotList,
  tools: readonly Tool[],
  constraints: ConstraintsInput,
  options: PlanOptions = {},
): ProductionPlan {
  return assemble(shotList, tools, constraints, options, solveKnapsack);
}

/** The same plan built the way a person would, shot by shot (greedy baseline for the bench). */
export function greedyPlan(
  shotList: ShotList,
  tools: readonly Tool[],
  constraints: ConstraintsInput,
  options: PlanOptions = {},
): ProductionPlan {
  return assemble(shotList, tools, constraints, options, greedyKnapsack);
}

export interface PlanRevision {
  constraints?: Partial<ConstraintsInput>;
  pinTool?: { shotId: string; toolId: string };
  excludeTool?: string | string[];
}

/**
 * A new version of a plan after a producer's change: new constraints, a tool pinned to a shot, or
 * tools excluded. Earlier pins and exclusions carry over; the latest change wins (pinning a tool
 * un-excludes it; excluding a tool drops pins on it).
 */
export function revisePlan(
  plan: ProductionPlan,
  revision: PlanRevision,
  input: { shotList: ShotList; tools: readonly Tool[]; options?: PlanOptions },
): ProductionPlan {
  const problems: FieldProblem[] = [];
  if (input.shotList.shot_list_id !== plan.shot_list_id)
    problems.push({
      field: "shotList",
      message: `plan is for ${plan.shot_list_id}, not ${input.shotList.shot_list_id}`,
    });
  const pinned: Record<string, string> = { ...(plan.revisions?.pinned ?? {}) };
  const excluded = new Set(plan.revisions?.excluded_tools ?? []);
  const known = new Set(input.tools.map((t) => t.tool_id));
  for (const id of [revision.excludeTool ?? []].flat()) {
    if (!known.has(id)) problems.push({ field: "excludeTool", message: `no tool "${id}" in the tool stack` });
    excluded.add(id);
    for (const [shot, tool] of Object.entries(pinned)) if (tool === id) delete pinned[shot];
  }
  if (revision.pinTool) {
    const { shotId, toolId } = revision.pinTool;
    if (!input.shotList.shots.some((s) => s.id === shotId))
      problems.push({
        field: "pinTool.shotId",
        message: `no shot ${shotId} in ${input.shotList.shot_list_id}`,
      });
    if (!known.has(toolId))
      problems.push({ field: "pinTool.toolId", message: `no tool "${toolId}" in the tool stack` });
    pinned[shotId] = toolId;
    excluded.delete(toolId);
  }
  if (problems.length > 0) throw new ValidationError(problems, "plan revision");
  return generatePlan(
    input.shotList,
    input.tools,
    { ...plan.constraints, ...(revision.constraints ?? {}) },
    {
      ...input.options,
      planId: plan.production_plan_id,
      version: plan.version + 1,
      pinned,
      excludedTools: [...excluded],
    },
  );
}
