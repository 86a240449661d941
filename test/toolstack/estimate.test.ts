import { describe, expect, it } from "vitest";
import type { ShotPlan, WorkflowStep } from "../../src/domain/plan.js";
import { estimateCostAndTime } from "../../src/toolstack/estimate.js";
import { makeTool } from "../agents/videosolver/fixtures.js";

const step = (
  toolId: string | null,
  kind: WorkflowStep["kind"],
  cost: number | null,
  time: number | null,
): WorkflowStep => ({
  index: 1,
  kind,
  tool_id: toolId,
  description: kind,
  clips: 1,
  billed_seconds: 2,
  cost_usd: cost,
  time_s: time,
  price_source: cost === null ? null : "price as of 2026-11; https://example.test",
});

const shotPlan = (id: string, steps: WorkflowStep[]): ShotPlan => ({
  shot_id: id,
  tool_id: "a",
  tool_name: "A",
  workflow_id: "text-to-video",
  reason: "because.",
  steps: steps.map((s, i) => ({ ...s, index: i + 1 })),
  cost_usd: 0,
  cost_complete: true,
  time_s: null,
  quality_score: 0.5,
  alternatives: [],
});

describe("estimateCostAndTime", () => {
  it("sums cost by tool and step kind, adds contingency, and counts unknown prices apart", () => {
    const plans = [
      shotPlan("S01", [step("img", "keyframe_image", 0.03, 10), step("a", "image_to_video", 0.1, 60)]),
      shotPlan("S02", [step("b", "text_to_video", null, 60)]),
    ];
    const est = estimateCostAndTime(
      { shot_plans: plans, constraints: { quality_priority: "medium", max_cost_usd: 1 } },
      { contingencyRate: 0.5 },
    );
    expect(est.cost_breakdown).toEqual({
      known_usd: 0.13,
      unknown_steps: 1,
      contingency_rate: 0.5,
      contingency_usd: 0.065,
      total_usd: 0.195,
      by_tool: { img: 0.03, a: 0.1 },
      by_step_kind: { keyframe_image: 0.03, image_to_video: 0.1 },
    });
    expect(est.fits.budget).toBeNull(); // fits for known prices, but one price is unknown
    expect(est.prices_as_of).toBe("2026-11");
  });

  it("says the budget does not fit when the known figures already exceed it", () => {
    const plans = [
      shotPlan("S01", [step("a", "text_to_video", 2, 60)]),
      shotPlan("S02", [step("b", "text_to_video", null, 60)]),
    ];
    const est = estimateCostAndTime({
      shot_plans: plans,
      constraints: { quality_priority: "medium", max_cost_usd: 2 },
    });
    expect(est.cost_breakdown.total_usd).toBe(2.4);
    expect(est.fits.budget).toBe(false);
  });

  it("runs tools side by side at their concurrency and checks the deadline", () => {
    const a = makeTool("a", { caps: { concurrency: 2 } });
    const plans = ["S01", "S02", "S03", "S04"].map((id) =>
      shotPlan(id, [step("a", "text_to_video", 0.1, 120)]),
    );
    const est = estimateCostAndTime(
      {
        shot_plans: plans,
        constraints: { quality_priority: "medium", max_time_minutes: 10, deadline: "2026-11-25" },
      },
      { contingencyRate: 0, tools: [a], now: () => new Date("2026-11-25T23:50:00Z") },
    );
    expect(est.timeline_estimate).toMatchObject({
      sequential_minutes: 8,
      parallel_minutes: 4,
      unknown_steps: 0,
    });
    expect(est.fits.time).toBe(true);
    expect(est.timeline_estimate.meets_deadline).toBe(true);
    const late = estimateCostAndTime(
      { shot_plans: plans, constraints: { quality_priority: "medium", deadline: "2026-11-25" } },
      { contingencyRate: 0, tools: [a], now: () => new Date("2026-11-25T23:58:00Z") },
    );
    expect(late.timeline_estimate.meets_deadline).toBe(false);
  });
});
