import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { UpstreamError } from "../../src/domain/errors.js";
import { type ResearchDeps, runResearchOnce } from "../../src/research/run.js";
import {
  createResearchSources,
  type ResearchSources,
  type ResearchSourcesConfig,
} from "../../src/research/sources/index.js";
import {
  type ArxivFixture,
  atomFeed,
  emptyData,
  type FakeReply,
  type FakeResearch,
  type FakeSourceName,
  falModel,
  githubRepo,
  hfModel,
  replicateModel,
  startFakeResearch,
} from "../fakes/research.js";
import { testBackends, useTestDb } from "../support/db.js";

/**
 * The research sources against what the real services send on a bad day: odd Atom entries, rate limits
 * as GitHub documents them, relative pagination links, stalled and dropped connections.
 */

let fake: FakeResearch;
let waits: number[];

/** Sources whose waits are recorded instead of slept (the waits are what the tests check). */
function sourcesFor(config: Partial<ResearchSourcesConfig> = {}): ResearchSources {
  return createResearchSources(
    { ...fake.config, ...config },
    {
      minIntervalMs: 0,
      retries: 2,
      backoffMs: 5,
      timeoutMs: 1000,
      sleep: async (ms) => {
        waits.push(ms);
      },
    },
  );
}

const paper = (id: string, extra: Partial<ArxivFixture> = {}): ArxivFixture => ({
  id,
  title: `Paper ${id}: text-to-video generation`,
  summary: "A video generation model.",
  published: "2026-11-02T00:00:00Z",
  ...extra,
});

const feedHead = `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom">
  <opensearch:totalResults>3</opensearch:totalResults>`;
const rawEntry = (id: string, title: string, summary: string, dates = true) => `
  <entry>
    <id>http://arxiv.org/abs/${id}</id>
    ${dates ? "<updated>2026-11-02T00:00:00Z</updated><published>2026-11-02T00:00:00Z</published>" : ""}
    <title>${title}</title>
    <summary>${summary}</summary>
    <author><name>Ren&#233;e M&#xFC;ller</name></author>
  </entry>`;

beforeAll(async () => {
  fake = await startFakeResearch();
});
afterAll(() => fake.close());
afterEach(() => {
  Object.assign(fake.data, emptyData());
  fake.requests.length = 0;
  for (const s of ["arxiv", "github", "huggingface", "replicate", "fal"] as const) fake.fail(s, null);
  waits = [];
});

describe("arXiv feeds on a bad day", () => {
  it("decodes character references and CDATA, skips an entry without dates, keeps both versions of a paper", async () => {
    waits = [];
    fake.script("arxiv", {
      type: "application/atom+xml",
      body: `${feedHead}${rawEntry("2611.00001v1", "Caf&#233; &amp; Lip-Sync &#x2014; a study", "Na&#xEF;ve &lt;b&gt;")}${rawEntry(
        "2611.00002v2",
        "<![CDATA[Video Generation & More]]>",
        "<![CDATA[ a < b ]]>",
      )}${rawEntry("2611.00003v1", "No dates", "x", false)}${rawEntry("2611.00002v1", "Video Generation", "old")}
</feed>`,
    });

    const batch = await sourcesFor().arxiv.search("all:video", { maxResults: 10 });

    expect(batch.skipped).toBe(1);
    expect(batch.records.map((p) => [p.arxiv_id, p.version, p.title])).toEqual([
      ["2611.00001", 1, "Café & Lip-Sync — a study"],
      ["2611.00002", 2, "Video Generation & More"],
      ["2611.00002", 1, "Video Generation"],
    ]);
    expect(batch.records[0]?.summary).toBe("Naïve <b>");
    expect(batch.records[0]?.authors).toEqual(["Renée Müller"]);
    expect(batch.records[1]?.summary).toBe("a < b");
  });

  it("asks again for a page that came back empty before the feed's total was reached", async () => {
    waits = [];
    const papers = [paper("2611.00001"), paper("2611.00002"), paper("2611.00003")];
    fake.data.arxiv = papers;
    fake.script(
      "arxiv",
      { type: "application/atom+xml", body: atomFeed(papers.slice(0, 2), 3, 0) },
      { type: "application/atom+xml", body: atomFeed([], 3, 2) },
    );

    const batch = await sourcesFor().arxiv.search("all:video", { maxResults: 10, pageSize: 2 });

    expect(batch.records.map((p) => p.arxiv_id)).toEqual(["2611.00001", "2611.00002", "2611.00003"]);
    expect(fake.requestsTo("arxiv").map((r) => r.query.start)).toEqual(["0", "2", "2"]);
  });

  it("a feed with totalResults 0 is no papers and no error, in one request", async () => {
    waits = [];
    const batch = await sourcesFor().arxiv.search("all:nothingmatches");
    expect(batch).toEqual({ records: [], skipped: 0, total: 0 });
    expect(fake.requestsTo("arxiv")).toHaveLength(1);
  });

  it("an HTML error page sent with status 200 is a malformed reply for arXiv", async () => {
    waits = [];
    fake.script("arxiv", {
      type: "text/html",
      body: "<!DOCTYPE html><html><body><h1>Service Unavailable</h1><p>Try later<br></p></body></html>",
    });
    await expect(sourcesFor().arxiv.search("all:video")).rejects.toThrow(/arxiv: malformed reply/);
  });
});

describe("GitHub rate limits, as GitHub documents them", () => {
  const search = (sources = sourcesFor()) =>
    sources.github.searchRepositories("text-to-video", { pushedSince: "2026-01-01" });

  it("a 403 with x-ratelimit-remaining 0 waits until x-ratelimit-reset, then reads the results", async () => {
    waits = [];
    fake.data.github = [githubRepo("lab/flowcam-video", 4_200)];
    const reset = Math.floor(Date.now() / 1000) + 2;
    fake.script("github", {
      status: 403,
      headers: { "x-ratelimit-limit": "10", "x-ratelimit-remaining": "0", "x-ratelimit-reset": `${reset}` },
      body: { message: "API rate limit exceeded for 127.0.0.1." },
    });

    const batch = await search();

    expect(batch.records.map((r) => r.full_name)).toEqual(["lab/flowcam-video"]);
    expect(fake.requestsTo("github")).toHaveLength(2);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(1000);
    expect(waits[0]).toBeLessThanOrEqual(3000);
  });

  it("a 429 with x-ratelimit-remaining 0 waits until the reset too, not the short backoff", async () => {
    waits = [];
    const reset = Math.floor(Date.now() / 1000) + 2;
    fake.script("github", {
      status: 429,
      headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": `${reset}` },
      body: { message: "API rate limit exceeded" },
    });
    await search();
    expect(waits[0]).toBeGreaterThanOrEqual(1000);
  });

  it("a secondary rate limit waits its retry-after, or a minute when no header says", async () => {
    waits = [];
    const secondary = { message: "You have exceeded a secondary rate limit. Please wait a few minutes." };
    fake.script(
      "github",
      { status: 403, headers: { "retry-after": "7" }, body: secondary },
      { status: 403, body: secondary },
    );

    await search();

    expect(waits).toEqual([7000, 60_000]);
    expect(fake.requestsTo("github")).toHaveLength(3);
  });

  it("a reset an hour away fails at once, saying when to come back, without asking again early", async () => {
    waits = [];
    const reset = Math.floor(Date.now() / 1000) + 3600;
    fake.fail("github", {
      status: 403,
      headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": `${reset}` },
      body: { message: "API rate limit exceeded for 127.0.0.1." },
    });

    const error = await search().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as Error).message).toMatch(/github: rate limited until \d{4}-\d\d-\d\dT.*HTTP 403/);
    expect(fake.requestsTo("github")).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it("incomplete_results on several pages of a query is one warning; every page's repositories are kept", async () => {
    waits = [];
    const incomplete = (name: string) => ({
      body: { total_count: 2, incomplete_results: true, items: [githubRepo(name, 300)] },
    });
    fake.script("github", incomplete("lab/one-video"), incomplete("lab/two-video"));

    const batch = await sourcesFor().github.searchRepositories("text-to-video", {
      pushedSince: "2026-01-01",
      pageSize: 1,
    });

    expect(batch.records.map((r) => r.full_name)).toEqual(["lab/one-video", "lab/two-video"]);
    expect(batch.problems).toEqual([
      {
        level: "warning",
        message:
          'github: query "topic:text-to-video" returned incomplete results (GitHub\'s search timed out); some repositories may be missing',
      },
    ]);
  });

  it("a 403 that is not a rate limit fails at once", async () => {
    waits = [];
    fake.fail("github", { status: 403, body: { message: "Resource not accessible by integration" } });
    await expect(search()).rejects.toThrow(/github: HTTP 403/);
    expect(fake.requestsTo("github")).toHaveLength(1);
  });
});

describe("a later page failing, after the retries, keeps the pages before it", () => {
  const down: FakeReply = { status: 503, body: "down" };
  const cases: {
    source: FakeSourceName;
    firstPage: () => FakeReply;
    read: (sources: ResearchSources) => Promise<{ records: unknown[]; problems?: unknown[] }>;
    message: string;
  }[] = [
    {
      source: "arxiv",
      firstPage: () => ({
        type: "application/atom+xml",
        body: atomFeed([paper("2611.00001"), paper("2611.00002")], 5, 0),
      }),
      read: (sources) => sources.arxiv.search("all:video", { pageSize: 2 }),
      message:
        'arxiv: page 2 of query "all:video" failed: HTTP 503: down (/arxiv/api/query; gave up after 3 attempts); kept 2 results from page 1',
    },
    {
      source: "huggingface",
      firstPage: () => ({
        body: [hfModel("a/one"), hfModel("b/two")],
        headers: { link: '</hf/api/models?pipeline_tag=text-to-video&limit=2&cursor=2>; rel="next"' },
      }),
      read: (sources) => sources.huggingface.listModels("text-to-video", { pageSize: 2 }),
      message:
        'huggingface: page 2 of query "pipeline_tag:text-to-video" failed: HTTP 503: down (/hf/api/models; gave up after 3 attempts); kept 2 results from page 1',
    },
    {
      source: "fal",
      firstPage: () => ({
        body: {
          models: [
            falModel("fal-ai/a/text-to-video", "text-to-video", "A"),
            falModel("fal-ai/b/text-to-video", "text-to-video", "B"),
          ],
          has_more: true,
          next_cursor: "2",
        },
      }),
      read: (sources) => sources.fal.listModels("text-to-video", { pageSize: 2 }),
      message:
        'fal: page 2 of query "category:text-to-video" failed: HTTP 503: down (/fal/v1/models; gave up after 3 attempts); kept 2 results from page 1',
    },
    {
      source: "replicate",
      firstPage: () => ({
        body: {
          next: `${fake.url}/replicate/v1/models?cursor=2`,
          results: [replicateModel("o", "a"), replicateModel("o", "b")],
        },
      }),
      read: (sources) =>
        (sources.replicate as NonNullable<ResearchSources["replicate"]>).listModels({ maxPages: 3 }),
      message:
        'replicate: page 2 of query "all models" failed: HTTP 503: down (/replicate/v1/models; gave up after 3 attempts); kept 2 results from page 1',
    },
  ];

  it.each(cases)("$source: returns page 1's records and names the page that failed", async (c) => {
    waits = [];
    fake.script(c.source, c.firstPage());
    fake.fail(c.source, down);

    const batch = await c.read(sourcesFor({ REPLICATE_API_TOKEN: "r8" }));

    expect(batch.records).toHaveLength(2);
    expect(batch.problems).toEqual([{ message: c.message }]);
  });

  it("GitHub: says which pages were kept when page 3 fails", async () => {
    waits = [];
    const repos = [githubRepo("lab/one-video", 300), githubRepo("lab/two-video", 200)];
    fake.script(
      "github",
      { body: { total_count: 5, incomplete_results: false, items: repos.slice(0, 1) } },
      { body: { total_count: 5, incomplete_results: false, items: repos.slice(1) } },
    );
    fake.fail("github", down);

    const batch = await sourcesFor().github.searchRepositories("text-to-video", {
      pushedSince: "2026-01-01",
      pageSize: 1,
    });

    expect(batch.records.map((r) => r.full_name)).toEqual(["lab/one-video", "lab/two-video"]);
    expect(batch.problems).toEqual([
      {
        message:
          'github: page 3 of query "topic:text-to-video" failed: HTTP 503: down (/github/search/repositories; gave up after 3 attempts); kept 2 results from pages 1–2',
      },
    ]);
  });

  it("a first page failing is still the query failing", async () => {
    waits = [];
    fake.fail("huggingface", down);
    await expect(sourcesFor().huggingface.listModels("text-to-video")).rejects.toThrow(
      /huggingface: HTTP 503/,
    );
  });
});

describe("Hugging Face pagination and rate limits", () => {
  it("a 429 waits the t= seconds of its RateLimit header, or fails at once when the window is minutes away", async () => {
    waits = [];
    fake.data.huggingface = [hfModel("a/one")];
    fake.script("huggingface", {
      status: 429,
      headers: { ratelimit: '"api";r=0;t=12', "ratelimit-policy": '"fixed window";"api";q=500;w=300' },
      body: { error: "Too Many Requests" },
    });
    await sourcesFor().huggingface.listModels("text-to-video");
    expect(waits).toEqual([12_000]);

    fake.script("huggingface", { status: 429, headers: { ratelimit: '"api";r=0;t=240' }, body: {} });
    await expect(sourcesFor().huggingface.listModels("text-to-video")).rejects.toThrow(
      /huggingface: rate limited until/,
    );
  });

  it("follows a relative Link target against the reply's URL", async () => {
    waits = [];
    fake.data.huggingface = [hfModel("a/one"), hfModel("b/two"), hfModel("c/three")];
    fake.script("huggingface", {
      body: [hfModel("a/one"), hfModel("b/two")],
      headers: { link: '</hf/api/models?pipeline_tag=text-to-video&limit=2&cursor=2>; rel="next"' },
    });

    const batch = await sourcesFor().huggingface.listModels("text-to-video", { pageSize: 2 });

    expect(fake.requestsTo("huggingface").map((r) => r.path)).toEqual(["/api/models", "/api/models"]);
    expect(batch.records.map((m) => m.model_id)).toEqual(["a/one", "b/two", "c/three"]);
  });

  it("keeps a model without downloads, likes or dates, with those unknown (null)", async () => {
    waits = [];
    fake.script("huggingface", { body: [{ id: "lab/bare-model", pipeline_tag: "text-to-video" }] });
    const batch = await sourcesFor().huggingface.listModels("text-to-video");
    expect(batch.records).toEqual([
      expect.objectContaining({
        model_id: "lab/bare-model",
        downloads: null,
        likes: null,
        trending_score: null,
        created_at: null,
        last_modified: null,
      }),
    ]);
  });
});

describe("bad connections", () => {
  it("a body that stalls after the headers times out like a silent server, is retried, and names the source", async () => {
    waits = [];
    fake.fail("huggingface", { body: [hfModel("a/one")], misbehave: "stall" });
    const error = await sourcesFor()
      .huggingface.listModels("text-to-video")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as Error).message).toMatch(/huggingface: no answer within 1000 ms/);
    expect(fake.requestsTo("huggingface")).toHaveLength(2);
  });

  it("a connection dropped mid-body is retried", async () => {
    waits = [];
    fake.data.huggingface = [hfModel("a/one")];
    fake.script("huggingface", { body: [hfModel("a/one")], misbehave: "cut" });
    const batch = await sourcesFor().huggingface.listModels("text-to-video");
    expect(batch.records.map((m) => m.model_id)).toEqual(["a/one"]);
    expect(fake.requestsTo("huggingface")).toHaveLength(2);
  });

  it("a refused connection says so", async () => {
    waits = [];
    const closed = await startFakeResearch();
    const url = closed.config.HF_API_URL;
    await closed.close();
    await expect(sourcesFor({ HF_API_URL: url }).huggingface.listModels("text-to-video")).rejects.toThrow(
      /huggingface: network error \(ECONNREFUSED\)/,
    );
  });
});

describe.each(testBackends())("a research run on a bad day on %s", (backend) => {
  const db = useTestDb(backend);

  function deps(): ResearchDeps {
    const config = loadConfig({ ...fake.config });
    return {
      db: db(),
      sources: createResearchSources(config, {
        minIntervalMs: 0,
        retries: 1,
        backoffMs: 1,
        timeoutMs: 1000,
        sleep: async () => undefined,
      }),
      sinks: [],
      arxivQueries: ['abs:"video generation"'],
      now: () => new Date("2026-11-20T06:00:00Z"),
    };
  }

  it("records every source's malformed items and errors; the next run adds nothing twice", async () => {
    waits = [];
    fake.data.arxiv = [paper("2611.00001"), paper("2611.00002", { version: 2 })];
    fake.data.huggingface = [hfModel("studio/motion-diffuser-1"), { pipeline_tag: "text-to-video" }];
    fake.script("arxiv", {
      type: "application/atom+xml",
      body: `${feedHead}${rawEntry("2611.00001v1", "Paper 2611.00001: text-to-video generation", "A video generation model.")}${rawEntry(
        "2611.00002v1",
        "Paper 2611.00002: text-to-video generation",
        "A video generation model.",
      )}${rawEntry("2611.00003v1", "No dates", "x", false)}
</feed>`,
    });
    fake.fail("github", {
      status: 403,
      headers: {
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": `${Math.floor(Date.now() / 1000) + 3600}`,
      },
      body: { message: "API rate limit exceeded" },
    });
    fake.fail("fal", { body: { models: [] }, misbehave: "cut" });

    const first = await runResearchOnce(deps(), { trigger: "manual" });

    expect(first.status).toBe("partial");
    expect(first.errors.map((e) => e.source).sort()).toEqual(["fal", "github"]);
    expect(first.errors.find((e) => e.source === "github")?.message).toMatch(/rate limited until/);
    expect(first.counts).toMatchObject({ hf_models: 1, arxiv_papers: 2, malformed_items: 2 });
    const { rows } = await db().query<{ counts: Record<string, number>; errors: unknown[] }>(
      "SELECT counts, errors FROM research_runs",
    );
    expect(rows[0]?.counts.malformed_items).toBe(2);
    expect(rows[0]?.errors).toHaveLength(2);

    // The next day: GitHub and fal are back, arXiv has a v2 of one paper.
    fake.fail("github", null);
    fake.fail("fal", null);
    const second = await runResearchOnce(deps(), { trigger: "manual" });

    expect(second.status).toBe("succeeded");
    expect(second.changes).toEqual([]);
    const techniques = await db().query<{ technique_id: string; versions: number }>(
      "SELECT technique_id, jsonb_array_length(papers)::int AS versions FROM sota_techniques ORDER BY technique_id",
    );
    expect(techniques.rows).toEqual([
      { technique_id: "arxiv:2611.00001", versions: 1 },
      { technique_id: "arxiv:2611.00002", versions: 2 },
    ]);
    const tools = await db().query("SELECT tool_id FROM tools WHERE origin = 'research'");
    expect(tools.rows).toHaveLength(1);
  });
});
