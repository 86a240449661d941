import {
  type AdapterOptions,
  DEFAULT_POLL_INTERVAL_MS,
  type GenerationParams,
  PollingAdapter,
  type PollReading,
  type ProviderAdapter,
  providerClients,
  requestJson,
  requiredString,
  withPathSuffix,
} from "./adapter.js";

/**
 * Luma Dream Machine API (seed: luma-ray2; docs.lumalabs.ai): POST /dream-machine/v1/generations/video
 * { prompt, model, duration "5s", aspect_ratio, keyframes? } → Generation { id, state };
 * GET /dream-machine/v1/generations/{id} → state queued | dreaming | completed | failed,
 * assets.video, failure_reason. Luma documents no poll interval; we use DEFAULT_POLL_INTERVAL_MS.
 */
interface LumaGeneration {
  id?: string;
  state?: string;
  assets?: { video?: string | null } | null;
  failure_reason?: string | null;
}

export function createLumaAdapter(options: AdapterOptions): ProviderAdapter {
  const { submit, read } = providerClients(
    "luma",
    withPathSuffix(options.baseUrl, "/dream-machine/v1"),
    { Authorization: `Bearer ${options.apiKey}` },
    options,
  );

  async function create(prompt: string, params: GenerationParams): Promise<string> {
    const body = {
      prompt,
      model: params.model,
      ...(params.duration_s ? { duration: `${params.duration_s}s` } : {}),
      ...(params.aspect_ratio ? { aspect_ratio: params.aspect_ratio } : {}),
      ...(params.image_url ? { keyframes: { frame0: { type: "image", url: params.image_url } } } : {}),
    };
    const reply = await requestJson<LumaGeneration>(submit, "generations/video", {
      method: "POST",
      json: body,
    });
    return requiredString("luma", reply.id, "id");
  }

  async function poll(taskId: string): Promise<PollReading> {
    const generation = await requestJson<LumaGeneration>(read, `generations/${encodeURIComponent(taskId)}`);
    switch (generation.state) {
      case "completed":
        return { done: true, outputUrl: requiredString("luma", generation.assets?.video, "assets.video") };
      case "failed":
        return { done: true, failure: generation.failure_reason || "failed (no reason given)" };
      default:
        return { done: false };
    }
  }

  return new PollingAdapter("luma", DEFAULT_POLL_INTERVAL_MS, options, create, poll);
}
