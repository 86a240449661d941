import type { ProductionPlan, ShotPlan } from "../../domain/plan.js";
import { markdownCell, money } from "../../domain/text.js";

function shotCost(sp: ShotPlan): string {
  if (sp.cost_complete) return money(sp.cost_usd);
  const unknown = sp.steps.filter((s) => s.cost_usd === null).length;
  return sp.cost_usd > 0 ? `${money(sp.cost_usd)} + ${unknown} unknown` : "unknown";
}

const minutes = (s: number | null) =>
  s === null ? "unknown" : s < 60 ? `${Math.round(s)} s` : `${Math.round(s / 6) / 10} min`;

function nextBest(sp: ShotPlan): string {
  const alt = sp.alternatives[0];
  return alt ? `${alt.tool_name}: ${alt.trade_off}` : "—";
}

function fitWord(fit: boolean | null): string {
  return fit === true ? "fits" : fit === false ? "does not fit" : "holds for known figures only";
}

/**
 * The plan as Markdown for the CLI and chat: one row per shot (chosen tool, why, cost, time, next
 * best), then totals against the limits, variants and warnings. Unknown prices read "unknown".
 */
export function renderPlanTable(plan: ProductionPlan): string {
  const lines: string[] = [];
  lines.push(`## Production plan ${plan.production_plan_id} (v${plan.version})`, "");
  lines.push("| Shot | Chosen | Why | Cost | Time | Next best |", "|---|---|---|---|---|---|");
  for (const sp of plan.shot_plans)
    lines.push(
      `| ${sp.shot_id} | ${markdownCell(`${sp.tool_name} (${sp.workflow_id})`)} | ${markdownCell(sp.reason)} | ${shotCost(sp)} | ${minutes(sp.time_s)} | ${markdownCell(nextBest(sp))} |`,
    );
  const cb = plan.cost_breakdown;
  const c = plan.constraints;
  lines.push("");
  const unknownCost =
    cb.unknown_steps > 0 ? `; ${cb.unknown_steps} step${cb.unknown_steps > 1 ? "s" : ""} unpriced` : "";
  const budget =
    c.max_cost_usd === undefined
      ? "no budget set"
      : `budget ${money(c.max_cost_usd)}: ${fitWord(plan.fits.budget)}`;
  lines.push(
    `**Cost:** ${money(cb.known_usd)} known + ${Math.round(cb.contingency_rate * 100)} % contingency ${money(cb.contingency_usd)} = **${money(cb.total_usd)}**${unknownCost} (${budget})`,
  );
  const te = plan.timeline_estimate;
  const unknownTime =
    te.unknown_steps > 0
      ? `; ${te.unknown_steps} step${te.unknown_steps > 1 ? "s" : ""} without a documented time`
      : "";
  const limit =
    c.max_time_minutes === undefined
      ? "no time limit set"
      : `limit ${c.max_time_minutes} min: ${fitWord(plan.fits.time)}`;
  const seq = te.sequential_minutes === null ? "unknown" : `${te.sequential_minutes} min`;
  const par = te.parallel_minutes === null ? "unknown" : `${te.parallel_minutes} min`;
  lines.push(
    `**Time:** ${seq} one after another, ${par} with the tools running side by side${unknownTime} (${limit})`,
  );
  if (te.deadline)
    lines.push(
      `**Deadline ${te.deadline}:** ${te.meets_deadline === true ? "met" : te.meets_deadline === false ? "missed" : "cannot be confirmed"}`,
    );
  const byTool = Object.entries(cb.by_tool);
  if (byTool.length)
    lines.push(`**By tool:** ${byTool.map(([id, usd]) => `${id} ${money(usd)}`).join(", ")}`);
  const byKind = Object.entries(cb.by_step_kind);
  if (byKind.length) lines.push(`**By step:** ${byKind.map(([k, usd]) => `${k} ${money(usd)}`).join(", ")}`);
  if (plan.metadata.prices_as_of) lines.push(`**Prices as of:** ${plan.metadata.prices_as_of}`);
  if (plan.variants.length) {
    lines.push("", "| Variant | Cost | Time | Quality |", "|---|---|---|---|");
    for (const v of plan.variants)
      lines.push(
        `| ${v.name} | ${money(v.cost_usd)}${v.cost_complete ? "" : " + unknown"} | ${v.time_minutes === null ? "unknown" : `${v.time_minutes} min`} | ${v.quality_score ?? "unknown"} |`,
      );
  }
  if (plan.warnings.length) {
    lines.push("", "**Warnings**");
    for (const w of plan.warnings) lines.push(`- ${w}`);
  }
  return lines.join("\n");
}
