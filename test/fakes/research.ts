import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/**
 * One loopback server standing in for all five research sources, each under its own prefix:
 *   /arxiv/api/query            arXiv API (Atom), paged with start/max_results
 *   /github/search/repositories GitHub search, paged with page/per_page, filtered by topic:…
 *   /hf/api/models              Hugging Face models, filtered by pipeline_tag, Link rel="next" paging
 *   /replicate/v1/…             collections/<slug>, search, models (cursor `next` URL)
 *   /fal/v1/models              fal catalog, filtered by category, has_more/next_cursor
 * Shapes follow research_sources in ../shared/data/toolstack-seed.json. Tests set the data, script
 * one-off replies (a 429 with Retry-After, a 500, malformed bodies) per source, and read `requests`.
 */

export type FakeSourceName = "arxiv" | "github" | "huggingface" | "replicate" | "fal";

export interface ArxivFixture {
  id: string;
  version?: number;
  title: string;
  summary: string;
  authors?: string[];
  published: string;
  updated?: string;
  categories?: string[];
  comment?: string;
}

// biome-ignore lint/suspicious/noExplicitAny: fixtures are raw JSON as the services send it
type Json = any;

export interface FakeResearchData {
  arxiv: ArxivFixture[];
  /** GitHub search items (raw); a query's topic:X keeps items whose topics include X. */
  github: Json[];
  /** HF models (raw); pipeline_tag filters. */
  huggingface: Json[];
  replicateCollections: Record<string, Json[]>;
  /** Replicate search hits ({ model, metadata }). */
  replicateSearch: Json[];
  replicateModels: Json[];
  /** fal models (raw { endpoint_id, metadata }); category filters on metadata.category. */
  fal: Json[];
}

export interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  /** A string is sent as is (e.g. malformed XML/JSON); anything else as JSON. */
  body?: unknown;
  /** Content-Type; default text/plain for a string body, application/json otherwise. */
  type?: string;
  /**
   * A bad connection instead of a reply: "silent" never answers; "stall" sends the headers and the
   * first bytes of the body, then nothing more; "cut" sends the same and then drops the connection.
   */
  misbehave?: "silent" | "stall" | "cut";
}

export interface RecordedRequest {
  source: FakeSourceName;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingMessage["headers"];
  /** Date.now() when the request arrived. */
  at: number;
}

export interface FakeResearch {
  url: string;
  /** Config values pointing every source at this server. */
  config: {
    ARXIV_API_URL: string;
    GITHUB_API_URL: string;
    HF_API_URL: string;
    REPLICATE_API_URL: string;
    FAL_API_URL: string;
  };
  data: FakeResearchData;
  requests: RecordedRequest[];
  requestsTo(source: FakeSourceName): RecordedRequest[];
  /** The next requests to `source` get these replies, in order; then normal service resumes. */
  script(source: FakeSourceName, ...replies: FakeReply[]): void;
  /** Every request to `source` gets this reply until cleared (null). */
  fail(source: FakeSourceName, reply: FakeReply | null): void;
  close(): Promise<void>;
}

export function emptyData(): FakeResearchData {
  return {
    arxiv: [],
    github: [],
    huggingface: [],
    replicateCollections: {},
    replicateSearch: [],
    replicateModels: [],
    fal: [],
  };
}

const PREFIX: Record<string, FakeSourceName> = {
  arxiv: "arxiv",
  github: "github",
  hf: "huggingface",
  replicate: "replicate",
  fal: "fal",
};

const escapeXml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function atomEntry(e: ArxivFixture): string {
  const v = e.version ?? 1;
  const cats = e.categories ?? ["cs.CV"];
  return `  <entry>
    <id>http://arxiv.org/abs/${e.id}v${v}</id>
    <updated>${e.updated ?? e.published}</updated>
    <published>${e.published}</published>
    <title>${escapeXml(e.title)}</title>
    <summary>  ${escapeXml(e.summary)}</summary>
${(e.authors ?? ["A. Author"]).map((a) => `    <author><name>${escapeXml(a)}</name></author>`).join("\n")}
${e.comment ? `    <arxiv:comment xmlns:arxiv="http://arxiv.org/schemas/atom">${escapeXml(e.comment)}</arxiv:comment>\n` : ""}    <link href="http://arxiv.org/abs/${e.id}v${v}" rel="alternate" type="text/html"/>
    <link title="pdf" href="http://arxiv.org/pdf/${e.id}v${v}" rel="related" type="application/pdf"/>
    <arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="${cats[0]}" scheme="http://arxiv.org/schemas/atom"/>
${cats.map((c) => `    <category term="${c}" scheme="http://arxiv.org/schemas/atom"/>`).join("\n")}
  </entry>`;
}

/** An arXiv Atom feed page, as the seed's example_response_trimmed shapes it. */
export function atomFeed(entries: ArxivFixture[], total: number, start: number): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom">
  <title type="html">ArXiv Query</title>
  <id>http://arxiv.org/api/fake</id>
  <updated>2026-11-20T00:00:00-04:00</updated>
  <opensearch:totalResults>${total}</opensearch:totalResults>
  <opensearch:startIndex>${start}</opensearch:startIndex>
  <opensearch:itemsPerPage>${entries.length}</opensearch:itemsPerPage>
${entries.map(atomEntry).join("\n")}
</feed>`;
}

export async function startFakeResearch(initial: Partial<FakeResearchData> = {}): Promise<FakeResearch> {
  const data: FakeResearchData = { ...emptyData(), ...initial };
  const requests: RecordedRequest[] = [];
  const scripted = new Map<FakeSourceName, FakeReply[]>();
  const failing = new Map<FakeSourceName, FakeReply>();
  const sockets = new Set<Socket>();
  let origin = "";

  const send = (res: ServerResponse, reply: FakeReply, contentType = "application/json") => {
    const body = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body ?? {});
    if (reply.misbehave === "silent") return;
    res.writeHead(reply.status ?? 200, { "content-type": reply.type ?? contentType, ...reply.headers });
    if (!reply.misbehave) return res.end(body);
    // Flush the headers and part of the body so the client has a response, then stall or cut.
    res.write(body.slice(0, Math.max(1, Math.floor(body.length / 2))));
    if (reply.misbehave === "cut") setTimeout(() => res.socket?.destroy(), 20);
  };

  const serve = (source: FakeSourceName, path: string, q: URLSearchParams): FakeReply & { type?: string } => {
    const int = (name: string, fallback: number) => {
      const v = Number(q.get(name));
      return Number.isFinite(v) && q.get(name) !== null ? v : fallback;
    };
    switch (source) {
      case "arxiv": {
        if (path !== "/api/query") return { status: 404, body: "not found" };
        const start = int("start", 0);
        const max = int("max_results", 10);
        return {
          body: atomFeed(data.arxiv.slice(start, start + max), data.arxiv.length, start),
          type: "application/atom+xml",
        };
      }
      case "github": {
        if (path !== "/search/repositories") return { status: 404, body: { message: "Not Found" } };
        const topic = /topic:(\S+)/.exec(q.get("q") ?? "")?.[1];
        const items = data.github.filter((r) => !topic || (r.topics ?? []).includes(topic));
        const perPage = int("per_page", 30);
        const page = int("page", 1);
        return {
          body: {
            total_count: items.length,
            incomplete_results: false,
            items: items.slice((page - 1) * perPage, page * perPage),
          },
        };
      }
      case "huggingface": {
        if (path !== "/api/models") return { status: 404, body: { error: "not found" } };
        const tag = q.get("pipeline_tag");
        const items = data.huggingface.filter((m) => !tag || m.pipeline_tag === tag);
        const limit = int("limit", 20);
        const cursor = int("cursor", 0);
        const page = items.slice(cursor, cursor + limit);
        const headers: Record<string, string> = {};
        if (cursor + limit < items.length) {
          const next = new URLSearchParams(q);
          next.set("cursor", String(cursor + limit));
          headers.link = `<${origin}/hf/api/models?${next}>; rel="next"`;
        }
        return { body: page, headers };
      }
      case "replicate": {
        const collection = /^\/v1\/collections\/([^/]+)$/.exec(path);
        if (collection) {
          const models = data.replicateCollections[collection[1] as string];
          if (!models) return { status: 404, body: { detail: "Not found." } };
          return { body: { name: collection[1], slug: collection[1], description: "", models } };
        }
        if (path === "/v1/search") {
          const limit = int("limit", 20);
          return {
            body: {
              query: q.get("query"),
              models: data.replicateSearch.slice(0, limit),
              collections: [],
              pages: [],
            },
          };
        }
        if (path === "/v1/models") {
          const cursor = int("cursor", 0);
          const size = 25;
          const more = cursor + size < data.replicateModels.length;
          return {
            body: {
              next: more ? `${origin}/replicate/v1/models?cursor=${cursor + size}` : null,
              previous: null,
              results: data.replicateModels.slice(cursor, cursor + size),
            },
          };
        }
        return { status: 404, body: { detail: "Not found." } };
      }
      case "fal": {
        if (path !== "/v1/models") return { status: 404, body: { detail: "Not found" } };
        const category = q.get("category");
        const items = data.fal.filter((m) => !category || m.metadata?.category === category);
        const limit = int("limit", 20);
        const cursor = int("cursor", 0);
        const more = cursor + limit < items.length;
        return {
          body: {
            models: items.slice(cursor, cursor + limit),
            has_more: more,
            next_cursor: more ? String(cursor + limit) : null,
          },
        };
      }
    }
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const [, prefix, ...rest] = url.pathname.split("/");
    const source = PREFIX[prefix ?? ""];
    if (!source) return send(res, { status: 404, body: { error: "unknown source" } });
    const path = `/${rest.join("/")}`;
    requests.push({
      source,
      method: req.method ?? "GET",
      path,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      at: Date.now(),
    });
    const reply = scripted.get(source)?.shift() ?? failing.get(source);
    if (reply) return send(res, reply, typeof reply.body === "string" ? "text/plain" : "application/json");
    const served = serve(source, path, url.searchParams);
    send(res, served, served.type ?? "application/json");
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: origin,
    config: {
      ARXIV_API_URL: `${origin}/arxiv/api/query`,
      GITHUB_API_URL: `${origin}/github`,
      HF_API_URL: `${origin}/hf`,
      REPLICATE_API_URL: `${origin}/replicate`,
      FAL_API_URL: `${origin}/fal`,
    },
    data,
    requests,
    requestsTo: (source) => requests.filter((r) => r.source === source),
    script(source, ...replies) {
      scripted.set(source, [...(scripted.get(source) ?? []), ...replies]);
    },
    fail(source, reply) {
      if (reply) failing.set(source, reply);
      else failing.delete(source);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const socket of sockets) socket.destroy();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

// ---- realistic fixtures (from the seed's example responses) and bulk generators ----

/** The seed's GitHub example item (Wan-Video/Wan2.2). */
export const githubWan = () => ({
  id: 1,
  node_id: "R_placeholder",
  name: "Wan2.2",
  full_name: "Wan-Video/Wan2.2",
  private: false,
  owner: { login: "Wan-Video", type: "Organization" },
  html_url: "https://github.com/Wan-Video/Wan2.2",
  description: "Wan: Open and Advanced Large-Scale Video Generative Models",
  fork: false,
  created_at: "2025-07-28T00:00:00Z",
  updated_at: "2026-11-20T00:00:00Z",
  pushed_at: "2026-11-19T00:00:00Z",
  stargazers_count: 1000,
  watchers_count: 1000,
  forks_count: 100,
  open_issues_count: 10,
  language: "Python",
  license: { key: "apache-2.0", spdx_id: "Apache-2.0" },
  topics: ["text-to-video", "video-generation"],
  archived: false,
  default_branch: "main",
  score: 1.0,
});

/** A GitHub search item shaped like the seed's, for a repository of our choosing. */
export function githubRepo(fullName: string, stars: number, topics: string[] = ["text-to-video"]) {
  const [owner, name] = fullName.split("/");
  return {
    ...githubWan(),
    name,
    full_name: fullName,
    owner: { login: owner, type: "User" },
    html_url: `https://github.com/${fullName}`,
    description: `${name} video generation`,
    stargazers_count: stars,
    topics,
  };
}

/** The seed's two Hugging Face example items. */
export const hfSeedModels = () => [
  {
    _id: "000000000000000000000001",
    id: "Wan-AI/Wan2.2-T2V-A14B",
    modelId: "Wan-AI/Wan2.2-T2V-A14B",
    likes: 100,
    trendingScore: 10,
    private: false,
    downloads: 1000,
    tags: ["diffusers", "safetensors", "text-to-video", "license:apache-2.0"],
    pipeline_tag: "text-to-video",
    library_name: "diffusers",
    createdAt: "2025-07-28T00:00:00.000Z",
  },
  {
    _id: "000000000000000000000002",
    id: "tencent/HunyuanVideo",
    modelId: "tencent/HunyuanVideo",
    likes: 100,
    trendingScore: 5,
    private: false,
    downloads: 1000,
    tags: ["text-to-video"],
    pipeline_tag: "text-to-video",
    library_name: "diffusers",
    createdAt: "2024-12-03T00:00:00.000Z",
  },
];

export function hfModel(id: string, pipelineTag = "text-to-video", downloads = 500) {
  return {
    _id: id,
    id,
    modelId: id,
    likes: 10,
    trendingScore: 1,
    private: false,
    downloads,
    tags: ["diffusers", pipelineTag],
    pipeline_tag: pipelineTag,
    library_name: "diffusers",
    createdAt: "2026-10-01T00:00:00.000Z",
  };
}

/** A Replicate model object (per Replicate's model listing). */
export function replicateModel(owner: string, name: string, description = "", runCount = 1000) {
  return {
    url: `https://replicate.com/${owner}/${name}`,
    owner,
    name,
    description,
    visibility: "public",
    github_url: null,
    paper_url: null,
    license_url: null,
    run_count: runCount,
    cover_image_url: null,
    default_example: null,
    latest_version: null,
  };
}

/** A fal catalog item; `pricing` only when given. */
export function falModel(
  endpointId: string,
  category: string,
  displayName: string,
  pricing?: { unit_price: number; unit: string; currency: string },
) {
  return {
    endpoint_id: endpointId,
    metadata: {
      display_name: displayName,
      category,
      description: `${displayName} on fal`,
      status: "active",
      tags: [],
    },
    ...(pricing ? { pricing } : {}),
  };
}

/** The seed's arXiv example entry (Wan, 2503.20314v1). */
export const arxivWan = (): ArxivFixture => ({
  id: "2503.20314",
  version: 1,
  title: "Wan: Open and Advanced Large-Scale Video Generative Models",
  summary: "This report presents Wan, a comprehensive and open suite of video foundation models ...",
  authors: ["Team Wan"],
  published: "2025-03-26T08:25:43Z",
  updated: "2025-03-26T08:25:43Z",
  categories: ["cs.CV"],
});

/** `n` distinct arXiv entries (ids 2611.00000 …), published on consecutive hours from `from`. */
export function generateArxivEntries(n: number, from = "2026-11-01T00:00:00Z"): ArxivFixture[] {
  const start = Date.parse(from);
  return Array.from({ length: n }, (_, i) => {
    const at = new Date(start + i * 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    return {
      id: `2611.${String(i).padStart(5, "0")}`,
      title: `Paper ${i}: ${i % 2 === 0 ? "Efficient Video Generation" : "Robust Image Segmentation"} at scale`,
      summary: `We study method ${i}. ${i % 3 === 0 ? "It improves temporal consistency of text-to-video models." : "Results on benchmarks."}`,
      authors: [`Author ${i}`],
      published: at,
      updated: at,
      categories: ["cs.CV"],
    };
  });
}

export function generateGithubRepos(n: number): Json[] {
  return Array.from({ length: n }, (_, i) => githubRepo(`lab${i}/genvid-${i}`, 10_000 - i));
}

export function generateHfModels(n: number): Json[] {
  return Array.from({ length: n }, (_, i) =>
    hfModel(`org${i}/motionmodel-${i}`, "text-to-video", 100_000 - i),
  );
}
