/** The production plan for review: a cost table per shot, totals against budget and time, variants, warnings. */
import type { ProductionPlan, ShotPlan } from "../../domain/plan.js";
import type { Production } from "../../domain/production.js";
import { money } from "../../domain/text.js";
import { minutes, minutesFromSeconds, plural } from "./format.js";
import { reviewActions } from "./review-actions.js";
import {
  bold,
  divider,
  type Element,
  header,
  paragraph,
  type Span,
  smallPrint,
  typed,
  type View,
  words,
} from "./view.js";

/** A shot's cost: exact, or the known part plus how many steps are unpriced. */
export function shotCost(sp: ShotPlan): string {
  if (sp.cost_complete) return money(sp.cost_usd);
  const unknown = sp.steps.filter((s) => s.cost_usd === null).length;
  return sp.cost_usd > 0 ? `${money(sp.cost_usd)} + ${unknown} unknown` : "unknown";
}

const fitWord = (f: boolean | null) =>
  f === true ? "✓ fits" : f === false ? "✗ over" : "holds for known figures only";

function totals(plan: ProductionPlan): Element {
  const cb = plan.cost_breakdown;
  const c = plan.constraints;
  const te = plan.timeline_estimate;
  const unpriced = cb.unknown_steps > 0 ? ` (${plural(cb.unknown_steps, "step")} unpriced)` : "";
  const budget =
    c.max_cost_usd === undefined
      ? "no budget set"
      : `budget ${money(c.max_cost_usd)}: ${fitWord(plan.fits.budget)}`;
  const limit =
    c.max_time_minutes === undefined
      ? "no time limit set"
      : `limit ${minutes(c.max_time_minutes)}: ${fitWord(plan.fits.time)}`;
  const untimed =
    te.unknown_steps > 0 ? ` (${plural(te.unknown_steps, "step")} without a documented time)` : "";
  const fields = [
    {
      label: "Total cost",
      value: [
        bold(money(cb.total_usd)),
        words(
          ` = ${money(cb.known_usd)} known + ${Math.round(cb.contingency_rate * 100)} % contingency${unpriced} · ${budget}`,
        ),
      ],
    },
    {
      label: "Generation time",
      value: [
        words(
          `${minutes(te.sequential_minutes)} one after another, ${minutes(te.parallel_minutes)} in parallel${untimed} · ${limit}`,
        ),
      ],
    },
  ];
  if (te.deadline)
    fields.push({
      label: "Deadline",
      value: [
        typed(te.deadline),
        words(
          te.meets_deadline === true
            ? " · ✓ met"
            : te.meets_deadline === false
              ? " · ✗ missed"
              : " · unknown",
        ),
      ],
    });
  return { type: "fields", fields };
}

export function planView(production: Production): View {
  const plan = production.plan;
  if (!plan) throw new Error(`production ${production.id} has no plan to show`);
  const elements: Element[] = [
    header(`💰 Production plan v${plan.version}`),
    smallPrint([
      words(
        `${plural(plan.shot_plans.length, "shot")} · prices as of ${plan.metadata.prices_as_of ?? "unknown date"} · unknown prices stay unknown`,
      ),
    ]),
    totals(plan),
    divider(),
    {
      type: "table",
      columns: [
        { label: "Shot" },
        { label: "Tool" },
        { label: "Cost", align: "right" },
        { label: "Time", align: "right" },
      ],
      rows: plan.shot_plans.map((sp) => [
        sp.shot_id,
        sp.tool_name,
        shotCost(sp),
        minutesFromSeconds(sp.time_s),
      ]),
    },
  ];
  if (plan.variants.length > 0)
    elements.push(paragraph([bold("Variants")]), {
      type: "table",
      columns: [
        { label: "Variant" },
        { label: "Cost", align: "right" },
        { label: "Time", align: "right" },
        { label: "Quality", align: "right" },
      ],
      rows: plan.variants.map((v) => [
        v.name,
        v.cost_complete ? money(v.cost_usd) : `${money(v.cost_usd)} + unknown`,
        minutes(v.time_minutes),
        v.quality_score === null ? "unknown" : v.quality_score.toFixed(2),
      ]),
    });
  if (plan.shortfall) {
    const s = plan.shortfall;
    const over: Span[] = [bold("⚠ No plan fits the limits. ")];
    if (s.budget_usd !== null) over.push(words(`Over budget by ${money(s.budget_usd)}. `));
    if (s.time_minutes !== null) over.push(words(`Over time by ${minutes(s.time_minutes)}. `));
    if (s.relax.length > 0) over.push(words("To fit: "), typed(s.relax.join("; ")));
    elements.push(paragraph(over, "shortfall"));
  }
  if (plan.warnings.length > 0)
    elements.push(
      paragraph([bold("⚠ Warnings")]),
      ...plan.warnings.map((w) => paragraph([words("• "), typed(w)])),
    );
  elements.push(divider(), reviewActions(production, "plan_review"));
  return {
    summary: `Production plan v${plan.version} for ${production.vrd.title}: ${money(plan.cost_breakdown.total_usd)} total, ready for review`,
    elements,
  };
}
