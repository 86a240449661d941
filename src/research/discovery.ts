import type { Queryable } from "../db/db.js";
import { errorMessage } from "../domain/errors.js";
import { parseOrThrow } from "../domain/parse.js";
import { type Modality, type PRICING_UNITS, Tool } from "../domain/tool.js";
import { toolRowParams } from "../toolstack/seed.js";
import type { ToolStackChange } from "./changes.js";
import {
  FAL_CATEGORIES,
  type FalModel,
  GITHUB_TOPICS,
  type GithubRepo,
  HF_PIPELINE_TAGS,
  type HfModel,
  isFailure,
  REPLICATE_COLLECTIONS,
  REPLICATE_SEARCHES,
  type ReplicateModel,
  type ResearchSources,
  type SourceBatch,
  type SourceName,
  type SourceProblem,
} from "./sources/index.js";

/**
 * Discovery: gather video-generation models, APIs and repositories from GitHub, Hugging Face,
 * Replicate and fal (`discoverApis`), merge what is the same model, then make the new ones candidate
 * tools (`catalogApi`). arXiv papers go to the SOTA tracker (sota.ts), not here.
 *
 * ## Same model, one tool: the tool key
 * Every name a model is known by reduces to a key (`toolKey`):
 * 1. lower-case; `{…}` and `(…)` parts go ("(open weights)", seed ids like "…/{text-to-video|…}");
 * 2. an id ("owner/name", fal "owner/path/…") loses its owner — the first segment;
 * 3. modality words go: "text-to-video", "image-to-video", "t2v", "i2v", "ti2v", "flf2v" …;
 * 4. packaging words go: parameter counts ("14b", "a14b", "1.3b"), resolutions ("720p"), "diffusers",
 *    "gguf", "fp8", "bf16" …;
 * 5. "v2.2" → "2.2", "1.0" → "1"; the remaining words are joined without separators.
 * So "Wan-AI/Wan2.2-T2V-A14B" (HF), "wan-video/wan2.2" (Replicate), "Wan-Video/Wan2.2" (GitHub),
 * "fal-ai/wan/v2.2-a14b/text-to-video" (fal) and the seed's "wan-2.2" all give "wan2.2".
 * An existing tool answers to several keys: its tool_id, its name (each " / " alternative, with and
 * without the vendor's first word), its api.model_id and docs_url, and those of its sources that are
 * its own pages (a GitHub repository or its README, a Hugging Face model page) — which is how HunyuanVideo, LTX-Video and Wan 2.2 from the seed are
 * recognised and never become candidates. A new candidate's tool_id is its key words joined by "-".
 * Forks and re-uploads with the same model name merge into one tool (GitHub search excludes forks).
 *
 * ## Prices
 * Only a price a listing states (fal, when it gives one) is used; otherwise null. A listed price is
 * remembered per source in tools.listed_prices. For a tool research added, the listed price is its
 * price and a new listed value updates it. For a seed (or hand-made) row the seed stays the truth:
 * the listed price is recorded but never written over `pricing`. Either way a listed value that
 * differs from what we last knew (the previous listed value, else the stored price) in the same unit
 * is one `price_change`; the same value on the next run is nothing.
 */

// ---------------------------------------------------------------- keys

const MODALITY_PHRASE =
  /\b(?:text|txt|image|img|video|vid|audio|speech)[\s_-]*(?:to|2)[\s_-]*(?:video|vid|image|img|audio)\b/g;
const DROP_WORDS = new Set([
  "t2v",
  "i2v",
  "ti2v",
  "it2v",
  "v2v",
  "s2v",
  "flf2v",
  "t2i",
  "diffusers",
  "gguf",
  "fp8",
  "fp16",
  "bf16",
  "int8",
  "int4",
  "onnx",
  "mlx",
  "awq",
  "safetensors",
  "hf",
]);
const PARAM_COUNT = /^a?\d+(?:\.\d+)?[bm]$/;
const RESOLUTION = /^\d{3,4}p$/;

/** The words left of a model name once owner, modality and packaging words are gone. */
export function keyWords(raw: string, kind: "id" | "name" = "name"): string[] {
  let s = raw
    .toLowerCase()
    .replace(/\{[^}]*\}/g, " ")
    .replace(/\([^)]*\)/g, " ");
  if (kind === "id" && s.includes("/")) s = s.split("/").slice(1).join(" ");
  s = s.replace(MODALITY_PHRASE, " ");
  return s
    .split(/[\s_/:,+|-]+/)
    .map((w) =>
      w
        .replace(/^v(?=\d)/, "")
        .replace(/[^a-z0-9.]/g, "")
        .replace(/^\.+|\.+$/g, "")
        .replace(/(\d)\.0(?!\d)/g, "$1"),
    )
    .filter((w) => w !== "" && !DROP_WORDS.has(w) && !PARAM_COUNT.test(w) && !RESOLUTION.test(w));
}

/** The merge key of a model name or id ("" when nothing distinctive is left). */
export function toolKey(raw: string, kind: "id" | "name" = "name"): string {
  const key = keyWords(raw, kind).join("");
  // A key must name something: at least one letter and three characters.
  return /[a-z]/.test(key) && key.length >= 3 ? key : "";
}

const URL_KEYS: RegExp[] = [
  /^https?:\/\/(?:www\.)?github\.com\/([^/\s#?]+\/[^/\s#?]+)/i,
  /^https?:\/\/(?:www\.)?huggingface\.co\/([^/\s#?]+\/[^/\s#?]+)/i,
  /^https?:\/\/(?:www\.)?replicate\.com\/(?!docs\/|blog\/|changelog\/|collections\/|explore)([^/\s#?]+\/[^/\s#?]+)/i,
  /^https?:\/\/(?:www\.)?fal\.ai\/models\/([^\s#?]+?)(?:\/(?:api|llms\.txt|playground))?\/?$/i,
];

/** The key a model page URL stands for (GitHub repo, HF model, Replicate model, fal endpoint). */
export function urlKey(url: string): string {
  for (const pattern of URL_KEYS) {
    const match = pattern.exec(url.trim().split(" ")[0] ?? "");
    if (match?.[1]) return toolKey(match[1].replace(/\.git$/, ""), "id");
  }
  return "";
}

/**
 * Whether a source URL is the tool's own page rather than a document that cites it: a GitHub
 * repository root or its README, or a Hugging Face model page. (Seed sources also cite SDK files,
 * skills repos and other versions' fal pages, whose keys would name other things.)
 */
function ownPage(url: string): boolean {
  const u = url.trim().split(" ")[0] ?? "";
  return (
    /^https?:\/\/(?:www\.)?github\.com\/[^/\s]+\/[^/\s]+(?:\/?|\/blob\/[^/\s]+\/README\.md)$/i.test(u) ||
    /^https?:\/\/(?:www\.)?huggingface\.co\/(?!docs\/|spaces\/|datasets\/)[^/\s]+\/[^/\s]+\/?$/i.test(u)
  );
}

interface ToolKeySource {
  tool_id: string;
  name: string;
  vendor: string | null;
  model_id: string | null;
  docs_url: string | null;
  sources: string[];
}

/** Every key an existing tool answers to. */
export function toolKeys(tool: ToolKeySource): string[] {
  const keys = new Set<string>([toolKey(tool.tool_id)]);
  const vendorWord = tool.vendor?.toLowerCase().split(/\s+/)[0] ?? "";
  for (const alternative of tool.name.replace(/\([^)]*\)/g, " ").split(" / ")) {
    keys.add(toolKey(alternative));
    const words = alternative.trim().split(/\s+/);
    if (vendorWord && words[0]?.toLowerCase() === vendorWord) keys.add(toolKey(words.slice(1).join(" ")));
  }
  if (tool.model_id) keys.add(toolKey(tool.model_id, "id"));
  if (tool.docs_url) keys.add(urlKey(tool.docs_url));
  for (const url of tool.sources) if (ownPage(url)) keys.add(urlKey(url));
  keys.delete("");
  return [...keys];
}

// ---------------------------------------------------------------- candidates

type PricingUnit = (typeof PRICING_UNITS)[number];

export interface ListedPrice {
  usd: number;
  unit: PricingUnit;
  source: SourceName;
  /** The listing page the price was read from. */
  url: string;
}

/** One model/API/repo as found, merged across sources by its key. */
export interface Candidate {
  key: string;
  /** tool_id it gets if it is new: its key words joined by "-". */
  tool_id: string;
  name: string;
  /** The owner (org/user) it was found under. */
  vendor: string | null;
  description: string | null;
  modalities: Modality[];
  /** Only when a listing states it (fal); null otherwise. */
  price: ListedPrice | null;
  /** URLs it was found at, best-known first. */
  sources: string[];
  found_in: SourceName[];
  /** Callable through an aggregator: fal endpoint id or Replicate owner/name; else the HF model id. */
  model_id: string | null;
  provider: "fal" | "replicate" | null;
  popularity: {
    github_stars: number | null;
    hf_downloads: number | null;
    hf_likes: number | null;
    replicate_runs: number | null;
  };
  /** The tool it matched when discovery ran (null = would be new). catalogApi checks again. */
  existing_tool_id: string | null;
}

interface Sighting {
  key: string;
  tool_id: string;
  source: SourceName;
  name: string;
  vendor: string | null;
  description: string | null;
  url: string;
  modalities: Modality[];
  price: ListedPrice | null;
  model_id: string | null;
  provider: "fal" | "replicate" | null;
  popularity: Partial<Candidate["popularity"]>;
}

const MODALITY_HINTS: [RegExp, Modality][] = [
  [/\btext[\s_-]*(?:to|2)[\s_-]*video\b|\bt2v\b|\bti2v\b/, "text-to-video"],
  [/\b(?:image|img)[\s_-]*(?:to|2)[\s_-]*video\b|\bi2v\b|\bti2v\b|\bflf2v\b/, "image-to-video"],
  [/\bvideo[\s_-]*(?:to|2)[\s_-]*video\b|\bv2v\b/, "video-to-video"],
  [/\b(?:audio|speech)[\s_-]*(?:to|2)[\s_-]*video\b|\bs2v\b/, "audio-to-video"],
];

/** Modalities named by tags, topics, a pipeline tag, a category or the model's own name. */
export function modalitiesFrom(...hints: (string | null | undefined)[]): Modality[] {
  const text = hints.filter(Boolean).join(" ").toLowerCase();
  return MODALITY_HINTS.filter(([pattern]) => pattern.test(text)).map(([, modality]) => modality);
}

/** A listing's unit word as one of the tool pricing units; null when it maps to none. */
export function pricingUnit(listed: string): PricingUnit | null {
  const u = listed.toLowerCase();
  if (/second/.test(u)) return "per_second";
  if (/minute/.test(u)) return "per_minute";
  if (/image|megapixel/.test(u)) return u.includes("megapixel") ? null : "per_image";
  if (/video|clip|generation|request|output/.test(u)) return "per_clip";
  return null;
}

const ownerOf = (id: string) => id.split("/")[0] ?? null;
const namePart = (id: string) => id.split("/").slice(1).join("/") || id;

function sighting(
  source: SourceName,
  id: string,
  fields: Omit<Sighting, "key" | "tool_id" | "source" | "vendor"> & { vendor?: string | null },
): Sighting | null {
  const words = keyWords(id, "id");
  const key = toolKey(id, "id");
  if (!key) return null;
  return { key, tool_id: words.join("-"), source, vendor: fields.vendor ?? ownerOf(id), ...fields };
}

const fromGithub = (r: GithubRepo) =>
  sighting("github", r.full_name, {
    name: namePart(r.full_name),
    description: r.description,
    url: r.html_url,
    modalities: modalitiesFrom(...r.topics, r.full_name),
    price: null,
    model_id: null,
    provider: null,
    popularity: { github_stars: r.stars },
  });

const fromHf = (m: HfModel) =>
  sighting("huggingface", m.model_id, {
    name: namePart(m.model_id),
    description: null,
    url: m.url,
    modalities: modalitiesFrom(m.pipeline_tag, ...m.tags, m.model_id),
    price: null,
    model_id: m.model_id,
    provider: null,
    popularity: { hf_downloads: m.downloads, hf_likes: m.likes },
  });

const fromReplicate = (m: ReplicateModel, hint: string) =>
  sighting("replicate", m.model_id, {
    name: m.name,
    description: m.description,
    url: m.url,
    modalities: modalitiesFrom(hint, ...m.tags, m.model_id),
    price: null,
    model_id: m.model_id,
    provider: "replicate",
    popularity: { replicate_runs: m.run_count },
  });

function fromFal(m: FalModel): Sighting | null {
  const unit = m.price ? pricingUnit(m.price.unit) : null;
  return sighting("fal", m.endpoint_id, {
    name: m.display_name ?? namePart(m.endpoint_id),
    description: m.description,
    url: m.url,
    modalities: modalitiesFrom(m.category, m.endpoint_id),
    price: m.price && unit ? { usd: m.price.usd, unit, source: "fal", url: m.url } : null,
    model_id: m.endpoint_id,
    provider: "fal",
    popularity: {},
    // fal's first path segment is the host ("fal-ai"), not the maker.
    vendor: null,
  });
}

// Which source's name and URL lead when several found the same model: the maker's own pages first.
const NAME_PRIORITY: SourceName[] = ["fal", "github", "replicate", "huggingface", "arxiv"];
const URL_PRIORITY: SourceName[] = ["github", "huggingface", "replicate", "fal", "arxiv"];
const rank = (order: SourceName[]) => (a: Sighting, b: Sighting) =>
  order.indexOf(a.source) - order.indexOf(b.source);

/** Sightings of one key → one candidate. */
function mergeSightings(sightings: Sighting[]): Candidate {
  const byName = [...sightings].sort(rank(NAME_PRIORITY));
  const byUrl = [...sightings].sort(rank(URL_PRIORITY));
  const lead = byName[0] as Sighting;
  const first = <T>(pick: (s: Sighting) => T | null | undefined, list = byName): T | null =>
    list.map(pick).find((v) => v !== null && v !== undefined) ?? null;
  const callable =
    sightings.find((s) => s.provider === "fal") ?? sightings.find((s) => s.provider === "replicate");
  const popularity = (k: keyof Candidate["popularity"]) =>
    sightings.reduce<number | null>((best, s) => {
      const v = s.popularity[k];
      return v === undefined || v === null ? best : Math.max(best ?? 0, v);
    }, null);
  return {
    key: lead.key,
    tool_id: byUrl.find((s) => s.source !== "fal")?.tool_id ?? lead.tool_id,
    name: lead.name,
    vendor: first((s) => s.vendor, byUrl),
    description: first((s) => s.description),
    modalities: [...new Set(sightings.flatMap((s) => s.modalities))],
    price: first((s) => s.price),
    sources: [...new Set(byUrl.map((s) => s.url))],
    found_in: [...new Set(byUrl.map((s) => s.source))],
    model_id: callable?.model_id ?? first((s) => s.model_id, byUrl),
    provider: callable?.provider ?? null,
    popularity: {
      github_stars: popularity("github_stars"),
      hf_downloads: popularity("hf_downloads"),
      hf_likes: popularity("hf_likes"),
      replicate_runs: popularity("replicate_runs"),
    },
    existing_tool_id: null,
  };
}

// ---------------------------------------------------------------- discoverApis

export interface DiscoveryLimits {
  /** Repositories per GitHub topic. Default 100. */
  githubPerTopic?: number;
  /** stars:>= for GitHub. Default 100. */
  githubMinStars?: number;
  /** Only repositories pushed within this many days. Default 180. */
  githubPushedWithinDays?: number;
  /** Models per Hugging Face pipeline tag. Default 100. */
  huggingfacePerTag?: number;
  /** Replicate search results per query. Default 50. */
  replicatePerSearch?: number;
  /** Models per fal category. Default 100. */
  falPerCategory?: number;
}

/** A source's failure, or a warning (`level: "warning"`) about data that may be missing. */
export interface SourceError extends SourceProblem {
  source: SourceName;
}

export interface DiscoveryResult {
  /** One per distinct model, merged across sources, ordered by key. */
  candidates: Candidate[];
  /** A failing source lands here (the others still ran), and so do warnings about a source's data. */
  errors: SourceError[];
  counts: {
    github_repos: number;
    hf_models: number;
    replicate_models: number;
    fal_models: number;
    /** Items a source returned that did not parse (skipped). */
    malformed_items: number;
    candidates: number;
    /** Candidates no existing tool matched. */
    new_candidates: number;
  };
  /** Sources that did not run because they are not configured (Replicate without a token). */
  not_configured: SourceName[];
  /** Stars per GitHub repository found ("owner/repo" lower-case), for the SOTA tracker's trending rule. */
  github_stars: Record<string, number>;
}

export interface DiscoveryDeps {
  sources: ResearchSources;
  db: Queryable;
  now?: Date;
  limits?: DiscoveryLimits;
}

/**
 * Runs `calls` one after another (one polite connection per source); the first failure stops the
 * source, be it a call that failed or a later page of one (the HTTP client had already retried it).
 */
async function gather<T>(
  source: SourceName,
  calls: (() => Promise<SourceBatch<T>>)[],
  errors: SourceError[],
): Promise<SourceBatch<T>> {
  const out: SourceBatch<T> = { records: [], skipped: 0 };
  for (const call of calls) {
    try {
      const batch = await call();
      out.records.push(...batch.records);
      out.skipped += batch.skipped;
      const problems = batch.problems ?? [];
      errors.push(...problems.map((problem) => ({ source, ...problem })));
      if (problems.some(isFailure)) break;
    } catch (error) {
      // What was gathered before the failure is kept; the error is reported for this source.
      errors.push({ source, message: errorMessage(error) });
      break;
    }
  }
  return out;
}

/** Gathers from every configured source at once; a failing source is reported and the others go on. */
export async function discoverApis(deps: DiscoveryDeps): Promise<DiscoveryResult> {
  const { sources, limits = {} } = deps;
  const now = deps.now ?? new Date();
  const errors: SourceError[] = [];
  const pushedSince = new Date(now.getTime() - (limits.githubPushedWithinDays ?? 180) * 86_400_000)
    .toISOString()
    .slice(0, 10);

  const [github, hf, replicate, fal] = await Promise.all([
    gather(
      "github",
      GITHUB_TOPICS.map(
        (topic) => () =>
          sources.github.searchRepositories(topic, {
            pushedSince,
            minStars: limits.githubMinStars ?? 100,
            maxResults: limits.githubPerTopic ?? 100,
          }),
      ),
      errors,
    ),
    gather(
      "huggingface",
      HF_PIPELINE_TAGS.map(
        (tag) => () => sources.huggingface.listModels(tag, { maxResults: limits.huggingfacePerTag ?? 100 }),
      ),
      errors,
    ),
    sources.replicate
      ? gather<{ model: ReplicateModel; hint: string }>(
          "replicate",
          [
            ...REPLICATE_COLLECTIONS.map((slug) => async () => {
              const batch = await (
                sources.replicate as NonNullable<ResearchSources["replicate"]>
              ).collectionModels(slug);
              return { ...batch, records: batch.records.map((model) => ({ model, hint: slug })) };
            }),
            ...REPLICATE_SEARCHES.map((query) => async () => {
              const batch = await (
                sources.replicate as NonNullable<ResearchSources["replicate"]>
              ).searchModels(query, {
                limit: limits.replicatePerSearch ?? 50,
              });
              return { ...batch, records: batch.records.map((model) => ({ model, hint: query })) };
            }),
          ],
          errors,
        )
      : Promise.resolve({ records: [], skipped: 0 }),
    gather(
      "fal",
      FAL_CATEGORIES.map(
        (category) => () => sources.fal.listModels(category, { maxResults: limits.falPerCategory ?? 100 }),
      ),
      errors,
    ),
  ]);

  const sightings = [
    ...github.records.map(fromGithub),
    ...hf.records.map(fromHf),
    ...replicate.records.map((r) => fromReplicate(r.model, r.hint)),
    ...fal.records.map(fromFal),
  ].filter((s): s is Sighting => s !== null);

  const groups = new Map<string, Sighting[]>();
  for (const s of sightings) groups.set(s.key, [...(groups.get(s.key) ?? []), s]);
  const index = await loadToolIndex(deps.db);
  const candidates = [...groups.values()]
    .map(mergeSightings)
    .map((c) => ({ ...c, existing_tool_id: index.match(c)?.tool_id ?? null }))
    .sort((a, b) => a.key.localeCompare(b.key));

  const github_stars: Record<string, number> = {};
  for (const r of github.records) github_stars[r.full_name.toLowerCase()] = r.stars;

  return {
    candidates,
    errors,
    counts: {
      github_repos: github.records.length,
      hf_models: hf.records.length,
      replicate_models: replicate.records.length,
      fal_models: fal.records.length,
      malformed_items: github.skipped + hf.skipped + replicate.skipped + fal.skipped,
      candidates: candidates.length,
      new_candidates: candidates.filter((c) => c.existing_tool_id === null).length,
    },
    not_configured: sources.replicate ? [] : ["replicate"],
    github_stars,
  };
}

// ---------------------------------------------------------------- catalogApi

interface StoredListedPrice {
  usd: number;
  unit: PricingUnit;
  url: string;
  seen_at: string;
}

interface IndexedTool {
  tool_id: string;
  name: string;
  origin: string;
  sources: string[];
  modalities: Modality[];
  pricing: { unit: PricingUnit; usd: number | null };
  listed_prices: Record<string, StoredListedPrice>;
}

interface ToolIndex {
  match(candidate: Pick<Candidate, "key" | "sources">): IndexedTool | undefined;
  add(tool: IndexedTool, keys: string[]): void;
}

interface IndexRow {
  tool_id: string;
  name: string;
  vendor: string | null;
  origin: string;
  sources: string[] | null;
  capabilities: { modalities?: Modality[] } | null;
  pricing: { unit?: PricingUnit; usd?: number | null } | null;
  api_integration: { model_id?: string | null; docs_url?: string | null } | null;
  listed_prices: Record<string, StoredListedPrice> | null;
}

/** All tools by every key they answer to; seed rows win a key over research rows. */
async function loadToolIndex(db: Queryable): Promise<ToolIndex> {
  const { rows } = await db.query<IndexRow>(
    `SELECT tool_id, name, vendor, origin, sources, capabilities, pricing, api_integration, listed_prices
     FROM tools ORDER BY (origin = 'seed') DESC, tool_id`,
  );
  const byKey = new Map<string, IndexedTool>();
  const add = (tool: IndexedTool, keys: string[]) => {
    for (const key of keys) if (!byKey.has(key)) byKey.set(key, tool);
  };
  for (const row of rows) {
    const tool: IndexedTool = {
      tool_id: row.tool_id,
      name: row.name,
      origin: row.origin,
      sources: row.sources ?? [],
      modalities: row.capabilities?.modalities ?? [],
      pricing: { unit: row.pricing?.unit ?? "unknown", usd: row.pricing?.usd ?? null },
      listed_prices: row.listed_prices ?? {},
    };
    add(
      tool,
      toolKeys({
        tool_id: row.tool_id,
        name: row.name,
        vendor: row.vendor,
        model_id: row.api_integration?.model_id ?? null,
        docs_url: row.api_integration?.docs_url ?? null,
        sources: row.sources ?? [],
      }),
    );
  }
  return {
    match: (c) => byKey.get(c.key) ?? c.sources.map((u) => byKey.get(urlKey(u))).find(Boolean),
    add,
  };
}

const PROVIDER_API = {
  fal: {
    base_url: "https://queue.fal.run",
    key_env: "FAL_KEY",
    docs: (id: string) => `https://fal.ai/models/${id}`,
  },
  replicate: {
    base_url: "https://api.replicate.com/v1",
    key_env: "REPLICATE_API_TOKEN",
    docs: (id: string) => `https://replicate.com/${id}`,
  },
} as const;

/** A candidate as a `tools` row (status candidate, origin research). */
export function candidateTool(candidate: Candidate, now: Date): Tool {
  const price = candidate.price;
  const provider = candidate.provider ? PROVIDER_API[candidate.provider] : null;
  return parseOrThrow(
    Tool,
    {
      tool_id: candidate.tool_id,
      name: candidate.name,
      vendor: candidate.vendor,
      category: "video_generation",
      status: "candidate",
      status_note: `Found by research on ${candidate.found_in.join(", ")} (${now.toISOString().slice(0, 10)}); not reviewed or benchmarked yet.`,
      capabilities: { modalities: candidate.modalities },
      pricing: price
        ? {
            unit: price.unit,
            usd: price.usd,
            as_of: now.toISOString().slice(0, 10),
            sources: [price.url],
            notes: `as listed by ${price.source}`,
          }
        : { unit: "unknown", usd: null, notes: "no listing states a price" },
      api: {
        provider: candidate.provider,
        base_url: provider?.base_url ?? null,
        model_id: candidate.model_id,
        docs_url:
          provider && candidate.model_id ? provider.docs(candidate.model_id) : (candidate.sources[0] ?? null),
        key_env: provider?.key_env ?? null,
      },
      best_for: [],
      limitations: ["not reviewed or benchmarked yet: capabilities and limits unknown"],
      sources: candidate.sources,
    },
    `candidate tool ${candidate.tool_id}`,
  );
}

const INSERT_CANDIDATE = `
INSERT INTO tools (tool_id, name, vendor, category, status, status_note, capabilities, quality_metrics, pricing,
  performance, api_integration, best_for, limitations, sources, origin, listed_prices)
VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9::jsonb, $10::jsonb, $11::jsonb, $12::text[], $13::text[],
  $14::text[], 'research', $15::jsonb)
ON CONFLICT (tool_id) DO NOTHING
RETURNING tool_id`;

/**
 * Candidates → the tools table, loading the current tools once. New ones become tools with status
 * "candidate" and origin 'research' (a `new_tool` change each); known ones may yield a
 * `price_change` (see the module comment). Running it again on the same candidates changes nothing.
 */
export async function catalogApis(
  db: Queryable,
  candidates: readonly Candidate[],
  options: { now?: Date } = {},
): Promise<ToolStackChange[]> {
  const now = options.now ?? new Date();
  const index = await loadToolIndex(db);
  const changes: ToolStackChange[] = [];
  for (const candidate of candidates) {
    const existing = index.match(candidate);
    const change = existing
      ? await refreshKnownTool(db, existing, candidate, now)
      : await insertCandidate(db, index, candidate, now);
    if (change) changes.push(change);
  }
  return changes;
}

/** One candidate; see catalogApis. */
export async function catalogApi(
  db: Queryable,
  candidate: Candidate,
  options: { now?: Date } = {},
): Promise<ToolStackChange | null> {
  return (await catalogApis(db, [candidate], options))[0] ?? null;
}

async function insertCandidate(
  db: Queryable,
  index: ToolIndex,
  candidate: Candidate,
  now: Date,
): Promise<ToolStackChange | null> {
  const tool = candidateTool(candidate, now);
  const listed: Record<string, StoredListedPrice> = candidate.price
    ? {
        [candidate.price.source]: {
          usd: candidate.price.usd,
          unit: candidate.price.unit,
          url: candidate.price.url,
          seen_at: now.toISOString(),
        },
      }
    : {};
  const { rows } = await db.query<{ tool_id: string }>(INSERT_CANDIDATE, [
    ...toolRowParams(tool),
    JSON.stringify(listed),
  ]);
  index.add(
    {
      tool_id: tool.tool_id,
      name: tool.name,
      origin: "research",
      sources: tool.sources,
      modalities: tool.capabilities.modalities,
      pricing: { unit: tool.pricing.unit, usd: tool.pricing.usd },
      listed_prices: listed,
    },
    [candidate.key, toolKey(tool.tool_id)],
  );
  // No row back: another run inserted it between our read and this insert; it is not new to us.
  if (rows.length === 0) return null;
  return {
    kind: "new_tool",
    tool_id: tool.tool_id,
    name: tool.name,
    source: candidate.found_in.join(", "),
    url: candidate.sources[0] ?? null,
  };
}

async function refreshKnownTool(
  db: Queryable,
  tool: IndexedTool,
  candidate: Candidate,
  now: Date,
): Promise<ToolStackChange | null> {
  const research = tool.origin === "research";
  // A research row keeps learning where it is listed and what it does; seed rows are left as they are.
  if (research) {
    const sources = [...new Set([...tool.sources, ...candidate.sources])];
    const modalities = [...new Set([...tool.modalities, ...candidate.modalities])];
    if (sources.length !== tool.sources.length || modalities.length !== tool.modalities.length) {
      await db.query(
        `UPDATE tools SET sources = $2::text[],
           capabilities = jsonb_set(COALESCE(capabilities, '{}'::jsonb), '{modalities}', $3::jsonb), updated_at = now()
         WHERE tool_id = $1`,
        [tool.tool_id, sources, JSON.stringify(modalities)],
      );
      tool.sources = sources;
      tool.modalities = modalities;
    }
  }

  const price = candidate.price;
  if (!price) return null;
  const last = tool.listed_prices[price.source];
  if (last && last.usd === price.usd && last.unit === price.unit) return null;

  // What we knew before: the previous listed value, else the stored price (comparable only in one unit).
  const stored = tool.pricing;
  const baseline =
    last && last.unit === price.unit
      ? { usd: last.usd as number | null }
      : stored.unit === price.unit
        ? { usd: stored.usd }
        : stored.unit === "unknown" && stored.usd === null
          ? { usd: null }
          : null;

  const entry: StoredListedPrice = {
    usd: price.usd,
    unit: price.unit,
    url: price.url,
    seen_at: now.toISOString(),
  };
  tool.listed_prices = { ...tool.listed_prices, [price.source]: entry };
  await db.query(
    `UPDATE tools SET listed_prices = jsonb_set(listed_prices, $2::text[], $3::jsonb) WHERE tool_id = $1`,
    [tool.tool_id, [price.source], JSON.stringify(entry)],
  );
  if (research) {
    const pricing = {
      unit: price.unit,
      usd: price.usd,
      clip_seconds: null,
      usd_per_extra_second: null,
      as_of: now.toISOString().slice(0, 10),
      sources: [price.url],
      notes: `as listed by ${price.source}`,
    };
    await db.query(`UPDATE tools SET pricing = $2::jsonb, updated_at = now() WHERE tool_id = $1`, [
      tool.tool_id,
      JSON.stringify(pricing),
    ]);
    tool.pricing = { unit: price.unit, usd: price.usd };
  }

  if (!baseline || baseline.usd === price.usd) return null;
  return {
    kind: "price_change",
    tool_id: tool.tool_id,
    name: tool.name,
    before: baseline.usd,
    after: price.usd,
    unit: price.unit,
    source: price.url,
  };
}
