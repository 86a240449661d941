import type { ProductionPlan, ShotPlan } from "../domain/plan.js";
import type { Tool } from "../domain/tool.js";
import type { Constraints } from "../domain/vrd.js";
import { roundUsd } from "./pricing.js";

/** Share of the known cost added for re-generations (failed or rejected takes), unless configured. */
export const DEFAULT_CONTINGENCY_RATE = 0.2;

export interface EstimateOptions {
  /** Re-generation allowance, applied to known cost and to generation time. Default 0.2 (20 %). */
  contingencyRate?: number;
  /** Tools by id, for each tool's concurrency (unknown concurrency counts as 1 at a time). */
  tools?: ReadonlyMap<string, Tool> | readonly Tool[];
  now?: () => Date;
}

export type Estimate = Pick<ProductionPlan, "cost_breakdown" | "timeline_estimate" | "fits"> & {
  prices_as_of: string | null;
};

/** A date-only deadline ("2026-12-31") means the end of that day (UTC). */
function deadlineMs(deadline: string): number {
  const t = Date.parse(deadline);
  return /^\d{4}-\d{2}-\d{2}$/.test(deadline.trim()) ? t + 24 * 3600_000 - 1 : t;
}

const toMinutes = (s: number) => Math.round((s / 60) * 100) / 100;

/**
 * Cost and time of a plan's shot plans, step by step:
 * - cost: known step prices summed per tool and per step kind; steps without a sourced price are
 *   counted apart (`unknown_steps`), never as 0. Contingency = known × rate; total = known + contingency.
 * - time: sequential = every step one after another; parallel = each tool works through its own steps
 *   at its concurrency while tools run side by side, bounded below by the longest single shot's chain
 *   of steps. Both × (1 + rate) for re-generations, over known step times only.
 * - fits: false when the known figures already exceed a limit; null when they fit but some steps are
 *   unknown (nobody can prove the limit holds); true otherwise or when no limit was set.
 * - deadline: now + parallel time against constraints.deadline, with the same true/false/null rule.
 */
export function estimateCostAndTime(
  plan: { shot_plans: readonly ShotPlan[]; constraints: Constraints },
  options: EstimateOptions = {},
): Estimate {
  const rate = options.contingencyRate ?? DEFAULT_CONTINGENCY_RATE;
  const toolMap =
    options.tools instanceof Map
      ? options.tools
      : new Map((options.tools as readonly Tool[] | undefined)?.map((t) => [t.tool_id, t]) ?? []);
  const byTool: Record<string, number> = {};
  const byKind: Record<string, number> = {};
  const busyByTool = new Map<string, number>();
  const asOf = new Set<string>();
  let known = 0;
  let unknownCost = 0;
  let sequential = 0;
  let longestChain = 0;
  let unknownTime = 0;
  let anyTime = false;

  for (const shot of plan.shot_plans) {
    let chain = 0;
    for (const step of shot.steps) {
      if (step.cost_usd === null) unknownCost += 1;
      else {
        known += step.cost_usd;
        if (step.tool_id) byTool[step.tool_id] = roundUsd((byTool[step.tool_id] ?? 0) + step.cost_usd);
        byKind[step.kind] = roundUsd((byKind[step.kind] ?? 0) + step.cost_usd);
        if (step.price_source?.startsWith("price as of "))
          asOf.add(step.price_source.slice(12).split(";")[0] as string);
      }
      if (step.time_s === null) unknownTime += 1;
      else {
        anyTime = true;
        sequential += step.time_s;
        chain += step.time_s;
        if (step.tool_id) busyByTool.set(step.tool_id, (busyByTool.get(step.tool_id) ?? 0) + step.time_s);
      }
    }
    longestChain = Math.max(longestChain, chain);
  }

  let parallel = longestChain;
  for (const [toolId, busy] of busyByTool) {
    const concurrency = toolMap.get(toolId)?.capabilities.concurrency ?? 1;
    parallel = Math.max(parallel, busy / concurrency);
  }
  const knownUsd = roundUsd(known);
  const contingency = roundUsd(known * rate);
  const total = roundUsd(knownUsd + contingency);
  const seqMin = anyTime ? toMinutes(sequential * (1 + rate)) : null;
  const parMin = anyTime ? toMinutes(parallel * (1 + rate)) : null;

  const limitFit = (value: number | null, limit: number | undefined, unknown: number): boolean | null => {
    if (limit === undefined) return true;
    if (value !== null && value > limit + 1e-9) return false;
    return unknown > 0 || value === null ? null : true;
  };

  const { constraints } = plan;
  let meets: boolean | null = null;
  if (constraints.deadline) {
    const now = (options.now ?? (() => new Date()))().getTime();
    const finish = now + (parMin ?? 0) * 60_000;
    if (finish > deadlineMs(constraints.deadline)) meets = false;
    else meets = unknownTime > 0 ? null : true;
  }

  return {
    cost_breakdown: {
      known_usd: knownUsd,
      unknown_steps: unknownCost,
      contingency_rate: rate,
      contingency_usd: contingency,
      total_usd: total,
      by_tool: byTool,
      by_step_kind: byKind,
    },
    timeline_estimate: {
      sequential_minutes: seqMin,
      parallel_minutes: parMin,
      unknown_steps: unknownTime,
      deadline: constraints.deadline ?? null,
      meets_deadline: meets,
    },
    fits: {
      budget: limitFit(total, constraints.max_cost_usd, unknownCost),
      time: limitFit(seqMin ?? (unknownTime > 0 ? null : 0), constraints.max_time_minutes, unknownTime),
    },
    prices_as_of: asOf.size === 0 ? null : [...asOf].sort().join(" | "),
  };
}
