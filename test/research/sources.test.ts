import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { UpstreamError } from "../../src/domain/errors.js";
import { parseRetryAfter } from "../../src/domain/retry-after.js";
import { createHttpClient } from "../../src/research/http.js";
import {
  createResearchSources,
  parseArxivFeed,
  type ResearchSources,
  type ResearchSourcesConfig,
} from "../../src/research/sources/index.js";
import {
  arxivWan,
  atomFeed,
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

let fake: FakeResearch;
let sources: ResearchSources;
const tokens = {
  GITHUB_TOKEN: "ghp_secret123",
  REPLICATE_API_TOKEN: "r8_secret456",
  FAL_KEY: "fal_secret789",
};

function sourcesFor(config: Partial<ResearchSourcesConfig> = {}) {
  return createResearchSources(
    { ...fake.config, ...tokens, ...config },
    { minIntervalMs: 0, retries: 2, backoffMs: 5, timeoutMs: 2000 },
  );
}

beforeAll(async () => {
  fake = await startFakeResearch();
  sources = sourcesFor();
});
afterAll(() => fake.close());
afterEach(() => {
  Object.assign(fake.data, emptyData());
  fake.requests.length = 0;
  for (const s of ["arxiv", "github", "huggingface", "replicate", "fal"] as const) fake.fail(s, null);
});

describe("arXiv", () => {
  it("parses the seed's example entry into a paper record", async () => {
    fake.data.arxiv = [{ ...arxivWan(), comment: "Code: https://github.com/Wan-Video/Wan2.1" }];
    const batch = await sources.arxiv.search('cat:cs.CV AND abs:"video generation"');
    expect(batch.skipped).toBe(0);
    expect(batch.total).toBe(1);
    expect(batch.records).toEqual([
      {
        arxiv_id: "2503.20314",
        version: 1,
        title: "Wan: Open and Advanced Large-Scale Video Generative Models",
        summary: "This report presents Wan, a comprehensive and open suite of video foundation models ...",
        authors: ["Team Wan"],
        published: "2025-03-26T08:25:43.000Z",
        updated: "2025-03-26T08:25:43.000Z",
        categories: ["cs.CV"],
        primary_category: "cs.CV",
        abs_url: "http://arxiv.org/abs/2503.20314v1",
        pdf_url: "http://arxiv.org/pdf/2503.20314v1",
        comment: "Code: https://github.com/Wan-Video/Wan2.1",
      },
    ]);
    const [request] = fake.requestsTo("arxiv");
    expect(request?.query).toMatchObject({
      search_query: 'cat:cs.CV AND abs:"video generation"',
      start: "0",
      sortBy: "submittedDate",
      sortOrder: "descending",
    });
  });

  it("pages with start/max_results until maxResults or the feed's total", async () => {
    fake.data.arxiv = Array.from({ length: 7 }, (_, i) => ({
      ...arxivWan(),
      id: `2503.2031${i}`,
      version: 2,
    }));
    const batch = await sources.arxiv.search("abs:video", { pageSize: 3, maxResults: 100 });
    expect(batch.records.map((p) => p.arxiv_id)).toHaveLength(7);
    expect(batch.records[0]?.version).toBe(2);
    expect(fake.requestsTo("arxiv").map((r) => [r.query.start, r.query.max_results])).toEqual([
      ["0", "3"],
      ["3", "3"],
      ["6", "3"],
    ]);
  });

  it("skips and counts an entry without an id, keeps the rest", () => {
    const feed = atomFeed([arxivWan()], 2, 0).replace(
      "</feed>",
      "<entry><title>No id here</title><published>2025-01-01T00:00:00Z</published></entry></feed>",
    );
    const batch = parseArxivFeed(feed);
    expect(batch.records).toHaveLength(1);
    expect(batch.skipped).toBe(1);
  });

  it("reports malformed XML as an error for the source", async () => {
    fake.script("arxiv", { body: "<feed><entry><id>oops</feed>" });
    await expect(sources.arxiv.search("abs:video")).rejects.toThrow(
      /arxiv: malformed reply \(not well-formed XML/,
    );
  });

  it("turns arXiv's error feed into an error carrying its explanation", () => {
    const feed = atomFeed([], 1, 0).replace(
      "</feed>",
      "<entry><id>http://arxiv.org/api/errors#incorrect_id_format_for_x</id><title>Error</title><summary>incorrect id format for x</summary></entry></feed>",
    );
    expect(() => parseArxivFeed(feed)).toThrow(/query rejected: incorrect id format for x/);
  });
});

describe("GitHub", () => {
  it("sends the documented headers and qualifiers and parses the seed's example item", async () => {
    fake.data.github = [githubWan(), { ...githubWan(), full_name: "not a repo name" }];
    const batch = await sources.github.searchRepositories("text-to-video", {
      pushedSince: "2026-06-01",
      minStars: 50,
    });
    expect(batch.skipped).toBe(1);
    expect(batch.records).toEqual([
      {
        full_name: "Wan-Video/Wan2.2",
        html_url: "https://github.com/Wan-Video/Wan2.2",
        description: "Wan: Open and Advanced Large-Scale Video Generative Models",
        stars: 1000,
        topics: ["text-to-video", "video-generation"],
        pushed_at: "2026-11-19T00:00:00.000Z",
        license: "Apache-2.0",
        archived: false,
        fork: false,
      },
    ]);
    const [request] = fake.requestsTo("github");
    expect(request?.query).toMatchObject({
      q: "topic:text-to-video pushed:>=2026-06-01 stars:>=50 archived:false",
      sort: "stars",
      order: "desc",
      per_page: "100",
      page: "1",
    });
    expect(request?.headers).toMatchObject({
      accept: "application/vnd.github+json",
      "x-github-api-version": "2022-11-28",
      authorization: "Bearer ghp_secret123",
    });
    expect(request?.headers["user-agent"]).toBeTruthy();
  });

  it("sends no Authorization header without a token", async () => {
    fake.data.github = [githubWan()];
    await sourcesFor({ GITHUB_TOKEN: undefined }).github.searchRepositories("text-to-video", {
      pushedSince: "2026-01-01",
    });
    expect(fake.requestsTo("github")[0]?.headers.authorization).toBeUndefined();
  });

  it("pages until maxResults", async () => {
    fake.data.github = Array.from({ length: 250 }, (_, i) => githubRepo(`o${i}/r${i}`, 1000 - i));
    const batch = await sources.github.searchRepositories("text-to-video", {
      pushedSince: "2026-01-01",
      maxResults: 150,
    });
    expect(batch.records).toHaveLength(150);
    expect(fake.requestsTo("github").map((r) => r.query.page)).toEqual(["1", "2"]);
  });

  it("reports a reply that is not JSON, or lacks items, as an error", async () => {
    fake.script("github", { body: "{ not json" }, { body: { total_count: 3 } });
    await expect(sources.github.searchRepositories("t", { pushedSince: "2026-01-01" })).rejects.toThrow(
      /github: the reply is not JSON/,
    );
    await expect(sources.github.searchRepositories("t", { pushedSince: "2026-01-01" })).rejects.toThrow(
      /github: malformed reply \(items:/,
    );
  });
});

describe("Hugging Face", () => {
  it("parses the seed's example models and follows the Link header", async () => {
    fake.data.huggingface = [
      ...hfSeedModels(),
      hfModel("Lightricks/LTX-Video"),
      hfModel("x/i2v-model", "image-to-video"),
    ];
    const batch = await sources.huggingface.listModels("text-to-video", { pageSize: 2 });
    expect(batch.records.map((m) => m.model_id)).toEqual([
      "Wan-AI/Wan2.2-T2V-A14B",
      "tencent/HunyuanVideo",
      "Lightricks/LTX-Video",
    ]);
    expect(batch.records[0]).toMatchObject({
      pipeline_tag: "text-to-video",
      downloads: 1000,
      likes: 100,
      last_modified: null,
      tags: ["diffusers", "safetensors", "text-to-video", "license:apache-2.0"],
      url: "https://huggingface.co/Wan-AI/Wan2.2-T2V-A14B",
    });
    const requests = fake.requestsTo("huggingface");
    expect(requests[0]?.query).toMatchObject({
      pipeline_tag: "text-to-video",
      sort: "trendingScore",
      direction: "-1",
    });
    expect(requests).toHaveLength(2);
    expect(requests[1]?.query.cursor).toBe("2");
  });

  it("reports a reply that is not an array as malformed", async () => {
    fake.script("huggingface", { body: { error: "oops" } });
    await expect(sources.huggingface.listModels("text-to-video")).rejects.toThrow(
      /huggingface: malformed reply/,
    );
  });
});

describe("Replicate", () => {
  it("reads a collection, search hits and the paginated model list, with a Bearer token and no price", async () => {
    fake.data.replicateCollections["text-to-video"] = [
      replicateModel("wan-video", "wan2.2", "Wan 2.2", 5000),
    ];
    fake.data.replicateSearch = [
      { model: replicateModel("acme", "zeta-i2v"), metadata: { tags: ["image-to-video"], score: 0.9 } },
      { model: { name: "no-owner" } },
    ];
    fake.data.replicateModels = Array.from({ length: 30 }, (_, i) => replicateModel("o", `m${i}`));
    const replicate = sources.replicate;
    if (!replicate) throw new Error("replicate is configured in this test");

    const collection = await replicate.collectionModels("text-to-video");
    expect(collection.records).toEqual([
      {
        model_id: "wan-video/wan2.2",
        owner: "wan-video",
        name: "wan2.2",
        description: "Wan 2.2",
        url: "https://replicate.com/wan-video/wan2.2",
        run_count: 5000,
        github_url: null,
        paper_url: null,
        tags: [],
        price: null,
      },
    ]);
    const search = await replicate.searchModels("image to video");
    expect(search.records.map((m) => [m.model_id, m.tags])).toEqual([["acme/zeta-i2v", ["image-to-video"]]]);
    expect(search.skipped).toBe(1);
    const list = await replicate.listModels({ maxPages: 5 });
    expect(list.records).toHaveLength(30);
    expect(fake.requestsTo("replicate").every((r) => r.headers.authorization === "Bearer r8_secret456")).toBe(
      true,
    );
  });

  it("is not built without a token (every endpoint needs one)", () => {
    expect(sourcesFor({ REPLICATE_API_TOKEN: undefined }).replicate).toBeNull();
  });
});

describe("fal", () => {
  it("lists a category with a Key header; a price only when the item states one in USD", async () => {
    fake.data.fal = [
      falModel("fal-ai/wan/v2.2-a14b/text-to-video", "text-to-video", "Wan 2.2", {
        unit_price: 0.08,
        unit: "second",
        currency: "USD",
      }),
      falModel("fal-ai/other/text-to-video", "text-to-video", "Other"),
      falModel("fal-ai/eur/text-to-video", "text-to-video", "Euro", {
        unit_price: 1,
        unit: "video",
        currency: "EUR",
      }),
      falModel("fal-ai/flux/dev", "text-to-image", "FLUX"),
    ];
    const batch = await sources.fal.listModels("text-to-video", { pageSize: 2 });
    expect(batch.records.map((m) => [m.endpoint_id, m.price])).toEqual([
      ["fal-ai/wan/v2.2-a14b/text-to-video", { usd: 0.08, unit: "second" }],
      ["fal-ai/other/text-to-video", null],
      ["fal-ai/eur/text-to-video", null],
    ]);
    expect(batch.records[0]).toMatchObject({
      display_name: "Wan 2.2",
      category: "text-to-video",
      url: "https://fal.ai/models/fal-ai/wan/v2.2-a14b/text-to-video",
    });
    const requests = fake.requestsTo("fal");
    expect(requests.map((r) => r.query.cursor)).toEqual([undefined, "2"]);
    expect(requests[0]?.headers.authorization).toBe("Key fal_secret789");
  });
});

describe("polite HTTP client", () => {
  it("waits out a 429's Retry-After, then succeeds", async () => {
    fake.data.huggingface = hfSeedModels();
    fake.script("huggingface", {
      status: 429,
      headers: { "retry-after": "1" },
      body: { error: "slow down" },
    });
    const batch = await sources.huggingface.listModels("text-to-video");
    expect(batch.records).toHaveLength(2);
    const [first, second] = fake.requestsTo("huggingface");
    expect(second).toBeDefined();
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it("honours a Retry-After given as an HTTP date; one beyond maxRetryAfterMs fails at once", async () => {
    const waits: number[] = [];
    const now = Date.parse("2026-11-20T10:00:00Z");
    let calls = 0;
    const http = createHttpClient({
      baseUrl: "http://upstream.test",
      source: "test",
      maxRetryAfterMs: 5000,
      sleep: async (ms) => {
        waits.push(ms);
      },
      now: () => now,
      fetch: async () => {
        calls += 1;
        if (calls === 1)
          return new Response("busy", {
            status: 503,
            headers: { "retry-after": "Fri, 20 Nov 2026 10:00:03 GMT" },
          });
        if (calls === 2) return new Response("busy", { status: 503, headers: { "retry-after": "3600" } });
        return new Response("{}", { status: 200 });
      },
    });
    await expect(http.getJson("/x")).rejects.toThrow(/test: rate limited until 2026-11-20T11:00:00.000Z/);
    expect(waits).toEqual([3000]);
    expect(calls).toBe(2);
    expect(parseRetryAfter("soon", now)).toBeNull();
  });

  it("retries a 500 with backoff, then fails naming the source and status", async () => {
    fake.fail("github", { status: 500, body: { message: "boom" } });
    const error = await sources.github
      .searchRepositories("text-to-video", { pushedSince: "2026-01-01" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).service).toBe("github");
    expect((error as UpstreamError).message).toMatch(/github: HTTP 500.*gave up after 3 attempts/);
    expect(fake.requestsTo("github")).toHaveLength(3);
    expect((error as Error).message).not.toContain("ghp_secret123");
  });

  it("does not retry other 4xx", async () => {
    fake.fail("fal", { status: 401, body: { detail: "Unauthorized" } });
    await expect(sources.fal.listModels("text-to-video")).rejects.toThrow(/fal: HTTP 401/);
    expect(fake.requestsTo("fal")).toHaveLength(1);
  });

  it("spaces requests by minIntervalMs", async () => {
    const at: number[] = [];
    const http = createHttpClient({
      baseUrl: fake.config.HF_API_URL,
      minIntervalMs: 200,
      fetch: async (input, init) => {
        at.push(Date.now());
        return fetch(input, init);
      },
    });
    await Promise.all([
      http.getJson("/api/models"),
      http.getJson("/api/models"),
      http.getJson("/api/models"),
    ]);
    expect((at[1] ?? 0) - (at[0] ?? 0)).toBeGreaterThanOrEqual(190);
    expect((at[2] ?? 0) - (at[1] ?? 0)).toBeGreaterThanOrEqual(190);
  });

  it("times out a request that never answers, and retries it", async () => {
    let calls = 0;
    const http = createHttpClient({
      baseUrl: "http://upstream.test",
      source: "slow",
      timeoutMs: 50,
      retries: 1,
      backoffMs: 1,
      fetch: (_input, init) => {
        calls += 1;
        return new Promise((_resolve, reject) =>
          init?.signal?.addEventListener("abort", () => reject(init.signal?.reason)),
        );
      },
    });
    await expect(http.getText("/x")).rejects.toThrow(/slow: no answer within 50 ms/);
    expect(calls).toBe(2);
  });

  it("gives a host that is down or silent one retry, not all of them", async () => {
    let calls = 0;
    const http = createHttpClient({
      baseUrl: "http://upstream.test",
      source: "down",
      retries: 3,
      backoffMs: 1,
      fetch: async () => {
        calls += 1;
        throw new TypeError("fetch failed");
      },
    });
    await expect(http.getText("/x")).rejects.toThrow(
      /down: network error \(fetch failed\).*gave up after 2 attempts/,
    );
    expect(calls).toBe(2);
  });

  it("refuses to follow a pagination link to another host (the token would go with it)", async () => {
    const http = createHttpClient({
      baseUrl: fake.config.REPLICATE_API_URL,
      headers: { Authorization: "Bearer x" },
    });
    await expect(http.getJson("https://elsewhere.example/v1/models?cursor=2")).rejects.toThrow(
      /another host/,
    );
  });
});
