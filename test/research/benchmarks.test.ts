import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  type BenchmarkDeps,
  benchmarkPrompts,
  benchmarkTools,
  failingChange,
  runBenchmarkSuite,
} from "../../src/research/benchmarks.js";
import { createFalAdapter, createRunwayAdapter } from "../../src/research/providers/index.js";
import {
  calculateQualityScores,
  createHttpQualityScorer,
  type QualityScorer,
} from "../../src/research/quality.js";
import { getTool } from "../../src/toolstack/catalog.js";
import { loadToolSeed } from "../../src/toolstack/seed.js";
import { type FakeProvider, pollGaps, startFakeProvider } from "../fakes/providers.js";
import { testBackends, useTestDb } from "../support/db.js";

const POLL_MS = 30;
const fakes: FakeProvider[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

describe("benchmark prompt suite", () => {
  it("covers a person, a product, a landscape, on-screen text and motion", () => {
    const covers = benchmarkPrompts().map((p) => p.covers);
    expect(covers).toEqual(expect.arrayContaining(["person", "product", "landscape", "text", "motion"]));
  });
});

describe("calculateQualityScores", () => {
  const runs = [
    { tool_id: "t", prompt: "p", status: "succeeded" as const, output_url: "http://v/1.mp4" },
    { tool_id: "t", prompt: "p", status: "failed" as const, output_url: null },
  ];

  it("gives null, never a figure, when no scorer is configured", async () => {
    const scored = await calculateQualityScores(runs);
    expect(scored.map((r) => r.quality_score)).toEqual([null, null]);
    expect(scored[0]?.quality_note).toBe("no quality scorer configured");
  });

  it("asks a plugged-in scorer about successful videos only; a scorer error leaves null", async () => {
    const asked: string[] = [];
    const scorer: QualityScorer = {
      name: "test-scorer",
      async score({ videoUrl }) {
        asked.push(videoUrl);
        return 0.8;
      },
    };
    expect((await calculateQualityScores(runs, scorer)).map((r) => r.quality_score)).toEqual([0.8, null]);
    expect(asked).toEqual(["http://v/1.mp4"]);

    const broken: QualityScorer = { name: "broken", score: () => Promise.reject(new Error("GPU busy")) };
    const [first] = await calculateQualityScores(runs, broken);
    expect(first?.quality_score).toBeNull();
    expect(first?.quality_note).toContain("GPU busy");
  });
});

describe("createHttpQualityScorer", () => {
  it("posts the video to the scorer endpoint and accepts only a score in 0..1", async () => {
    const bodies: unknown[] = [];
    let reply: unknown = { score: 0.73 };
    const server = createServer((req, res) => {
      let raw = "";
      req.on("data", (c) => {
        raw += c;
      });
      req.on("end", () => {
        bodies.push(JSON.parse(raw));
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(reply));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    fakes.push({
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    } as FakeProvider);
    const scorer = createHttpQualityScorer({
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/score`,
    });
    const runs = [
      { tool_id: "t", prompt: "a dog", status: "succeeded" as const, output_url: "http://v/1.mp4" },
    ];

    expect((await calculateQualityScores(runs, scorer))[0]?.quality_score).toBe(0.73);
    expect(bodies).toEqual([{ video_url: "http://v/1.mp4", prompt: "a dog", tool_id: "t" }]);

    reply = { score: 7 };
    const [bad] = await calculateQualityScores(runs, scorer);
    expect(bad?.quality_score).toBeNull();
    expect(bad?.quality_note).toMatch(/not \{ score: 0\.\.1 \| null \}/);
  });
});

describe.each(testBackends())("runBenchmarkSuite on %s", (backend) => {
  const db = useTestDb(backend);

  async function setup(outcome?: (prompt: string) => { ok: true } | { ok: false; reason: string }) {
    await loadToolSeed(db());
    const fal = await startFakeProvider("fal", { pollsToFinish: 2, outcome });
    fakes.push(fal);
    const deps: BenchmarkDeps = {
      db: db(),
      keys: { FAL_KEY: "fk" },
      adapters: { fal: createFalAdapter({ baseUrl: fal.url, apiKey: "fk", minPollIntervalMs: POLL_MS }) },
    };
    return { fal, deps };
  }

  it("creates a task per prompt, polls at the interval and records latency, success and cost per second", async () => {
    const { fal, deps } = await setup((prompt) =>
      prompt.includes("neon sign") ? { ok: false, reason: "text not allowed" } : { ok: true },
    );
    const tool = await getTool(db(), "kling-v2.5-turbo");

    const result = await runBenchmarkSuite(tool, deps);

    if (!result.benchmarked) throw new Error(result.reason);
    expect(fal.creates).toHaveLength(5);
    expect(fal.creates[0]?.path).toBe("/fal-ai/kling-video/v2.5-turbo/pro/text-to-video");
    expect(fal.creates[0]?.body).toMatchObject({ duration: "5", aspect_ratio: "16:9" });
    expect(fal.polls).toHaveLength(10);
    for (const gap of pollGaps(fal.polls)) expect(gap).toBeGreaterThanOrEqual(POLL_MS - 2);
    expect(result.success_rate).toBe(0.8);
    expect(result.cost_per_second).toBe(0.07); // $0.35 per 5 s clip (seed)
    expect(result.runs.find((r) => r.prompt_id === "text-sign")?.failure).toContain("text not allowed");

    const { rows } = await db().query<{
      test_prompt: string;
      latency_seconds: number | null;
      success_rate: number;
      cost_per_second: number;
      quality_score: number | null;
    }>(
      "SELECT test_prompt, latency_seconds, success_rate, cost_per_second, quality_score FROM benchmarks WHERE tool_id = 'kling-v2.5-turbo'",
    );
    expect(rows).toHaveLength(5);
    expect(rows.filter((r) => r.success_rate === 1)).toHaveLength(4);
    for (const row of rows) {
      expect(row.cost_per_second).toBe(0.07);
      expect(row.quality_score).toBeNull();
      if (row.success_rate === 1) expect(row.latency_seconds).toBeGreaterThanOrEqual(POLL_MS / 1000 - 0.005);
      else expect(row.latency_seconds).toBeNull();
    }
  });

  it("lists tools without a configured key as not benchmarked, with no numbers", async () => {
    const { fal, deps } = await setup();
    const tools = await Promise.all(
      ["runway-gen4.5", "luma-ray2", "pika-2.2"].map((id) => getTool(db(), id)),
    );

    const { results } = await benchmarkTools(tools, deps);

    expect(results.find((r) => r.tool_id === "runway-gen4.5")).toEqual({
      tool_id: "runway-gen4.5",
      name: "Runway Gen-4.5",
      benchmarked: false,
      reason: "not benchmarked (no RUNWAYML_API_SECRET configured)",
    });
    expect(results.find((r) => r.tool_id === "luma-ray2")).toMatchObject({
      benchmarked: false,
      reason: "not benchmarked (no LUMA_API_KEY configured)",
    });
    expect(results.find((r) => r.tool_id === "pika-2.2")?.benchmarked).toBe(true);
    expect(fal.creates.every((c) => c.path.includes("pika"))).toBe(true);
    const { rows } = await db().query<{ tool_id: string }>("SELECT DISTINCT tool_id FROM benchmarks");
    expect(rows.map((r) => r.tool_id)).toEqual(["pika-2.2"]);
  });

  it("reports a tool that fails most prompts as failing, and does not re-run a fresh benchmark", async () => {
    const { fal, deps } = await setup(() => ({ ok: false, reason: "upstream model offline" }));
    const tools = [await getTool(db(), "pika-2.2")];

    const first = await benchmarkTools(tools, deps);
    expect(first.changes).toEqual([
      {
        kind: "tool_failing",
        tool_id: "pika-2.2",
        name: "Pika 2.2",
        success_rate: 0,
        detail: "5 of 5 prompts failed: upstream model offline",
      },
    ]);

    const second = await benchmarkTools(tools, deps);
    expect(second.changes).toEqual([]);
    expect(second.results[0]).toMatchObject({
      benchmarked: false,
      reason: expect.stringMatching(/^benchmarked recently/),
    });
    expect(fal.creates).toHaveLength(5);
    const { rows } = await db().query<{ n: number }>("SELECT count(*)::int AS n FROM benchmarks");
    expect(rows[0]?.n).toBe(5);
  });

  it("skips image-only and video-to-video models when the suite has no input to give them", async () => {
    await loadToolSeed(db());
    const keys = { RUNWAYML_API_SECRET: "rk" };
    const adapters = { runway: createRunwayAdapter({ baseUrl: "http://127.0.0.1:9", apiKey: "rk" }) };
    const { results } = await benchmarkTools(
      [await getTool(db(), "runway-gen4-turbo"), await getTool(db(), "runway-gen4-aleph")],
      { db: db(), keys, adapters },
    );
    expect(results.map((r) => (r.benchmarked ? "ran" : r.reason))).toEqual([
      "not benchmarked (not a text- or image-to-video model)",
      "not benchmarked (needs an input image; no benchmark image configured)",
    ]);
  });
});

describe("failingChange", () => {
  it("is null at or above the bar", () => {
    const result = {
      tool_id: "t",
      name: "T",
      benchmarked: true as const,
      tested_at: "2025-01-01T00:00:00.000Z",
      provider: "fal" as const,
      model: "m",
      duration_s: 5,
      runs: [],
      success_rate: 0.5,
      mean_latency_s: null,
      cost_per_second: null,
      quality_score: null,
    };
    expect(failingChange(result)).toBeNull();
    expect(failingChange({ ...result, success_rate: 0.4 })?.kind).toBe("tool_failing");
  });
});
