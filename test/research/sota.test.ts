import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  fetchArxivPapers,
  RELEVANCE_BAR,
  relevanceScore,
  trackSotaTechniques,
  updateSotaDatabase,
} from "../../src/research/sota.js";
import type { ArxivPaper } from "../../src/research/sources/index.js";
import { createResearchSources } from "../../src/research/sources/index.js";
import { loadToolSeed } from "../../src/toolstack/seed.js";
import {
  arxivWan,
  atomFeed,
  emptyData,
  type FakeResearch,
  generateArxivEntries,
  startFakeResearch,
} from "../fakes/research.js";
import { testBackends, useTestDb } from "../support/db.js";

const NOW = new Date("2026-11-20T06:00:00Z");
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000).toISOString();

function paper(id: string, title: string, summary: string, fields: Partial<ArxivPaper> = {}): ArxivPaper {
  const published = fields.published ?? daysAgo(5);
  return {
    arxiv_id: id,
    version: 1,
    title,
    summary,
    authors: ["A. Author"],
    published,
    updated: published,
    categories: ["cs.CV"],
    primary_category: "cs.CV",
    abs_url: `http://arxiv.org/abs/${id}v${fields.version ?? 1}`,
    pdf_url: null,
    comment: null,
    ...fields,
  };
}

const wanPaper = () =>
  paper("2503.20314", arxivWan().title, arxivWan().summary, { published: "2025-03-26T08:25:43.000Z" });

describe("relevance score", () => {
  it("weighs topics in the title fully and in the abstract at 60 %", () => {
    expect(relevanceScore("Wan: Open and Advanced Large-Scale Video Generative Models", "")).toBe(0.5);
    expect(relevanceScore("A Method", "We improve video generation.")).toBe(0.3);
    expect(relevanceScore("Lip-Sync for Everyone", "A video diffusion model.")).toBe(0.6);
    expect(
      relevanceScore(
        "Camera Control for Text-to-Video with Character Consistency",
        "talking head lip sync in video generation",
      ),
    ).toBe(1);
    expect(relevanceScore("Robust Image Segmentation", "Results on benchmarks.")).toBe(0);
  });
});

describe.each(testBackends())("SOTA database (%s)", (backend) => {
  const db = useTestDb(backend);
  const techniques = async () =>
    (
      await db().query<{ technique_id: string; status: string; related_tools: string[]; papers: unknown[] }>(
        "SELECT technique_id, status, related_tools, papers FROM sota_techniques ORDER BY technique_id",
      )
    ).rows;
  const statusOf = async (id: string) => (await techniques()).find((t) => t.technique_id === id)?.status;

  it("stores every paper as a technique; only those at or above the relevance bar are new_sota changes", async () => {
    const relevant = paper("2611.00001", "Zeta: Fast Video Generation", "A text-to-video model.");
    const offTopic = paper("2611.00002", "Robust Image Segmentation", "Results on benchmarks.");
    const changes = await updateSotaDatabase(db(), [relevant, offTopic], { now: NOW });
    expect(changes).toEqual([
      {
        kind: "new_sota",
        technique_id: "arxiv:2611.00001",
        title: "Zeta: Fast Video Generation",
        url: "https://arxiv.org/abs/2611.00001",
        relevance: 0.5,
      },
    ]);
    expect(changes.every((c) => c.kind === "new_sota" && c.relevance >= RELEVANCE_BAR)).toBe(true);
    const { rows } = await db().query<{
      technique_id: string;
      name: string;
      status: string;
      relevance: number;
    }>("SELECT technique_id, name, status, relevance FROM sota_techniques ORDER BY technique_id");
    expect(rows).toEqual([
      { technique_id: "arxiv:2611.00001", name: "Zeta", status: "new", relevance: 0.5 },
      { technique_id: "arxiv:2611.00002", name: "Robust Image Segmentation", status: "new", relevance: 0 },
    ]);
  });

  it("is idempotent: the same papers again change nothing and return no changes", async () => {
    const papers = [paper("2611.00001", "Zeta: Fast Video Generation", "A text-to-video model.")];
    await updateSotaDatabase(db(), papers, { now: NOW });
    const before = JSON.stringify((await db().query("SELECT * FROM sota_techniques")).rows);
    expect(await updateSotaDatabase(db(), papers, { now: NOW })).toEqual([]);
    expect(JSON.stringify((await db().query("SELECT * FROM sota_techniques")).rows)).toBe(before);
  });

  it("appends a newer arXiv version to the technique without a second alert", async () => {
    const v1 = paper("2611.00001", "Zeta: Fast Video Generation", "A text-to-video model.");
    await updateSotaDatabase(db(), [v1], { now: NOW });
    const v2 = { ...v1, version: 2, updated: daysAgo(1), summary: "A better text-to-video model." };
    expect(await updateSotaDatabase(db(), [v2, v1], { now: NOW })).toEqual([]);
    const [row] = await techniques();
    expect(((row?.papers ?? []) as { version: number }[]).map((p) => p.version)).toEqual([1, 2]);
  });

  it("links a paper to the seed tool that cites it, and marks it adopted", async () => {
    await loadToolSeed(db());
    await updateSotaDatabase(db(), [wanPaper()], { now: NOW });
    const [row] = await techniques();
    expect(row?.related_tools).toContain("wan-2.2");
    expect(row?.status).toBe("adopted");
  });

  it("links tools named in the abstract", async () => {
    await loadToolSeed(db());
    await updateSotaDatabase(
      db(),
      [
        paper(
          "2611.00009",
          "Benchmarking Motion",
          "We compare HunyuanVideo and Runway Gen-4 Turbo on motion.",
        ),
      ],
      { now: NOW },
    );
    expect((await techniques())[0]?.related_tools).toEqual(["hunyuanvideo", "runway-gen4-turbo"]);
  });

  it("marks a technique trending when recent papers mention it, or its repository has many stars", async () => {
    const zeta = paper("2611.00001", "Zeta: Fast Video Generation", "A text-to-video model.");
    const quiet = paper(
      "2611.00005",
      "Kappa: Quiet Video Generation",
      "Code at https://github.com/acme/kappa.",
    );
    await updateSotaDatabase(db(), [zeta, quiet], { now: NOW });
    expect(await statusOf("arxiv:2611.00001")).toBe("new");
    expect(await statusOf("arxiv:2611.00005")).toBe("new");

    const citing = [
      paper("2611.00002", "Faster Sampling", "We build on Zeta for video generation."),
      paper("2611.00003", "Longer Clips", "Extending Zeta to minute-long video."),
    ];
    await updateSotaDatabase(db(), citing, { now: NOW, repoStars: { "acme/kappa": 5000 } });
    expect(await statusOf("arxiv:2611.00001")).toBe("trending");
    expect(await statusOf("arxiv:2611.00005")).toBe("trending");
  });

  it("does not count mentions older than the trending window", async () => {
    const zeta = paper("2611.00001", "Zeta: Fast Video Generation", "A text-to-video model.");
    const old = [
      paper("2601.00002", "Faster Sampling", "We build on Zeta.", { published: daysAgo(90) }),
      paper("2601.00003", "Longer Clips", "Extending Zeta.", { published: daysAgo(80) }),
    ];
    await updateSotaDatabase(db(), [zeta, ...old], { now: NOW });
    expect(await statusOf("arxiv:2611.00001")).toBe("new");
  });

  it("marks the older paper of a family superseded when a newer version appears", async () => {
    const zeta1 = paper("2601.00001", "Zeta: Fast Video Generation", "A text-to-video model.", {
      published: daysAgo(200),
    });
    await updateSotaDatabase(db(), [zeta1], { now: NOW });
    expect(await statusOf("arxiv:2601.00001")).toBe("new");
    const zeta2 = paper("2611.00001", "Zeta 2: Faster Video Generation", "The next text-to-video model.");
    const changes = await updateSotaDatabase(db(), [zeta2], { now: NOW });
    expect(changes.map((c) => (c.kind === "new_sota" ? c.technique_id : null))).toEqual(["arxiv:2611.00001"]);
    expect(await statusOf("arxiv:2601.00001")).toBe("superseded");
    expect(await statusOf("arxiv:2611.00001")).toBe("new");
  });
});

describe.each(testBackends())("SOTA tracking through the fake arXiv (%s)", (backend) => {
  const db = useTestDb(backend);
  let fake: FakeResearch;
  beforeAll(async () => {
    fake = await startFakeResearch();
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    Object.assign(fake.data, emptyData());
    fake.fail("arxiv", null);
  });
  const arxiv = () =>
    createResearchSources(fake.config, { minIntervalMs: 0, retries: 1, backoffMs: 5 }).arxiv;

  it("fetchArxivPapers pages through a query", async () => {
    fake.data.arxiv = generateArxivEntries(25);
    const papers = await fetchArxivPapers("abs:video", { source: arxiv(), maxResults: 20, pageSize: 10 });
    expect(papers).toHaveLength(20);
    expect(papers[0]).toMatchObject({ arxiv_id: "2611.00000", version: 1 });
  });

  it("a later arXiv page failing: the first page's papers are stored, the failed page is reported", async () => {
    const papers = generateArxivEntries(4);
    fake.script("arxiv", { type: "application/atom+xml", body: atomFeed(papers.slice(0, 2), 4, 0) });
    fake.fail("arxiv", { status: 500, body: "down" });

    const result = await trackSotaTechniques({
      sources: { arxiv: arxiv() },
      db: db(),
      now: NOW,
      queries: ["abs:video"],
      pageSize: 2,
    });

    expect(result.errors).toEqual([
      {
        source: "arxiv",
        message:
          'arxiv: page 2 of query "abs:video" failed: HTTP 500: down (/arxiv/api/query; gave up after 2 attempts); kept 2 results from page 1',
      },
    ]);
    const stored = await db().query<{ technique_id: string }>(
      "SELECT technique_id FROM sota_techniques ORDER BY technique_id",
    );
    expect(stored.rows.map((r) => r.technique_id)).toEqual(papers.slice(0, 2).map((p) => `arxiv:${p.id}`));
  });

  it("fetchArxivPapers, which returns only papers, throws when a later page failed", async () => {
    fake.script("arxiv", { type: "application/atom+xml", body: atomFeed(generateArxivEntries(2), 4, 0) });
    fake.fail("arxiv", { status: 500, body: "down" });
    await expect(fetchArxivPapers("abs:video", { source: arxiv(), pageSize: 2 })).rejects.toThrow(
      /arxiv: page 2 of query "abs:video" failed/,
    );
  });

  it("trackSotaTechniques stores papers once across queries, and reports a failing arXiv without throwing", async () => {
    fake.data.arxiv = generateArxivEntries(6);
    const ok = await trackSotaTechniques({ sources: { arxiv: arxiv() }, db: db(), now: NOW });
    expect(ok.errors).toEqual([]);
    expect(ok.counts).toMatchObject({ arxiv_papers: 6, techniques_new: 6 });
    expect(ok.changes.length).toBeGreaterThan(0);

    fake.fail("arxiv", { status: 500, body: "down" });
    const failed = await trackSotaTechniques({ sources: { arxiv: arxiv() }, db: db(), now: NOW });
    expect(failed.errors).toEqual([{ source: "arxiv", message: expect.stringMatching(/arxiv: HTTP 500/) }]);
    expect(failed.changes).toEqual([]);
  });
});
