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
 * Replicate HTTP API (seed: replicate; replicate.com/docs/reference/http): a model "owner/name" runs with
 * POST /v1/models/{owner}/{name}/predictions { input }, a pinned "owner/name:version" with
 * POST /v1/predictions { version, input } → Prediction { id, status }; GET /v1/predictions/{id} →
 * status starting | processing | succeeded | failed | canceled, output (a URL or a list of URLs), error.
 * Replicate documents no poll interval; we use DEFAULT_POLL_INTERVAL_MS.
 */
interface Prediction {
  id?: string;
  status?: string;
  output?: unknown;
  error?: unknown;
}

export function createReplicateAdapter(options: AdapterOptions): ProviderAdapter {
  const { submit, read } = providerClients(
    "replicate",
    withPathSuffix(options.baseUrl, "/v1"),
    { Authorization: `Bearer ${options.apiKey}` },
    options,
  );

  async function create(prompt: string, params: GenerationParams): Promise<string> {
    const input = {
      prompt,
      ...(params.duration_s ? { duration: params.duration_s } : {}),
      ...(params.aspect_ratio ? { aspect_ratio: params.aspect_ratio } : {}),
      ...(params.image_url ? { image: params.image_url } : {}),
    };
    const [model, version] = params.model.split(":");
    const reply = version
      ? await requestJson<Prediction>(submit, "predictions", { method: "POST", json: { version, input } })
      : await requestJson<Prediction>(submit, `models/${model}/predictions`, {
          method: "POST",
          json: { input },
        });
    return requiredString("replicate", reply.id, "id");
  }

  async function poll(taskId: string): Promise<PollReading> {
    const prediction = await requestJson<Prediction>(read, `predictions/${encodeURIComponent(taskId)}`);
    switch (prediction.status) {
      case "succeeded": {
        const output = Array.isArray(prediction.output) ? prediction.output[0] : prediction.output;
        return { done: true, outputUrl: requiredString("replicate", output, "output") };
      }
      case "failed":
        return {
          done: true,
          failure:
            typeof prediction.error === "string" && prediction.error
              ? prediction.error
              : "failed (no reason given)",
        };
      case "canceled":
        return { done: true, failure: "canceled" };
      default:
        return { done: false };
    }
  }

  return new PollingAdapter("replicate", DEFAULT_POLL_INTERVAL_MS, options, create, poll);
}
