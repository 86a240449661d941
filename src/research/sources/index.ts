import type { Config } from "../../config.js";
import { createHttpClient, type HttpClientOptions } from "../http.js";
import { type ArxivSource, createArxivSource } from "./arxiv.js";
import { createFalSource, type FalSource } from "./fal.js";
import { createGithubSource, type GithubSource, githubHeaders } from "./github.js";
import { createHuggingFaceSource, type HuggingFaceSource } from "./huggingface.js";
import { createReplicateSource, type ReplicateSource } from "./replicate.js";

export * from "./arxiv.js";
export * from "./fal.js";
export * from "./github.js";
export * from "./huggingface.js";
export * from "./records.js";
export * from "./replicate.js";

export const SOURCE_NAMES = ["arxiv", "github", "huggingface", "replicate", "fal"] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];

export interface ResearchSources {
  arxiv: ArxivSource;
  github: GithubSource;
  huggingface: HuggingFaceSource;
  /** null when REPLICATE_API_TOKEN is unset: every Replicate endpoint needs a token. */
  replicate: ReplicateSource | null;
  fal: FalSource;
}

export type ResearchSourcesConfig = Pick<
  Config,
  | "ARXIV_API_URL"
  | "GITHUB_API_URL"
  | "GITHUB_TOKEN"
  | "HF_API_URL"
  | "REPLICATE_API_URL"
  | "REPLICATE_API_TOKEN"
  | "FAL_API_URL"
  | "FAL_KEY"
>;

/**
 * Least time between two requests per source. arXiv: one request every 3 s (its terms of use).
 * GitHub search: 10 requests/min without a token, 30 with one. Hugging Face, Replicate and fal state
 * no figure in the seed; half a second apart is our own courtesy.
 */
export function politeIntervalsMs(githubToken: string | undefined): Record<SourceName, number> {
  return { arxiv: 3000, github: githubToken ? 2000 : 6000, huggingface: 500, replicate: 500, fal: 500 };
}

export interface ResearchSourcesOptions
  extends Pick<
    HttpClientOptions,
    "fetch" | "retries" | "backoffMs" | "maxBackoffMs" | "maxRetryAfterMs" | "timeoutMs" | "sleep"
  > {
  /** Override the polite intervals: one number for all sources, or per source (tests and the bench use 0). */
  minIntervalMs?: number | Partial<Record<SourceName, number>>;
}

/** Every research source, each with its own polite HTTP client, from configuration. */
export function createResearchSources(
  config: ResearchSourcesConfig,
  options: ResearchSourcesOptions = {},
): ResearchSources {
  const { minIntervalMs, ...http } = options;
  const polite = politeIntervalsMs(config.GITHUB_TOKEN);
  const interval = (name: SourceName) =>
    typeof minIntervalMs === "number" ? minIntervalMs : (minIntervalMs?.[name] ?? polite[name]);
  const client = (source: SourceName, baseUrl: string, headers: Record<string, string> = {}) =>
    createHttpClient({ ...http, source, baseUrl, headers, minIntervalMs: interval(source) });

  return {
    arxiv: createArxivSource(client("arxiv", config.ARXIV_API_URL)),
    github: createGithubSource(client("github", config.GITHUB_API_URL, githubHeaders(config.GITHUB_TOKEN))),
    huggingface: createHuggingFaceSource(client("huggingface", config.HF_API_URL)),
    replicate: config.REPLICATE_API_TOKEN
      ? createReplicateSource(
          client("replicate", config.REPLICATE_API_URL, {
            Authorization: `Bearer ${config.REPLICATE_API_TOKEN}`,
          }),
        )
      : null,
    fal: createFalSource(
      client("fal", config.FAL_API_URL, config.FAL_KEY ? { Authorization: `Key ${config.FAL_KEY}` } : {}),
    ),
  };
}
