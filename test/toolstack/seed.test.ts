import { describe, expect, it } from "vitest";
import { NotFoundError, ValidationError } from "../../src/domain/errors.js";
import type { Tool } from "../../src/domain/tool.js";
import { getTool, listTools, toolFromRow } from "../../src/toolstack/catalog.js";
import { loadToolSeed, parseToolSeed, seedTools } from "../../src/toolstack/seed.js";
import { testBackends, useTestDb } from "../support/db.js";

function seedTool(toolId: string): Tool {
  const tool = seedTools().find((t) => t.tool_id === toolId);
  if (!tool) throw new Error(`seed has no ${toolId}`);
  return tool;
}

describe("tool seed data", () => {
  it("parses into unique tools covering the video generators and both aggregators", () => {
    const tools = seedTools();
    const ids = tools.map((t) => t.tool_id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(
      expect.arrayContaining(["runway-gen4-turbo", "google-veo-3.1", "google-veo-3.1-fast", "luma-ray2"]),
    );
    expect(tools.filter((t) => t.category === "aggregator").map((t) => t.tool_id)).toEqual([
      "fal-ai",
      "replicate",
    ]);
  });

  it("gives every tool at least one source, and every price its source", () => {
    for (const tool of seedTools()) {
      expect(tool.sources.length, tool.tool_id).toBeGreaterThan(0);
      if (tool.pricing.usd !== null) expect(tool.pricing.sources.length, tool.tool_id).toBeGreaterThan(0);
    }
  });

  it("keeps unknown prices null instead of zero", () => {
    for (const tool of seedTools()) expect(tool.pricing.usd, tool.tool_id).not.toBe(0);
    expect(seedTool("luma-ray2").pricing).toMatchObject({ unit: "unknown", usd: null });
    for (const tool of seedTools().filter((t) => t.status === "self_hosted")) {
      expect(tool.pricing.usd, tool.tool_id).toBeNull();
    }
  });

  it("prices Runway Gen-4 Turbo at 0.05 USD per output second", () => {
    expect(seedTool("runway-gen4-turbo").pricing).toMatchObject({ unit: "per_second", usd: 0.05 });
  });

  it("prices Kling per 5 s clip plus extra seconds, so a 10 s clip costs 0.70 USD", () => {
    const { pricing } = seedTool("kling-v2.5-turbo");
    expect(pricing).toMatchObject({
      unit: "per_clip",
      usd: 0.35,
      clip_seconds: 5,
      usd_per_extra_second: 0.07,
    });
    expect(pricing.usd! + (10 - pricing.clip_seconds!) * pricing.usd_per_extra_second!).toBeCloseTo(0.7);
  });

  it("splits Veo 3.1 into Fast and Standard tools priced at 1080p", () => {
    expect(seedTool("google-veo-3.1-fast").pricing.usd).toBe(0.12);
    expect(seedTool("google-veo-3.1").pricing.usd).toBe(0.4);
    expect(seedTool("google-veo-3.1-fast").api.model_id).toBe("veo-3.1-fast-generate-preview");
  });

  it("records the clip lengths a tool can make, so short shots are billed at the shortest clip", () => {
    expect(seedTool("minimax-hailuo-02").capabilities).toMatchObject({
      min_clip_s: 6,
      clip_durations_s: [6, 10],
    });
    expect(seedTool("google-veo-3.1-fast").capabilities).toMatchObject({
      min_clip_s: 4,
      max_clip_s: 8,
      clip_durations_s: [4, 6, 8],
    });
    expect(seedTool("runway-gen4-turbo").capabilities).toMatchObject({ min_clip_s: 2, max_clip_s: 10 });
  });

  it("marks Sora 2 retired with the reason", () => {
    const sora = seedTool("openai-sora-2");
    expect(sora.status).toBe("retired");
    expect(sora.status_note).toContain("2026-09-24");
  });

  it("names the key variable only for providers Greenlight is configured for", () => {
    const allowed = new Set(["RUNWAYML_API_SECRET", "LUMA_API_KEY", "FAL_KEY", "REPLICATE_API_TOKEN", null]);
    for (const tool of seedTools()) expect(allowed.has(tool.api.key_env), tool.tool_id).toBe(true);
    expect(seedTool("pika-2.2").api.key_env).toBe("FAL_KEY");
    expect(seedTool("runway-gen4.5").api.key_env).toBe("RUNWAYML_API_SECRET");
  });
});

describe("parseToolSeed", () => {
  const valid = {
    tool_id: "demo-tool",
    name: "Demo",
    category: "video_generation",
    status: "available",
    capabilities: {},
    pricing: { unit: "per_second", usd: 0.1 },
  };

  it("names the tool and the field of a bad entry", () => {
    const bad = {
      tools: [valid, { ...valid, tool_id: "broken-tool", pricing: { unit: "per_second", usd: -1 } }],
    };
    expect(() => parseToolSeed(bad)).toThrow(ValidationError);
    expect(() => parseToolSeed(bad)).toThrow(/broken-tool.*pricing\.usd/);
  });

  it("rejects a tool id listed twice", () => {
    expect(() => parseToolSeed({ tools: [valid, valid] })).toThrow(
      /tools\[1\]\.tool_id: duplicates demo-tool/,
    );
  });

  it("rejects a file without a tools list", () => {
    expect(() => parseToolSeed([valid])).toThrow(/tools: must be a list/);
  });
});

describe("toolFromRow", () => {
  it("reads a row with empty JSON columns as unknown facts, not zeros", () => {
    const tool = toolFromRow({
      tool_id: "found-by-research",
      name: "Found by research",
      vendor: null,
      category: "video_generation",
      status: "candidate",
      status_note: "",
      capabilities: null,
      quality_metrics: null,
      pricing: null,
      performance: null,
      api_integration: null,
      best_for: null,
      limitations: null,
      sources: ["https://example.org/paper"],
    });
    expect(tool.pricing).toMatchObject({ unit: "unknown", usd: null });
    expect(tool.capabilities).toMatchObject({ max_clip_s: null, min_clip_s: null, native_audio: null });
    expect(tool.api.key_env).toBeNull();
  });
});

describe.each(testBackends())("tools table on %s", (backend) => {
  const db = useTestDb(backend);

  async function row(toolId: string) {
    const { rows } = await db().query<{ pricing: { usd: number | null }; updated_at: string; name: string }>(
      "SELECT pricing, updated_at, name FROM tools WHERE tool_id = $1",
      [toolId],
    );
    return rows[0]!;
  }

  it("loads every seed tool once; a second load changes nothing", async () => {
    const count = seedTools().length;
    expect(await loadToolSeed(db())).toEqual({ inserted: count, updated: 0, unchanged: 0 });
    const before = await row("runway-gen4-turbo");
    expect(await loadToolSeed(db())).toEqual({ inserted: 0, updated: 0, unchanged: count });
    expect((await row("runway-gen4-turbo")).updated_at).toBe(before.updated_at);
  });

  it("reads back exactly the seed tools, filtered by status or category", async () => {
    await loadToolSeed(db());
    const byId = (a: Tool, b: Tool) => (a.tool_id < b.tool_id ? -1 : 1);
    expect(await listTools(db())).toEqual(seedTools().sort(byId));
    expect((await listTools(db(), { status: "retired" })).map((t) => t.tool_id)).toEqual(["openai-sora-2"]);
    expect((await listTools(db(), { category: "aggregator" })).map((t) => t.tool_id)).toEqual([
      "fal-ai",
      "replicate",
    ]);
    expect(
      (await listTools(db(), { status: ["self_hosted", "retired"] })).map((t) => t.tool_id).sort(),
    ).toEqual(["hunyuanvideo", "openai-sora-2", "wan-2.2"]);
    expect((await getTool(db(), "luma-ray2")).pricing.usd).toBeNull();
    await expect(getTool(db(), "no-such-tool")).rejects.toThrow(NotFoundError);
  });

  it("updates a seed-owned row when the seed changes", async () => {
    await loadToolSeed(db());
    const edited = seedTools().map((t) =>
      t.tool_id === "runway-gen4-turbo" ? { ...t, pricing: { ...t.pricing, usd: 0.06 } } : t,
    );
    expect(await loadToolSeed(db(), edited)).toEqual({
      inserted: 0,
      updated: 1,
      unchanged: edited.length - 1,
    });
    expect((await row("runway-gen4-turbo")).pricing.usd).toBe(0.06);
  });

  it("never overwrites a row that research or a person changed", async () => {
    await loadToolSeed(db());
    await db().query(
      `UPDATE tools SET origin = 'research', name = 'Runway Gen-4 Turbo (benchmarked)',
         pricing = jsonb_set(pricing, '{usd}', '0.055') WHERE tool_id = 'runway-gen4-turbo'`,
    );
    const edited = seedTools().map((t) =>
      t.tool_id === "runway-gen4-turbo" ? { ...t, pricing: { ...t.pricing, usd: 0.06 } } : t,
    );
    expect(await loadToolSeed(db(), edited)).toEqual({ inserted: 0, updated: 0, unchanged: edited.length });
    const kept = await row("runway-gen4-turbo");
    expect(kept.name).toBe("Runway Gen-4 Turbo (benchmarked)");
    expect(kept.pricing.usd).toBe(0.055);
  });
});
