import { z } from "zod";
import type { HttpClient } from "../http.js";
import { pageThrough, parseEnvelope, parseItems, type SourceBatch } from "./records.js";

/**
 * Replicate catalog (research_sources.replicate_catalog in the seed), Authorization: Bearer <token>:
 * - GET /v1/collections/text-to-video → { name, slug, description, models: [model] }
 * - GET /v1/search?query=…&limit=N (beta) → { models: [{ model, metadata: { tags, … } }], … }
 * - GET /v1/models → { next, previous, results: [model] }, `next` an absolute URL (cursor pagination)
 * A model is { url, owner, name, description, run_count, github_url, paper_url, … }. None of these
 * listings states a price, so `price` is always null here (prices come from the seed, never guessed).
 */

export const REPLICATE_COLLECTIONS = ["text-to-video"] as const;
export const REPLICATE_SEARCHES = ["image to video"] as const;

const nullableString = z
  .string()
  .nullable()
  .optional()
  .transform((s) => s ?? null);

const RawModel = z.object({
  owner: z.string().regex(/^[^/\s]+$/),
  name: z.string().regex(/^[^/\s]+$/),
  url: z.string().url().optional(),
  description: nullableString,
  run_count: z.number().int().min(0).nullable().optional(),
  github_url: nullableString,
  paper_url: nullableString,
});

/** The listing's record for one model; `tags` only come with search results. */
export interface ReplicateModel {
  model_id: string;
  owner: string;
  name: string;
  description: string | null;
  url: string;
  run_count: number | null;
  github_url: string | null;
  paper_url: string | null;
  tags: string[];
  /** Replicate's listings state no price: always null. */
  price: null;
}

const toRecord = (m: z.output<typeof RawModel>, tags: string[] = []): ReplicateModel => ({
  model_id: `${m.owner}/${m.name}`,
  owner: m.owner,
  name: m.name,
  description: m.description,
  url: m.url ?? `https://replicate.com/${m.owner}/${m.name}`,
  run_count: m.run_count ?? null,
  github_url: m.github_url,
  paper_url: m.paper_url,
  tags,
  price: null,
});

export const ReplicateModel = RawModel.transform((m) => toRecord(m));
const ReplicateSearchHit = z
  .object({
    model: RawModel,
    metadata: z
      .object({ tags: z.array(z.string()).default([]) })
      .partial()
      .nullable()
      .optional(),
  })
  .transform((hit) => toRecord(hit.model, hit.metadata?.tags ?? []));

const CollectionReply = z.object({ slug: z.string().optional(), models: z.array(z.unknown()) });
const SearchReply = z.object({ models: z.array(z.unknown()) });
const ListReply = z.object({ next: z.string().nullable().optional(), results: z.array(z.unknown()) });

export interface ReplicateSource {
  readonly name: "replicate";
  collectionModels(slug: string): Promise<SourceBatch<ReplicateModel>>;
  searchModels(query: string, options?: { limit?: number }): Promise<SourceBatch<ReplicateModel>>;
  /** Every public model, newest first, following `next` for at most `maxPages` pages. */
  listModels(options?: { maxPages?: number }): Promise<SourceBatch<ReplicateModel>>;
}

export function createReplicateSource(http: HttpClient): ReplicateSource {
  return {
    name: "replicate",
    async collectionModels(slug) {
      const { body } = await http.getJson(`/v1/collections/${encodeURIComponent(slug)}`);
      return parseItems(ReplicateModel, parseEnvelope("replicate", CollectionReply, body).models);
    },
    async searchModels(query, options = {}) {
      const { body } = await http.getJson("/v1/search", { query, limit: options.limit ?? 50 });
      return parseItems(ReplicateSearchHit, parseEnvelope("replicate", SearchReply, body).models);
    },
    async listModels(options = {}) {
      const out: SourceBatch<ReplicateModel> = { records: [], skipped: 0 };
      let next: string | null = "/v1/models";
      await pageThrough("replicate", "all models", out, async (page) => {
        const { body }: { body: unknown } = await http.getJson(next as string);
        const reply: z.output<typeof ListReply> = parseEnvelope("replicate", ListReply, body);
        const batch = parseItems(ReplicateModel, reply.results);
        out.records.push(...batch.records);
        out.skipped += batch.skipped;
        next = reply.next ?? null;
        return next !== null && page < (options.maxPages ?? 1);
      });
      return out;
    },
  };
}
