import { describe, expect, it } from "vitest";
import { ValidationError } from "../../src/domain/errors.js";
import { fmtCost, selectOptimalTool, shotOptions, shotQuality } from "../../src/toolstack/decision-matrix.js";
import { pickStepTools, stepTools } from "../../src/toolstack/step-tools.js";
import { type CapableWorkflow, calculateWorkflow } from "../../src/toolstack/workflows.js";
import { makeShot, makeTool } from "../agents/videosolver/fixtures.js";

const ctx = { aspectRatio: "9:16", stepTools: pickStepTools(stepTools()) };

describe("shotQuality", () => {
  it("starts from the measured score, or 0.5 when nothing measured the tool, and adds requirement matches", () => {
    const shot = makeShot("S01", { requirements: { audio: true } });
    const wf = (t: ReturnType<typeof makeTool>) => calculateWorkflow(shot, t, ctx) as CapableWorkflow;
    const measured = makeTool("m", { quality: 0.8, caps: { native_audio: true } });
    expect(shotQuality(shot, wf(measured))).toMatchObject({
      quality: 0.85,
      measured: true,
      matches: ["native audio"],
    });
    const unmeasured = makeTool("u", { caps: { native_audio: false } });
    expect(shotQuality(shot, wf(unmeasured))).toMatchObject({ quality: 0.47, measured: false });
    // A benchmark's quality averages with the tool's own score.
    expect(shotQuality(shot, wf(measured), { quality_score: 0.6, latency_seconds: null }).quality).toBe(0.75);
  });
});

describe("selectOptimalTool", () => {
  const cheap = makeTool("cheap", { usdPerSecond: 0.05, quality: 0.5 });
  const fine = makeTool("fine", { usdPerSecond: 0.4, quality: 0.9 });

  it("weighs quality against cost by quality_priority", () => {
    const shot = makeShot("S01", { duration_s: 4 });
    expect(
      selectOptimalTool(shot, [cheap, fine], { quality_priority: "high" }, ctx).choice.tool.tool_id,
    ).toBe("fine");
    expect(selectOptimalTool(shot, [cheap, fine], { quality_priority: "low" }, ctx).choice.tool.tool_id).toBe(
      "cheap",
    );
  });

  it("never picks a tool that breaks a hard requirement, however good it is", () => {
    const short = makeTool("short", { max: 5, quality: 1, modalities: ["text-to-video"] });
    const wide = makeTool("wide", { aspect: ["16:9"], quality: 1 });
    const ok = makeTool("ok", { max: 10, quality: 0.3 });
    const pick = selectOptimalTool(
      makeShot("S01", { duration_s: 8 }),
      [short, wide, ok],
      { quality_priority: "high" },
      ctx,
    );
    expect(pick.choice.tool.tool_id).toBe("ok");
    expect(pick.rejected.map((r) => r.tool_id).sort()).toEqual(["short", "wide"]);
  });

  it("explains the choice in one sentence and lists the next two tools", () => {
    const third = makeTool("third", { usdPerSecond: 0.2, quality: 0.6 });
    const pick = selectOptimalTool(
      makeShot("S01", { duration_s: 2 }),
      [cheap, fine, third],
      { quality_priority: "medium" },
      ctx,
    );
    expect(pick.reason).toMatch(/^[A-Z].+\.$/);
    expect(pick.reason.split(". ").length).toBe(1);
    expect(pick.alternatives).toHaveLength(2);
  });

  it("names what each tool lacks when none can make the shot", () => {
    const shot = makeShot("S09", { requirements: { lip_sync: true } });
    const err = (() => {
      try {
        selectOptimalTool(shot, [cheap], { quality_priority: "medium" }, { ...ctx, stepTools: {} });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).problems[0]).toMatchObject({ field: "shots.S09" });
    expect((err as ValidationError).message).toMatch(/lip-sync/);
  });

  it("plans an unknown price as the dearest known one but shows it as unknown", () => {
    const mystery = makeTool("mystery", { usdPerSecond: null, quality: 0.9 });
    const { options } = shotOptions(makeShot("S01", { duration_s: 2 }), [cheap, fine, mystery], ctx);
    const pick = selectOptimalTool(
      makeShot("S01", { duration_s: 2 }),
      [cheap, fine, mystery],
      { quality_priority: "medium" },
      ctx,
    );
    const m = pick.ranked.find((o) => o.tool.tool_id === "mystery");
    expect(options.find((o) => o.tool.tool_id === "mystery")?.unknown_cost_steps).toBe(1);
    expect(m?.cost_usd).toBe(0);
    expect(m?.plan_cost_usd).toBe(0.8); // fine's 2 s at $0.40
    expect(fmtCost(m as NonNullable<typeof m>)).toBe("unknown");
  });
});
