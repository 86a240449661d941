import {
  type AdapterOptions,
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
 * Runway API (seed: runway-gen4-*; docs.dev.runwayml.com): POST /v1/text_to_video or /v1/image_to_video
 * → { id }; GET /v1/tasks/{id} → status PENDING | THROTTLED | RUNNING | SUCCEEDED | FAILED | CANCELLED,
 * output[] (signed URLs), failure + failureCode. Runway asks that a task be polled at most every 5 s.
 */
export const RUNWAY_MIN_POLL_MS = 5_000;
const RUNWAY_VERSION = "2024-11-06";

/** Runway wants pixel ratios; these are the gen4 ones for the common aspect ratios (seed list). */
const RUNWAY_RATIOS: Record<string, string> = { "16:9": "1280:720", "9:16": "720:1280", "1:1": "960:960" };

interface RunwayTask {
  status?: string;
  output?: string[];
  failure?: string;
  failureCode?: string;
}

export function createRunwayAdapter(options: AdapterOptions): ProviderAdapter {
  const { submit, read } = providerClients(
    "runway",
    withPathSuffix(options.baseUrl, "/v1"),
    { Authorization: `Bearer ${options.apiKey}`, "X-Runway-Version": RUNWAY_VERSION },
    options,
  );

  async function create(prompt: string, params: GenerationParams): Promise<string> {
    const ratio = params.aspect_ratio
      ? (RUNWAY_RATIOS[params.aspect_ratio] ?? params.aspect_ratio)
      : undefined;
    const body = {
      model: params.model,
      promptText: prompt,
      ...(params.image_url ? { promptImage: params.image_url } : {}),
      ...(ratio ? { ratio } : {}),
      ...(params.duration_s ? { duration: params.duration_s } : {}),
    };
    const path = params.image_url ? "image_to_video" : "text_to_video";
    const reply = await requestJson<{ id?: unknown }>(submit, path, { method: "POST", json: body });
    return requiredString("runway", reply.id, "id");
  }

  async function poll(taskId: string): Promise<PollReading> {
    const task = await requestJson<RunwayTask>(read, `tasks/${encodeURIComponent(taskId)}`);
    switch (task.status) {
      case "SUCCEEDED":
        return { done: true, outputUrl: requiredString("runway", task.output?.[0], "output[0]") };
      case "FAILED":
        return {
          done: true,
          failure: [task.failureCode, task.failure].filter(Boolean).join(": ") || "failed (no reason given)",
        };
      case "CANCELLED":
        return { done: true, failure: "cancelled" };
      default:
        return { done: false };
    }
  }

  return new PollingAdapter("runway", RUNWAY_MIN_POLL_MS, options, create, poll);
}
