import { setTimeout as defaultSleep } from "node:timers/promises";
import { UpstreamError } from "../../domain/errors.js";
import { createHttpClient, type HttpClient, type HttpRequest } from "../http.js";

/**
 * What every video provider adapter offers the benchmarks: start a generation, then poll it to an
 * end, never faster than the provider allows. Request and response shapes come from
 * ../shared/data/toolstack-seed.json (tools[].api) and each provider's API reference.
 */

export const PROVIDERS = ["runway", "luma", "fal", "replicate"] as const;
export type ProviderId = (typeof PROVIDERS)[number];

export interface GenerationParams {
  /** The provider's model or endpoint id (e.g. "gen4.5", "ray-2", "fal-ai/pika/v2.2/text-to-video"). */
  model: string;
  duration_s?: number;
  /** "16:9", "9:16", "1:1" … */
  aspect_ratio?: string;
  /** A first frame, for image-to-video models. */
  image_url?: string;
}

export interface TaskResult {
  status: "succeeded" | "failed" | "timed_out";
  outputUrl?: string;
  /** The provider's own words on why it failed (with its code when it gives one). */
  failure?: string;
  /** From task creation (or the first poll, for a task this adapter did not create) to the result. */
  latency_s: number;
}

export interface WaitOptions {
  /** Time between polls; raised to the adapter's minimum when lower. */
  pollIntervalMs?: number;
  /** Give up (status timed_out) after this long. Default 10 min. */
  timeoutMs?: number;
}

export interface ProviderAdapter {
  readonly provider: ProviderId;
  /** The least time between two polls of one task. */
  readonly minPollIntervalMs: number;
  createTask(prompt: string, params: GenerationParams): Promise<string>;
  waitForResult(taskId: string, options?: WaitOptions): Promise<TaskResult>;
}

export interface AdapterOptions {
  /** From config (RUNWAY_API_URL, LUMA_API_URL, FAL_API_URL, REPLICATE_API_URL). */
  baseUrl: string;
  apiKey: string;
  /**
   * Overrides the provider's minimum poll interval. Only tests against a loopback fake should lower it:
   * a real provider throttles or bans clients that poll faster than it asks.
   */
  minPollIntervalMs?: number;
  /** Per HTTP attempt. Default 30 s. */
  requestTimeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/**
 * Poll interval when the provider documents no minimum (Luma, fal, Replicate: the seed has none).
 * Our own politeness choice, not a provider fact: a video takes tens of seconds to minutes, so a
 * 5 s poll costs nothing in latency and keeps us far from any rate limit.
 */
export const DEFAULT_POLL_INTERVAL_MS = 5_000;
export const DEFAULT_WAIT_TIMEOUT_MS = 10 * 60_000;

/** One poll's reading of a task. */
export type PollReading =
  | { done: false }
  | { done: true; outputUrl: string }
  | { done: true; failure: string };

/**
 * The shared create → poll machinery. Each provider supplies `submit` (returns the task id) and `poll`
 * (reads the task once); this class spaces the polls, times out and measures latency.
 */
export class PollingAdapter implements ProviderAdapter {
  readonly minPollIntervalMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly createdAt = new Map<string, number>();

  constructor(
    readonly provider: ProviderId,
    providerMinimumMs: number,
    options: Pick<AdapterOptions, "minPollIntervalMs" | "sleep" | "now">,
    private readonly submit: (prompt: string, params: GenerationParams) => Promise<string>,
    private readonly poll: (taskId: string) => Promise<PollReading>,
    /** Drops per-task state the provider code keeps, once a task has ended. */
    private readonly forget: (taskId: string) => void = () => {},
  ) {
    this.minPollIntervalMs = options.minPollIntervalMs ?? providerMinimumMs;
    this.sleep = options.sleep ?? defaultSleep;
    this.now = options.now ?? Date.now;
  }

  async createTask(prompt: string, params: GenerationParams): Promise<string> {
    const started = this.now();
    const taskId = await this.submit(prompt, params);
    this.createdAt.set(taskId, started);
    return taskId;
  }

  async waitForResult(taskId: string, options: WaitOptions = {}): Promise<TaskResult> {
    const interval = Math.max(options.pollIntervalMs ?? this.minPollIntervalMs, this.minPollIntervalMs);
    const deadline = this.now() + (options.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS);
    const started = this.createdAt.get(taskId) ?? this.now();
    const latency = () => Math.round(this.now() - started) / 1000;
    try {
      for (;;) {
        const reading = await this.poll(taskId);
        if (reading.done)
          return "outputUrl" in reading
            ? { status: "succeeded", outputUrl: reading.outputUrl, latency_s: latency() }
            : { status: "failed", failure: reading.failure, latency_s: latency() };
        if (this.now() + interval > deadline)
          return {
            status: "timed_out",
            failure: `no result within ${options.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS} ms`,
            latency_s: latency(),
          };
        await this.sleep(interval);
      }
    } finally {
      this.createdAt.delete(taskId);
      this.forget(taskId);
    }
  }
}

/**
 * Two clients per provider: polls are retried (a GET is safe to repeat), but a create is never
 * retried, since a POST the provider accepted before the connection broke would run (and bill) twice.
 */
export function providerClients(
  source: ProviderId,
  baseUrl: string,
  headers: Record<string, string>,
  options: AdapterOptions,
): { submit: HttpClient; read: HttpClient } {
  const common = {
    baseUrl,
    source,
    headers,
    timeoutMs: options.requestTimeoutMs,
    sleep: options.sleep,
    now: options.now,
  };
  return {
    submit: createHttpClient({ ...common, retries: 0 }),
    read: createHttpClient({ ...common, retries: 3, backoffMs: 1_000 }),
  };
}

/** JSON body of a request, or a non-transient UpstreamError when the reply is not JSON. */
export async function requestJson<T>(client: HttpClient, path: string, init?: HttpRequest): Promise<T> {
  const response = await client.request(path, init);
  try {
    return JSON.parse(response.text) as T;
  } catch {
    throw new UpstreamError(
      `${client.source}: the reply is not JSON (${new URL(response.url).pathname})`,
      client.source,
      false,
    );
  }
}

/** A required string field of a reply, or an UpstreamError naming it. */
export function requiredString(source: string, value: unknown, field: string): string {
  if (typeof value === "string" && value !== "") return value;
  throw new UpstreamError(`${source}: malformed reply (${field} missing)`, source, false);
}

/** Base URL with `suffix` appended unless it already ends with it (e.g. "/v1"). */
export function withPathSuffix(baseUrl: string, suffix: string): string {
  const trimmed = baseUrl.replace(/\/+$/, "");
  return trimmed.endsWith(suffix) ? trimmed : `${trimmed}${suffix}`;
}
