import { z } from "zod";
import type { HttpClient } from "../http.js";
import { pageThrough, parseEnvelope, parseItems, type SourceBatch } from "./records.js";

/**
 * fal model catalog (research_sources.fal_catalog in the seed; Authorization: Key <FAL_KEY>, optional
 * for reads). The seed marks the parameter names as unverified; public clients call
 * GET <FAL_API_URL>/v1/models?category=text-to-video&status=active&limit=N[&cursor=…] and read
 * { models: [{ endpoint_id, metadata: { display_name, category, description, status, tags } }],
 * has_more, next_cursor }. Everything but endpoint_id is treated as optional.
 *
 * Price: the seed says the catalog "returns endpoint metadata + pricing" without giving the field, so a
 * price is read only when an item carries `pricing` (or metadata.pricing) in the shape fal's pricing
 * endpoint uses, { unit_price, unit, currency: "USD" }; otherwise it is null, never guessed.
 */

export const FAL_CATEGORIES = ["text-to-video", "image-to-video"] as const;

const Pricing = z.object({ unit_price: z.number().min(0), unit: z.string().min(1), currency: z.string() });

const nullableString = z
  .string()
  .nullable()
  .optional()
  .transform((s) => s ?? null);

export const FalModel = z
  .object({
    endpoint_id: z.string().regex(/^[^/\s]+\/\S+$/),
    metadata: z
      .object({
        display_name: nullableString,
        category: nullableString,
        description: nullableString,
        status: nullableString,
        tags: z.array(z.string()).nullable().optional(),
        pricing: z.unknown().optional(),
      })
      .nullable()
      .optional(),
    pricing: z.unknown().optional(),
  })
  .transform((m) => {
    const priced = Pricing.safeParse(m.pricing ?? m.metadata?.pricing);
    const usd = priced.success && priced.data.currency.toUpperCase() === "USD" ? priced.data : null;
    return {
      endpoint_id: m.endpoint_id,
      display_name: m.metadata?.display_name ?? null,
      category: m.metadata?.category ?? null,
      description: m.metadata?.description ?? null,
      status: m.metadata?.status ?? null,
      tags: m.metadata?.tags ?? [],
      url: `https://fal.ai/models/${m.endpoint_id}`,
      /** fal's listing gives no run count. */
      run_count: null,
      /** USD per `unit` as the listing states it (e.g. unit "second"); null when it states none. */
      price: usd ? { usd: usd.unit_price, unit: usd.unit } : null,
    };
  });
export type FalModel = z.output<typeof FalModel>;

const ListReply = z.object({
  models: z.array(z.unknown()),
  has_more: z.boolean().optional(),
  next_cursor: z.string().nullable().optional(),
});

export interface FalSource {
  readonly name: "fal";
  listModels(
    category: string,
    options?: { maxResults?: number; pageSize?: number },
  ): Promise<SourceBatch<FalModel>>;
}

export function createFalSource(http: HttpClient): FalSource {
  return {
    name: "fal",
    async listModels(category, options = {}) {
      const maxResults = options.maxResults ?? 100;
      const out: SourceBatch<FalModel> = { records: [], skipped: 0 };
      let cursor: string | undefined;
      let seen = 0;
      await pageThrough("fal", `category:${category}`, out, async () => {
        const { body } = await http.getJson("/v1/models", {
          category,
          status: "active",
          limit: Math.min(options.pageSize ?? 100, maxResults),
          cursor,
        });
        const reply = parseEnvelope("fal", ListReply, body);
        const batch = parseItems(FalModel, reply.models.slice(0, maxResults - seen));
        out.records.push(...batch.records);
        out.skipped += batch.skipped;
        seen += reply.models.length;
        cursor = reply.has_more && reply.next_cursor ? reply.next_cursor : undefined;
        return cursor !== undefined && seen < maxResults;
      });
      return out;
    },
  };
}
