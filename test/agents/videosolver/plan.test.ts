import { describe, expect, it } from "vitest";
import {
  generatePlan,
  greedyPlan,
  renderPlanTable,
  revisePlan,
} from "../../../src/agents/videosolver/index.js";
import { ValidationError } from "../../../src/domain/errors.js";
import { seedTools } from "../../../src/toolstack/seed.js";
import { stepTools } from "../../../src/toolstack/step-tools.js";
import { makeShot, makeShotList, makeTool } from "./fixtures.js";

const tools = [...seedTools(), ...stepTools()];
const now = () => new Date("2026-11-25T12:00:00Z");

/** Three beats of the coffee reel (shared/examples/coffee-reel-30s.md) plus a dialogue shot. */
const reel = makeShotList([
  makeShot("S01", { duration_s: 1.5 }),
  makeShot("S02", { duration_s: 1.5, movement: "push_in", requirements: { character_consistency: true } }),
  makeShot("S08", {
    duration_s: 2,
    movement: "rack_focus",
    requirements: { reference_image: true, text_rendering: true },
  }),
  makeShot("S15", {
    duration_s: 4,
    movement: "orbit",
    requirements: { reference_image: true, camera_control: true },
  }),
  makeShot("S16", { duration_s: 12, requirements: { lip_sync: true, character_consistency: true } }),
]);

describe("generatePlan", () => {
  const plan = generatePlan(reel, tools, { max_cost_usd: 20, quality_priority: "medium" }, { now });

  it("plans every shot with a tool that meets its hard requirements", () => {
    expect(plan.shot_plans.map((s) => s.shot_id)).toEqual(["S01", "S02", "S08", "S15", "S16"]);
    const byId = Object.fromEntries(tools.map((t) => [t.tool_id, t]));
    for (const sp of plan.shot_plans) {
      const tool = byId[sp.tool_id];
      expect(tool?.status).not.toBe("retired");
      expect(
        tool?.capabilities.aspect_ratios.length === 0 || tool?.capabilities.aspect_ratios.includes("9:16"),
      ).toBe(true);
      const generated = sp.steps
        .filter((s) => s.tool_id === sp.tool_id)
        .reduce((n, s) => n + s.billed_seconds, 0);
      expect(generated).toBeGreaterThanOrEqual(reel.shots.find((s) => s.id === sp.shot_id)?.duration_s ?? 0);
    }
    const dialogue = plan.shot_plans.find((s) => s.shot_id === "S16");
    expect(dialogue?.steps.map((s) => s.kind)).toEqual(expect.arrayContaining(["lip_sync"]));
  });

  it("fits the budget, says why, and gives two alternatives with the trade-off", () => {
    expect(plan.fits.budget).toBe(true);
    expect(plan.cost_breakdown.total_usd).toBeLessThanOrEqual(20);
    for (const sp of plan.shot_plans) {
      expect(sp.reason).toMatch(/\.$/);
      expect(sp.alternatives).toHaveLength(2);
      for (const alt of sp.alternatives) expect(alt.trade_off.length).toBeGreaterThan(5);
    }
    expect(plan.variants.map((v) => v.name)).toEqual(["cheapest", "fastest", "best"]);
    expect(plan.metadata.created_at).toBe("2026-11-25T12:00:00.000Z");
  });

  it("shows what clip granularity costs: a 1.5 s shot on Hailuo bills its 6 s minimum", () => {
    const pinned = generatePlan(
      reel,
      tools,
      { quality_priority: "medium" },
      { now, pinned: { S01: "minimax-hailuo-02" } },
    );
    const s01 = pinned.shot_plans[0];
    expect(s01?.tool_id).toBe("minimax-hailuo-02");
    expect(s01?.steps[0]).toMatchObject({ billed_seconds: 6, cost_usd: 0.48 });
    expect(s01?.reason).toMatch(/pinned by the producer/);
  });

  it("keeps unknown prices unknown through the totals and the table", () => {
    const luma = generatePlan(
      reel,
      tools,
      { quality_priority: "medium" },
      { now, pinned: { S01: "luma-ray2" } },
    );
    const s01 = luma.shot_plans[0];
    expect(s01).toMatchObject({ tool_id: "luma-ray2", cost_usd: 0, cost_complete: false });
    expect(s01?.steps[0]?.cost_usd).toBeNull();
    expect(luma.cost_breakdown.unknown_steps).toBe(1);
    expect(luma.cost_breakdown.known_usd).toBe(
      Math.round(luma.shot_plans.slice(1).reduce((s, p) => s + p.cost_usd, 0) * 10000) / 10000,
    );
    expect(luma.warnings.join(" ")).toMatch(/no sourced price/);
    expect(renderPlanTable(luma)).toMatch(/\| S01 \| Luma Ray 2[^\n]*\| unknown \|/);
  });

  it("reports by how much the cheapest plan misses a budget and what to relax", () => {
    const tight = generatePlan(reel, tools, { max_cost_usd: 0.5, quality_priority: "medium" }, { now });
    expect(tight.fits.budget).toBe(false);
    expect(tight.shortfall?.budget_usd).toBeGreaterThan(0);
    expect(tight.shortfall?.relax[0]).toMatch(/raise the budget to at least \$/);
    expect(tight.warnings.join(" ")).toMatch(/No plan fits/);
    const cheapest = tight.variants.find((v) => v.name === "cheapest");
    expect(tight.cost_breakdown.total_usd).toBeCloseTo(cheapest?.cost_usd ?? -1, 2);
  });

  it("spends a limited budget better than a greedy shot-by-shot choice, and never more", () => {
    const shots = Array.from({ length: 12 }, (_, i) =>
      makeShot(`S${String(i + 1).padStart(2, "0")}`, { duration_s: 3 + (i % 4) }),
    );
    const list = makeShotList(shots);
    const stack = [
      makeTool("budget", { usdPerSecond: 0.05, quality: 0.4 }),
      makeTool("mid", { usdPerSecond: 0.15, quality: 0.7 }),
      makeTool("premium", { usdPerSecond: 0.4, quality: 0.95 }),
    ];
    const constraints = { max_cost_usd: 8, quality_priority: "high" as const };
    const best = generatePlan(list, stack, constraints, { now });
    const greedy = greedyPlan(list, stack, constraints, { now });
    expect(best.cost_breakdown.total_usd).toBeLessThanOrEqual(8);
    expect(greedy.cost_breakdown.total_usd).toBeLessThanOrEqual(8);
    const quality = (p: typeof best) => p.shot_plans.reduce((s, x) => s + (x.quality_score ?? 0), 0);
    expect(quality(best)).toBeGreaterThanOrEqual(quality(greedy));
  });

  it("refuses a shot no tool can make, naming why", () => {
    const wideOnly = [makeTool("wide", { aspect: ["16:9"] })];
    expect(() => generatePlan(makeShotList([makeShot("S01")]), wideOnly, {}, { now })).toThrow(
      ValidationError,
    );
    expect(() => generatePlan(makeShotList([makeShot("S01")]), wideOnly, {}, { now })).toThrow(/not 9:16/);
  });
});

describe("revisePlan", () => {
  const input = { shotList: reel, tools, options: { now } };
  const plan = generatePlan(reel, tools, { max_cost_usd: 20 }, { now });

  it("pins a tool to a shot in a new version, and keeps the pin through later revisions", () => {
    const pinned = revisePlan(plan, { pinTool: { shotId: "S15", toolId: "google-veo-3.1-fast" } }, input);
    expect(pinned.version).toBe(2);
    expect(pinned.production_plan_id).toBe(plan.production_plan_id);
    expect(pinned.shot_plans.find((s) => s.shot_id === "S15")?.tool_id).toBe("google-veo-3.1-fast");
    const again = revisePlan(pinned, { constraints: { quality_priority: "low" } }, input);
    expect(again.constraints.quality_priority).toBe("low");
    expect(again.shot_plans.find((s) => s.shot_id === "S15")?.tool_id).toBe("google-veo-3.1-fast");
  });

  it("excludes a tool from every shot and every alternative, dropping pins on it", () => {
    const used = plan.shot_plans[0]?.tool_id as string;
    const pinned = revisePlan(plan, { pinTool: { shotId: "S02", toolId: used } }, input);
    const without = revisePlan(pinned, { excludeTool: used }, input);
    for (const sp of without.shot_plans) {
      expect(sp.tool_id).not.toBe(used);
      expect(sp.alternatives.map((a) => a.tool_id)).not.toContain(used);
    }
    expect(without.revisions?.pinned).toEqual({});
    expect(without.revisions?.excluded_tools).toEqual([used]);
  });

  it("refuses to pin a tool that cannot make the shot", () => {
    expect(() => revisePlan(plan, { pinTool: { shotId: "S16", toolId: "openai-sora-2" } }, input)).toThrow(
      /retired/,
    );
    expect(() => revisePlan(plan, { pinTool: { shotId: "S99", toolId: "luma-ray2" } }, input)).toThrow(
      ValidationError,
    );
  });
});

describe("time limits and undocumented generation times", () => {
  // One tool documents 8 minutes a clip, the other documents nothing: the gap must never be invented.
  const slow = makeTool("slow-documented", { usdPerSecond: 0.2, latency: 480 });
  const silent = makeTool("undocumented-time", { usdPerSecond: 0.1, latency: null });
  const many = makeShotList(
    Array.from({ length: 12 }, (_, i) => makeShot(`S${String(i + 1).padStart(2, "0")}`, { duration_s: 2 })),
  );

  it("does not report a time shortfall that only a stand-in for an unknown time would cause", () => {
    const plan = generatePlan(many, [slow, silent], { max_time_minutes: 30 }, { now });
    expect(plan.shortfall).toBeFalsy();
    expect(plan.warnings.join("\n")).not.toMatch(/No plan fits/);
    expect(plan.fits.time).not.toBe(false);
    // The documented-slow tool would break the limit (12 × 8 min); the plan avoids it.
    for (const sp of plan.shot_plans) expect(sp.tool_id).toBe("undocumented-time");
  });

  it("reports the gap from documented times when they alone break the limit", () => {
    const plan = generatePlan(many, [slow], { max_time_minutes: 30 }, { now });
    expect(plan.shortfall?.time_minutes).toBeGreaterThan(60);
    expect(plan.warnings.join("\n")).toMatch(/No plan fits: .*30 minute limit/);
    expect(plan.shortfall?.relax.join(" ")).toMatch(/S\d+ 8 min/);
  });
});
