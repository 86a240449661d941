import { afterEach, describe, expect, it } from "vitest";
import { researchRunReport } from "../../src/cli.js";
import { loadConfig } from "../../src/config.js";
import { ConflictError } from "../../src/domain/errors.js";
import type { AlertDigest, AlertSink } from "../../src/research/alerts.js";
import { createFalAdapter } from "../../src/research/providers/index.js";
import { type ResearchDeps, runResearchOnce } from "../../src/research/run.js";
import { createResearchSources } from "../../src/research/sources/index.js";
import { subscribe } from "../../src/research/subscriptions.js";
import { loadToolSeed } from "../../src/toolstack/seed.js";
import { type FakeProvider, startFakeProvider } from "../fakes/providers.js";
import { type FakeResearch, githubRepo, hfModel, startFakeResearch } from "../fakes/research.js";
import { testBackends, useTestDb } from "../support/db.js";
import { holdResearchLock } from "../support/research-lock.js";

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function recordingSink(): AlertSink & { sent: { channel: string; digest: AlertDigest }[] } {
  const sent: { channel: string; digest: AlertDigest }[] = [];
  return {
    platform: "slack",
    sent,
    sendDigest: async (channel, digest) => void sent.push({ channel: channel.channel, digest }),
  };
}

const PAPER = {
  id: "2611.01234",
  title: "CamFlow: camera-controllable text-to-video generation with diffusion transformers",
  summary:
    "We present a text-to-video diffusion model with precise camera control and temporal consistency for video generation.",
  published: "2026-11-02T00:00:00Z",
  categories: ["cs.CV"],
};

async function fakeSources(): Promise<FakeResearch> {
  const fake = await startFakeResearch({
    arxiv: [PAPER],
    github: [githubRepo("lab/flowcam-video", 4_200)],
    huggingface: [hfModel("studio/motion-diffuser-1", "text-to-video", 9_000)],
  });
  servers.push(fake);
  return fake;
}

describe.each(testBackends())("runResearchOnce on %s", (backend) => {
  const db = useTestDb(backend);

  async function deps(fake: FakeResearch, extra: Partial<ResearchDeps> = {}): Promise<ResearchDeps> {
    const config = loadConfig({ ...fake.config });
    return {
      db: db(),
      sources: createResearchSources(config, { minIntervalMs: 0, retries: 0, backoffMs: 1 }),
      sinks: [],
      now: () => new Date("2026-11-20T06:00:00Z"),
      ...extra,
    };
  }

  it("discovers, tracks papers, records the run and sends the subscribed channel one digest", async () => {
    const fake = await fakeSources();
    await subscribe(db(), { platform: "slack", workspace: "T1", channel: "C1" });
    const sink = recordingSink();

    const run = await runResearchOnce(await deps(fake, { sinks: [sink] }), { trigger: "manual" });

    expect(run.status).toBe("succeeded");
    expect(run.changes.map((c) => c.kind).sort()).toEqual(["new_sota", "new_tool", "new_tool"]);
    expect(sink.sent).toHaveLength(1);
    expect(sink.sent[0]?.digest.items.map((i) => i.text)).toEqual(
      expect.arrayContaining([expect.stringContaining("New paper: CamFlow")]),
    );
    const { rows } = await db().query<{
      status: string;
      trigger: string;
      counts: Record<string, number>;
      finished_at: string | null;
    }>("SELECT status, trigger, counts, finished_at FROM research_runs");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "succeeded", trigger: "manual" });
    expect(rows[0]?.finished_at).not.toBeNull();
    expect(rows[0]?.counts).toMatchObject({ changes: 3, alerts_created: 3, digests_sent: 1 });
  });

  it("is idempotent: a second run on the same data adds nothing and sends no alert", async () => {
    const fake = await fakeSources();
    await subscribe(db(), { platform: "slack", workspace: "T1", channel: "C1" });
    await runResearchOnce(await deps(fake, { sinks: [recordingSink()] }), { trigger: "manual" });
    const count = async (table: string) =>
      (await db().query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]?.n;
    const before = {
      tools: await count("tools"),
      sota: await count("sota_techniques"),
      alerts: await count("alerts"),
    };
    const sink = recordingSink();

    const second = await runResearchOnce(await deps(fake, { sinks: [sink] }), { trigger: "cli" });

    expect(second.status).toBe("succeeded");
    expect(second.changes).toEqual([]);
    expect(sink.sent).toEqual([]);
    expect({
      tools: await count("tools"),
      sota: await count("sota_techniques"),
      alerts: await count("alerts"),
    }).toEqual(before);
  });

  it("a failing source does not stop the others: the run is partial and names it", async () => {
    const fake = await fakeSources();
    fake.fail("github", { status: 500, body: "boom" });

    const run = await runResearchOnce(await deps(fake), { trigger: "manual" });

    expect(run.status).toBe("partial");
    expect(run.errors).toEqual([
      expect.objectContaining({ source: "github", message: expect.stringContaining("HTTP 500") }),
    ]);
    expect(run.changes.filter((c) => c.kind === "new_tool").map((c) => c.name)).toHaveLength(1);
    expect(run.changes.some((c) => c.kind === "new_sota")).toBe(true);
    const { rows } = await db().query<{ status: string; errors: unknown[] }>(
      "SELECT status, errors FROM research_runs",
    );
    expect(rows[0]?.status).toBe("partial");
    expect(rows[0]?.errors).toHaveLength(1);
  });

  it("a later GitHub page failing keeps the first page's repositories; the run is partial and says which page", async () => {
    const fake = await fakeSources();
    const firstPage = Array.from({ length: 100 }, (_, i) => githubRepo(`lab/clip-model-${i}`, 500));
    fake.script(
      "github",
      { body: { total_count: 150, incomplete_results: false, items: firstPage } },
      { status: 502, body: "Bad Gateway" },
    );

    const run = await runResearchOnce(await deps(fake, { discoveryLimits: { githubPerTopic: 150 } }), {
      trigger: "manual",
    });

    const message =
      'github: page 2 of query "topic:text-to-video" failed: HTTP 502: Bad Gateway (/github/search/repositories; gave up after 1 attempt); kept 100 results from page 1';
    expect(run.status).toBe("partial");
    expect(run.errors).toEqual([{ source: "github", message }]);
    expect(researchRunReport(run)).toContain(`  ! ${message}\n`);
    const stored = await db().query<{ status: string; errors: unknown[] }>(
      "SELECT status, errors FROM research_runs",
    );
    expect(stored.rows).toEqual([{ status: "partial", errors: [{ source: "github", message }] }]);
    const kept = await db().query<{ n: number }>(
      "SELECT count(*)::int AS n FROM tools WHERE origin = 'research' AND tool_id LIKE 'clip-model-%'",
    );
    expect(kept.rows[0]?.n).toBe(100);
    // After a failed page GitHub is failing: its other topics are not asked, as after a failed query.
    expect(fake.requestsTo("github")).toHaveLength(2);
  });

  it("GitHub's incomplete_results is a warning for that query: the repositories are kept and the run succeeds", async () => {
    const fake = await fakeSources();
    fake.script("github", {
      body: { total_count: 1, incomplete_results: true, items: [githubRepo("lab/flowcam-video", 4_200)] },
    });

    const run = await runResearchOnce(await deps(fake), { trigger: "manual" });

    const warning = {
      source: "github",
      level: "warning",
      message:
        'github: query "topic:text-to-video" returned incomplete results (GitHub\'s search timed out); some repositories may be missing',
    };
    expect(run.status).toBe("succeeded");
    expect(run.errors).toEqual([warning]);
    expect(researchRunReport(run)).toContain(`  ! (warning) ${warning.message}\n`);
    const stored = await db().query<{ status: string; errors: unknown[] }>(
      "SELECT status, errors FROM research_runs",
    );
    expect(stored.rows).toEqual([{ status: "succeeded", errors: [warning] }]);
    expect(run.changes.filter((c) => c.kind === "new_tool").map((c) => c.tool_id)).toContain("flowcam-video");
    // A warning does not stop the source: its other topics are still searched.
    expect(fake.requestsTo("github")).toHaveLength(3);
  });

  it("every source failing makes the run failed, still recorded", async () => {
    const fake = await fakeSources();
    for (const source of ["arxiv", "github", "huggingface", "fal"] as const)
      fake.fail(source, { status: 503 });

    const run = await runResearchOnce(await deps(fake), { trigger: "manual" });

    expect(run.status).toBe("failed");
    expect(new Set(run.errors.map((e) => e.source))).toEqual(
      new Set(["arxiv", "github", "huggingface", "fal"]),
    );
    expect((await db().query("SELECT 1 FROM research_runs WHERE status = 'failed'")).rows).toHaveLength(1);
  });

  it("benchmarks the tools whose key is configured and lists the others as not benchmarked", async () => {
    await loadToolSeed(db());
    const fake = await fakeSources();
    const provider: FakeProvider = await startFakeProvider("fal", { pollsToFinish: 1 });
    servers.push(provider);
    const adapters = {
      fal: createFalAdapter({ baseUrl: provider.url, apiKey: "fk", minPollIntervalMs: 10 }),
    };

    const run = await runResearchOnce(
      await deps(fake, { benchmark: { keys: { FAL_KEY: "fk" }, adapters, maxSuitesPerRun: 1 } }),
      { trigger: "manual" },
    );

    const ran = run.benchmarks.filter((b) => b.benchmarked).map((b) => b.tool_id);
    expect(ran).toHaveLength(1);
    expect(provider.creates).toHaveLength(5);
    expect(run.benchmarks.find((b) => b.tool_id === "runway-gen4.5")).toMatchObject({
      benchmarked: false,
      reason: "not benchmarked (no RUNWAYML_API_SECRET configured)",
    });
    const { rows } = await db().query<{ tool_id: string }>("SELECT DISTINCT tool_id FROM benchmarks");
    expect(rows.map((r) => r.tool_id)).toEqual(ran);
    expect(run.counts).toMatchObject({ benchmarked: 1 });
  });

  it("refuses a manual run while another holds the lock; a scheduled slot then records 'skipped'", async () => {
    const fake = await fakeSources();
    const d = await deps(fake);
    const { held, release } = await holdResearchLock(db());

    await expect(runResearchOnce(d, { trigger: "manual" })).rejects.toBeInstanceOf(ConflictError);
    const scheduled = await runResearchOnce(d, { trigger: "schedule", slot: "2026-11-20T06:00:00.000Z" });
    release();
    expect((await held).acquired).toBe(true);

    expect(scheduled.status).toBe("skipped");
    const { rows } = await db().query<{ slot: string; status: string }>(
      "SELECT slot, status FROM research_runs",
    );
    expect(rows).toEqual([{ slot: "2026-11-20T06:00:00.000Z", status: "skipped" }]);
    expect(fake.requests).toEqual([]);
    expect((await runResearchOnce(d, { trigger: "manual" })).status).toBe("succeeded");
  });

  it("marks a run left 'running' by a dead process as failed (interrupted)", async () => {
    const fake = await fakeSources();
    await db().query(
      "INSERT INTO research_runs (run_id, trigger, started_at) VALUES ('dead', 'schedule', now() - interval '3 hours')",
    );
    await runResearchOnce(await deps(fake), { trigger: "manual" });
    const { rows } = await db().query<{ status: string; errors: { message: string }[] }>(
      "SELECT status, errors FROM research_runs WHERE run_id = 'dead'",
    );
    expect(rows[0]?.status).toBe("failed");
    expect(rows[0]?.errors[0]?.message).toMatch(/^interrupted/);
  });
});
