import { z } from "zod";
import type { HttpClient, HttpResponse } from "../http.js";
import { malformedReply, nextLink, pageThrough, parseItems, type SourceBatch } from "./records.js";

/**
 * Hugging Face Hub models API (research_sources.huggingface_models in the seed):
 * GET <HF_API_URL>/api/models?pipeline_tag=text-to-video&sort=trendingScore&direction=-1&limit=N.
 * The reply is a JSON array; further pages come as an RFC 5988 Link header (rel="next"). Public reads
 * need no token. `lastModified` is only sent with full=true, which also lists every file of every
 * model, so it is not requested: last_modified is null when the Hub leaves it out.
 */

export const HF_PIPELINE_TAGS = ["text-to-video", "image-to-video"] as const;

const optionalIso = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), "a date")
  .transform((s) => new Date(s).toISOString())
  .nullable()
  .optional()
  .transform((s) => s ?? null);
const count = z
  .number()
  .int()
  .min(0)
  .nullable()
  .optional()
  .transform((n) => n ?? null);

export const HfModel = z
  .object({
    id: z
      .string()
      .regex(/^[^/\s]+\/[^/\s]+$/)
      .optional(),
    modelId: z
      .string()
      .regex(/^[^/\s]+\/[^/\s]+$/)
      .optional(),
    pipeline_tag: z.string().nullable().optional(),
    downloads: count,
    likes: count,
    trendingScore: z.number().nullable().optional(),
    lastModified: optionalIso,
    createdAt: optionalIso,
    tags: z.array(z.string()).default([]),
    private: z.boolean().optional(),
  })
  .refine((m) => Boolean(m.id ?? m.modelId), "id or modelId")
  .transform((m) => ({
    model_id: (m.id ?? m.modelId) as string,
    pipeline_tag: m.pipeline_tag ?? null,
    downloads: m.downloads,
    likes: m.likes,
    trending_score: m.trendingScore ?? null,
    last_modified: m.lastModified,
    created_at: m.createdAt,
    tags: m.tags,
    url: `https://huggingface.co/${m.id ?? m.modelId}`,
  }));
export type HfModel = z.output<typeof HfModel>;

export interface HfListOptions {
  /** trendingScore (default) or downloads, likes, lastModified, createdAt. */
  sort?: "trendingScore" | "downloads" | "likes" | "lastModified" | "createdAt";
  /** Most models for this pipeline tag, all pages together. Default 100. */
  maxResults?: number;
  /** limit per request. Default 100. */
  pageSize?: number;
}

export interface HuggingFaceSource {
  readonly name: "huggingface";
  listModels(pipelineTag: string, options?: HfListOptions): Promise<SourceBatch<HfModel>>;
}

export function createHuggingFaceSource(http: HttpClient): HuggingFaceSource {
  return {
    name: "huggingface",
    async listModels(pipelineTag, options = {}) {
      const maxResults = options.maxResults ?? 100;
      const pageSize = options.pageSize ?? 100;
      const out: SourceBatch<HfModel> = { records: [], skipped: 0 };
      let seen = 0;
      let next: string | null = null;
      await pageThrough("huggingface", `pipeline_tag:${pipelineTag}`, out, async () => {
        const page: { body: unknown; response: HttpResponse } = next
          ? await http.getJson(next)
          : await http.getJson("/api/models", {
              pipeline_tag: pipelineTag,
              sort: options.sort ?? "trendingScore",
              direction: -1,
              limit: Math.min(pageSize, maxResults),
            });
        const { body, response } = page;
        if (!Array.isArray(body)) throw malformedReply("huggingface", "expected a JSON array of models");
        const batch = parseItems(HfModel, body.slice(0, maxResults - seen));
        out.records.push(...batch.records);
        out.skipped += batch.skipped;
        seen += body.length;
        next = body.length > 0 ? nextLink(response.headers.get("link"), response.url) : null;
        return next !== null && seen < maxResults;
      });
      return out;
    },
  };
}
