import { errorMessage } from "../../domain/errors.js";
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
} from "./adapter.js";

/**
 * fal queue API (seed: fal-ai; fal.ai/docs .../inference/queue): POST /{endpoint_id} with the model's
 * JSON input → { request_id, status_url, response_url }; GET status_url → status IN_QUEUE | IN_PROGRESS |
 * COMPLETED; GET response_url → the model's output (video models: { video: { url } }), or an error
 * (HTTP error, or a `detail`/`error` field) when the request failed. Auth: "Authorization: Key <FAL_KEY>".
 *
 * FAL_API_URL defaults to https://api.fal.ai, fal's platform API (model catalog, used by discovery);
 * generations go to the queue host, https://queue.fal.run. A non-default FAL_API_URL (a proxy or a
 * test fake) serves both.
 */
export const FAL_QUEUE_URL = "https://queue.fal.run";
const FAL_PLATFORM_HOST = "api.fal.ai";

interface FalSubmit {
  request_id?: string;
  status_url?: string;
  response_url?: string;
}

interface FalResult {
  video?: { url?: string } | null;
  detail?: unknown;
  error?: unknown;
}

export function falQueueUrl(baseUrl: string): string {
  return new URL(baseUrl).host === FAL_PLATFORM_HOST ? FAL_QUEUE_URL : baseUrl;
}

/** The app part of an endpoint id ("fal-ai/kling-video/v2.5-turbo/pro/t2v" → "fal-ai/kling-video"). */
const appOf = (endpointId: string) => endpointId.split("/").slice(0, 2).join("/");

export function createFalAdapter(options: AdapterOptions): ProviderAdapter {
  const { submit, read } = providerClients(
    "fal",
    falQueueUrl(options.baseUrl),
    { Authorization: `Key ${options.apiKey}` },
    options,
  );
  // Where to poll each request: the URLs fal returned, else the documented paths.
  const requests = new Map<string, { status: string; response: string }>();

  async function create(prompt: string, params: GenerationParams): Promise<string> {
    // Inputs differ per model; prompt is universal, and the video models in the seed (Kling, Pika,
    // Hailuo, Seedance) take duration as a string of seconds and aspect_ratio like "16:9".
    const body = {
      prompt,
      ...(params.duration_s ? { duration: String(params.duration_s) } : {}),
      ...(params.aspect_ratio ? { aspect_ratio: params.aspect_ratio } : {}),
      ...(params.image_url ? { image_url: params.image_url } : {}),
    };
    const reply = await requestJson<FalSubmit>(submit, params.model, { method: "POST", json: body });
    const id = requiredString("fal", reply.request_id, "request_id");
    const base = `${appOf(params.model)}/requests/${encodeURIComponent(id)}`;
    requests.set(id, { status: reply.status_url ?? `${base}/status`, response: reply.response_url ?? base });
    return id;
  }

  async function poll(taskId: string): Promise<PollReading> {
    const urls = requests.get(taskId);
    if (!urls)
      throw new Error(`fal: request ${taskId} was not created by this adapter (its URLs are unknown)`);
    const status = await requestJson<{ status?: string; error?: unknown }>(read, urls.status);
    if (status.status === "FAILED" || status.status === "CANCELED" || status.status === "CANCELLED")
      return { done: true, failure: describe(status.error) ?? status.status.toLowerCase() };
    if (status.status !== "COMPLETED") return { done: false };
    let result: FalResult;
    try {
      result = await requestJson<FalResult>(read, urls.response);
    } catch (error) {
      // A failed request answers its result URL with an HTTP error whose body says why.
      return { done: true, failure: failureOf(error) };
    }
    const failure = describe(result.error) ?? describe(result.detail);
    if (failure) return { done: true, failure };
    return { done: true, outputUrl: requiredString("fal", result.video?.url, "video.url") };
  }

  return new PollingAdapter("fal", DEFAULT_POLL_INTERVAL_MS, options, create, poll, (id) =>
    requests.delete(id),
  );
}

/** The `detail` of fal's error body when the HTTP error carries one, else the error's message. */
function failureOf(error: unknown): string {
  const text = errorMessage(error);
  const body = /HTTP \d+: (\{.*\}) \(/.exec(text)?.[1];
  if (body) {
    try {
      const parsed = JSON.parse(body) as { detail?: unknown };
      const detail = describe(parsed.detail);
      if (detail) return detail;
    } catch {
      // not JSON after all: keep the whole message
    }
  }
  return text;
}

function describe(value: unknown): string | null {
  if (value === undefined || value === null || value === "") return null;
  return typeof value === "string" ? value : JSON.stringify(value).slice(0, 300);
}
