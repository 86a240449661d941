import type { Config } from "../../config.js";
import type { AdapterOptions, ProviderAdapter, ProviderId } from "./adapter.js";
import { createFalAdapter } from "./fal.js";
import { createLumaAdapter } from "./luma.js";
import { createReplicateAdapter } from "./replicate.js";
import { createRunwayAdapter } from "./runway.js";

export * from "./adapter.js";
export { createFalAdapter, FAL_QUEUE_URL, falQueueUrl } from "./fal.js";
export { createLumaAdapter } from "./luma.js";
export { createReplicateAdapter } from "./replicate.js";
export { createRunwayAdapter, RUNWAY_MIN_POLL_MS } from "./runway.js";

export type ProviderConfig = Pick<
  Config,
  | "RUNWAY_API_URL"
  | "RUNWAYML_API_SECRET"
  | "LUMA_API_URL"
  | "LUMA_API_KEY"
  | "FAL_API_URL"
  | "FAL_KEY"
  | "REPLICATE_API_URL"
  | "REPLICATE_API_TOKEN"
>;

export type ProviderAdapters = Partial<Record<ProviderId, ProviderAdapter>>;

type Shared = Omit<AdapterOptions, "baseUrl" | "apiKey">;

/** An adapter for each provider whose key is configured; the others are absent (never called). */
export function createProviderAdapters(config: ProviderConfig, shared: Shared = {}): ProviderAdapters {
  const adapters: ProviderAdapters = {};
  if (config.RUNWAYML_API_SECRET)
    adapters.runway = createRunwayAdapter({
      ...shared,
      baseUrl: config.RUNWAY_API_URL,
      apiKey: config.RUNWAYML_API_SECRET,
    });
  if (config.LUMA_API_KEY)
    adapters.luma = createLumaAdapter({
      ...shared,
      baseUrl: config.LUMA_API_URL,
      apiKey: config.LUMA_API_KEY,
    });
  if (config.FAL_KEY)
    adapters.fal = createFalAdapter({ ...shared, baseUrl: config.FAL_API_URL, apiKey: config.FAL_KEY });
  if (config.REPLICATE_API_TOKEN)
    adapters.replicate = createReplicateAdapter({
      ...shared,
      baseUrl: config.REPLICATE_API_URL,
      apiKey: config.REPLICATE_API_TOKEN,
    });
  return adapters;
}
