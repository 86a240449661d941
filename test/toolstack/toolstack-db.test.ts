import { describe, expect, it } from "vitest";
import { generatePlan } from "../../src/agents/videosolver/index.js";
import { NotFoundError, ValidationError } from "../../src/domain/errors.js";
import { loadToolSeed, seedTools } from "../../src/toolstack/seed.js";
import { stepTools } from "../../src/toolstack/step-tools.js";
import { ToolStackDB } from "../../src/toolstack/toolstack-db.js";
import { makeShot, makeShotList } from "../agents/videosolver/fixtures.js";
import { testBackends, useTestDb } from "../support/db.js";

describe.each(testBackends())("ToolStackDB on %s", (backend) => {
  const db = useTestDb(backend);
  const stack = () => new ToolStackDB(db());
  const seeded = async () => {
    await loadToolSeed(db(), [...seedTools(), ...stepTools()]);
    await stack().loadWorkflowSeed();
    return stack();
  };
  const ids = (tools: { tool_id: string }[]) => tools.map((t) => t.tool_id);

  it("queries generators by capability, never passing an unknown capability", async () => {
    const s = await seeded();
    const audio = ids(await s.queryByCapability({ nativeAudio: true, aspectRatio: "9:16" }));
    expect(audio).toEqual(expect.arrayContaining(["google-veo-3.1-fast", "google-veo-3.1"]));
    expect(audio).not.toContain("openai-sora-2"); // retired
    expect(audio).not.toContain("ltx-video"); // 16:9 only
    const long = ids(await s.queryByCapability({ minDurationS: 12 }));
    expect(long).toContain("bytedance-seedance-1.0-pro");
    expect(long).not.toContain("runway-gen4-turbo");
    expect(ids(await s.queryByCapability({ cameraControl: true }))).toEqual(["minimax-hailuo-02"]);
    // Cheapest first; tools without a price last.
    const all = await s.queryByCapability({ modality: "text-to-video" });
    expect(all.at(-1)?.pricing.usd).toBeNull();
  });

  it("queries by shot type and by complexity", async () => {
    const s = await seeded();
    expect((await s.queryByShotType("MCU")).length).toBeGreaterThan(5);
    expect(ids(await s.queryByShotType("camera_move"))).toEqual(["minimax-hailuo-02"]);
    expect(ids(await s.queryByShotType("product"))).toContain("runway-gen4-turbo");
    await expect(s.queryByShotType("montage")).rejects.toBeInstanceOf(ValidationError);
    const low = await s.queryByComplexity("low");
    expect(low[0]?.pricing.usd).not.toBeNull();
    expect(ids(await s.queryByComplexity("high"))).toEqual(["minimax-hailuo-02"]);
  });

  it("returns a tool's details with its latest benchmarks, and summarises benchmarks for the planner", async () => {
    const s = await seeded();
    for (const [id, q, at] of [
      ["b1", 0.6, "2026-11-01T00:00:00Z"],
      ["b2", 0.8, "2026-11-20T00:00:00Z"],
    ] as const)
      await db().query(
        `INSERT INTO benchmarks (benchmark_id, tool_id, test_prompt, latency_seconds, quality_score, cost_per_second, success_rate, tested_at)
         VALUES ($1, 'runway-gen4-turbo', 'a cup of coffee', 60, $2, 0.05, 1, $3)`,
        [id, q, at],
      );
    const details = await s.getToolDetails("runway-gen4-turbo");
    expect(details.tool.name).toBe("Runway Gen-4 Turbo");
    expect(details.benchmarks.map((b) => b.benchmark_id)).toEqual(["b2", "b1"]);
    expect(details.benchmarks[0]).toMatchObject({
      quality_score: 0.8,
      latency_seconds: 60,
      tested_at: "2026-11-20T00:00:00.000Z",
    });
    expect(details.workflows.map((w) => w.workflow_id)).toContain("keyframe-to-video");
    expect(await s.benchmarkSummaries()).toEqual({
      "runway-gen4-turbo": { quality_score: 0.7, latency_seconds: 60 },
    });
    await expect(s.getToolDetails("nope")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("seeds the workflows once and feeds the planner", async () => {
    const s = await seeded();
    expect(await s.loadWorkflowSeed()).toBe(0);
    expect((await s.listWorkflows()).map((w) => w.workflow_id)).toContain("extend-stitch");
    const tools = await s.planningTools();
    expect(ids(tools)).not.toContain("openai-sora-2");
    const plan = generatePlan(
      makeShotList([makeShot("S01", { requirements: { lip_sync: true } })]),
      tools,
      {},
      {
        benchmarks: await s.benchmarkSummaries(),
      },
    );
    expect(plan.shot_plans[0]?.steps.map((x) => x.kind)).toContain("lip_sync");
  });
});
