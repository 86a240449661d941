import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Queryable } from "../../src/db/db.js";
import { catalogApi, catalogApis, discoverApis, toolKey } from "../../src/research/discovery.js";
import { createResearchSources, type ResearchSourcesConfig } from "../../src/research/sources/index.js";
import { listTools } from "../../src/toolstack/catalog.js";
import { loadToolSeed, seedTools } from "../../src/toolstack/seed.js";
import {
  emptyData,
  type FakeResearch,
  falModel,
  githubRepo,
  githubWan,
  hfModel,
  hfSeedModels,
  replicateModel,
  startFakeResearch,
} from "../fakes/research.js";
import { testBackends, useTestDb } from "../support/db.js";

const NOW = new Date("2026-11-20T06:00:00Z");
let fake: FakeResearch;

beforeAll(async () => {
  fake = await startFakeResearch();
});
afterAll(() => fake.close());

function sources(config: Partial<ResearchSourcesConfig> = {}) {
  return createResearchSources(
    { ...fake.config, GITHUB_TOKEN: "ghp_x", REPLICATE_API_TOKEN: "r8_x", FAL_KEY: undefined, ...config },
    { minIntervalMs: 0, retries: 2, backoffMs: 5 },
  );
}

const wanFal = (usd: number) =>
  falModel("fal-ai/minimax/hailuo-02/pro/text-to-video", "text-to-video", "MiniMax Hailuo 02 Pro", {
    unit_price: usd,
    unit: "second",
    currency: "USD",
  });
const novaFal = (usd: number) =>
  falModel("fal-ai/nova/v1/text-to-video", "text-to-video", "Nova 1", {
    unit_price: usd,
    unit: "second",
    currency: "USD",
  });

/** One new model (Zeta 2.1) on GitHub, HF and Replicate; seed models (Wan 2.2, HunyuanVideo, LTX-Video) everywhere. */
function normalData() {
  Object.assign(fake.data, emptyData(), {
    github: [
      githubWan(),
      githubRepo("acme-video/Zeta2.1", 800, ["text-to-video", "image-to-video"]),
      githubRepo("Tencent-Hunyuan/HunyuanVideo", 9000),
      githubRepo("Lightricks/LTX-Video", 5000),
    ],
    huggingface: [
      ...hfSeedModels(),
      hfModel("Acme-AI/Zeta2.1-T2V-14B"),
      hfModel("Acme-AI/Zeta2.1-I2V-14B", "image-to-video"),
      hfModel("Lightricks/LTX-Video"),
    ],
    replicateCollections: {
      "text-to-video": [
        replicateModel("acme", "zeta2.1", "Zeta 2.1 text to video", 321),
        replicateModel("wan-video", "wan2.2"),
      ],
    },
    fal: [wanFal(0.1), novaFal(0.05)],
  });
  fake.fail("github", null);
  fake.requests.length = 0;
}

async function discoverAndCatalog(db: Queryable, config: Partial<ResearchSourcesConfig> = {}) {
  const found = await discoverApis({ sources: sources(config), db, now: NOW });
  const changes = await catalogApis(db, found.candidates, { now: NOW });
  return { found, changes };
}

describe("tool keys", () => {
  it("gives the same key to one model's names on HF, Replicate, GitHub, fal and the seed", () => {
    const keys = [
      toolKey("Wan-AI/Wan2.2-T2V-A14B", "id"),
      toolKey("wan-video/wan2.2", "id"),
      toolKey("Wan-Video/Wan2.2", "id"),
      toolKey("fal-ai/wan/v2.2-a14b/text-to-video", "id"),
      toolKey("wan-2.2"),
    ];
    expect(new Set(keys)).toEqual(new Set(["wan2.2"]));
    expect(toolKey("tencent/HunyuanVideo-1.5", "id")).not.toBe(toolKey("tencent/HunyuanVideo", "id"));
    expect(toolKey("x/T2V-14B", "id")).toBe("");
  });
});

describe.each(testBackends())("discovery (%s)", (backend) => {
  const db = useTestDb(backend);
  beforeEach(async () => {
    normalData();
    await loadToolSeed(db());
  });

  it("merges one model found on GitHub, Hugging Face and Replicate into one candidate tool", async () => {
    const { found, changes } = await discoverAndCatalog(db());
    expect(found.errors).toEqual([]);
    const zeta = found.candidates.filter((c) => c.key === "zeta2.1");
    expect(zeta).toHaveLength(1);
    expect(zeta[0]).toMatchObject({
      tool_id: "zeta2.1",
      name: "Zeta2.1",
      found_in: ["github", "huggingface", "replicate"],
      sources: [
        "https://github.com/acme-video/Zeta2.1",
        "https://huggingface.co/Acme-AI/Zeta2.1-T2V-14B",
        "https://huggingface.co/Acme-AI/Zeta2.1-I2V-14B",
        "https://replicate.com/acme/zeta2.1",
      ],
      provider: "replicate",
      model_id: "acme/zeta2.1",
      price: null,
      existing_tool_id: null,
    });
    expect(new Set(zeta[0]?.modalities)).toEqual(new Set(["text-to-video", "image-to-video"]));

    const [tool] = (await listTools(db(), { status: "candidate" })).filter((t) => t.tool_id === "zeta2.1");
    expect(tool).toMatchObject({
      category: "video_generation",
      status: "candidate",
      pricing: { unit: "unknown", usd: null },
      api: { provider: "replicate", model_id: "acme/zeta2.1", key_env: "REPLICATE_API_TOKEN" },
    });
    const { rows } = await db().query<{ origin: string }>(
      "SELECT origin FROM tools WHERE tool_id = 'zeta2.1'",
    );
    expect(rows[0]?.origin).toBe("research");
    expect(changes).toContainEqual({
      kind: "new_tool",
      tool_id: "zeta2.1",
      name: "Zeta2.1",
      source: "github, huggingface, replicate",
      url: "https://github.com/acme-video/Zeta2.1",
    });
  });

  it("recognises seed tools (Wan 2.2, HunyuanVideo, LTX-Video) and adds no duplicate of them", async () => {
    const { found, changes } = await discoverAndCatalog(db());
    const existing = Object.fromEntries(found.candidates.map((c) => [c.key, c.existing_tool_id]));
    expect(existing).toMatchObject({
      "wan2.2": "wan-2.2",
      hunyuanvideo: "hunyuanvideo",
      ltxvideo: "ltx-video",
      minimaxhailuo02pro: "minimax-hailuo-02",
    });
    expect(
      changes
        .filter((c) => c.kind === "new_tool")
        .map((c) => c.tool_id)
        .sort(),
    ).toEqual(["nova-1", "zeta2.1"]);
    const { rows } = await db().query<{ n: number }>("SELECT count(*) AS n FROM tools");
    expect(rows[0]?.n).toBe(seedTools().length + 2);
  });

  it("a second run on the same data adds nothing and returns no changes", async () => {
    await discoverAndCatalog(db());
    const snapshot = async () =>
      (await db().query("SELECT * FROM tools ORDER BY tool_id")).rows.map((r) => JSON.stringify(r));
    const before = await snapshot();
    const again = await discoverAndCatalog(db());
    expect(again.changes).toEqual([]);
    expect(again.found.counts.new_candidates).toBe(0);
    expect(await snapshot()).toEqual(before);
  });

  it("a listed price different from a seed tool's is one price_change; the seed price is kept", async () => {
    const first = await discoverAndCatalog(db());
    expect(first.changes).toContainEqual({
      kind: "price_change",
      tool_id: "minimax-hailuo-02",
      name: "MiniMax Hailuo 02",
      before: 0.08,
      after: 0.1,
      unit: "per_second",
      source: "https://fal.ai/models/fal-ai/minimax/hailuo-02/pro/text-to-video",
    });
    const seedPrice = async () =>
      (await listTools(db())).find((t) => t.tool_id === "minimax-hailuo-02")?.pricing.usd;
    expect(await seedPrice()).toBe(0.08);

    fake.data.fal = [wanFal(0.12), novaFal(0.05)];
    const second = await discoverAndCatalog(db());
    expect(second.changes).toEqual([
      expect.objectContaining({ kind: "price_change", before: 0.1, after: 0.12 }),
    ]);
    expect(await seedPrice()).toBe(0.08);
  });

  it("a research tool takes its listed price, and a new listed price updates it", async () => {
    await discoverAndCatalog(db());
    const nova = async () => (await listTools(db())).find((t) => t.tool_id === "nova-1");
    expect((await nova())?.pricing).toMatchObject({ unit: "per_second", usd: 0.05 });

    fake.data.fal = [wanFal(0.1), novaFal(0.06)];
    const { changes } = await discoverAndCatalog(db());
    expect(changes).toEqual([
      {
        kind: "price_change",
        tool_id: "nova-1",
        name: "Nova 1",
        before: 0.05,
        after: 0.06,
        unit: "per_second",
        source: "https://fal.ai/models/fal-ai/nova/v1/text-to-video",
      },
    ]);
    expect((await nova())?.pricing.usd).toBe(0.06);
    expect((await discoverAndCatalog(db())).changes).toEqual([]);
  });

  it("a source failing with 500s is retried, then recorded; the other sources still deliver", async () => {
    fake.fail("github", { status: 500, body: { message: "Server Error" } });
    const { found, changes } = await discoverAndCatalog(db());
    expect(found.errors).toEqual([{ source: "github", message: expect.stringMatching(/github: HTTP 500/) }]);
    expect(fake.requestsTo("github")).toHaveLength(3);
    expect(found.counts.github_repos).toBe(0);
    expect(found.counts.hf_models).toBeGreaterThan(0);
    expect(changes.map((c) => ("tool_id" in c ? c.tool_id : null))).toContain("zeta2.1");
  });

  it("reports a malformed reply for its source and counts a malformed item", async () => {
    fake.script("huggingface", { body: "[{ not json" });
    fake.data.fal = [
      ...fake.data.fal,
      { metadata: { display_name: "no endpoint id", category: "text-to-video" } },
    ];
    const { found } = await discoverAndCatalog(db());
    expect(found.errors).toEqual([{ source: "huggingface", message: expect.stringMatching(/not JSON/) }]);
    expect(found.counts.malformed_items).toBe(1);
    expect(found.counts.fal_models).toBe(2);
  });

  it("skips Replicate without a token, and says so", async () => {
    const { found } = await discoverAndCatalog(db(), { REPLICATE_API_TOKEN: undefined });
    expect(found.not_configured).toEqual(["replicate"]);
    expect(fake.requestsTo("replicate")).toHaveLength(0);
    expect(found.errors).toEqual([]);
  });

  it("catalogApi on one candidate: new once, then nothing", async () => {
    const found = await discoverApis({ sources: sources(), db: db(), now: NOW });
    const zeta = found.candidates.find((c) => c.key === "zeta2.1");
    if (!zeta) throw new Error("zeta2.1 should be found");
    expect(await catalogApi(db(), zeta, { now: NOW })).toMatchObject({
      kind: "new_tool",
      tool_id: "zeta2.1",
    });
    expect(await catalogApi(db(), zeta, { now: NOW })).toBeNull();
  });
});
