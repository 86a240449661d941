import { z } from "zod";
import { errorMessage } from "../domain/errors.js";
import { createHttpClient } from "./http.js";

/**
 * Quality scores for benchmark videos.
 *
 * No automatic metric can run here: VBench, CLIP score and FVD all need model weights (see the seed's
 * `quality_metrics`), and the weight-free heuristics (frame SSIM, motion magnitude) measure neither
 * prompt adherence nor aesthetics. So a score comes only from a `QualityScorer` plugged in by the
 * deployment, e.g. a service running VBench or CLIP next to a GPU, or a human-rating tool, reached with
 * `createHttpQualityScorer`. Without one every score is null ("not measured"), never a made-up figure.
 */
export interface QualityScorer {
  /** Names where scores come from (e.g. "vbench@gpu-box"); stored beside them. */
  readonly name: string;
  /** A score in 0..1 for the video, or null when the scorer cannot judge it. */
  score(input: { videoUrl: string; prompt: string; toolId: string }): Promise<number | null>;
}

export interface HttpQualityScorerOptions {
  /** Endpoint that answers POST { video_url, prompt, tool_id } with { score: 0..1 | null }. */
  url: string;
  name?: string;
  headers?: Record<string, string>;
  /** Scoring downloads and analyses a video; default 2 min. */
  timeoutMs?: number;
}

const ScoreReply = z.object({ score: z.number().min(0).max(1).nullable() });

/**
 * A scorer behind an HTTP endpoint. Contract: `POST <url>` with JSON `{ video_url, prompt, tool_id }`;
 * reply `{ "score": <number 0..1> }` or `{ "score": null }` when it cannot judge. Any other reply is an
 * error for that video (its score stays null).
 */
export function createHttpQualityScorer(options: HttpQualityScorerOptions): QualityScorer {
  const client = createHttpClient({
    baseUrl: options.url,
    source: "quality-scorer",
    headers: options.headers,
    retries: 1,
    timeoutMs: options.timeoutMs ?? 120_000,
  });
  return {
    name: options.name ?? new URL(options.url).host,
    async score({ videoUrl, prompt, toolId }) {
      const response = await client.request("", {
        method: "POST",
        json: { video_url: videoUrl, prompt, tool_id: toolId },
      });
      const parsed = ScoreReply.safeParse(JSON.parse(response.text));
      if (!parsed.success) throw new Error("quality scorer: reply is not { score: 0..1 | null }");
      return parsed.data.score;
    },
  };
}

export interface ScorableRun {
  tool_id: string;
  prompt: string;
  status: "succeeded" | "failed" | "timed_out";
  output_url: string | null;
}

export type ScoredRun<T extends ScorableRun> = T & {
  quality_score: number | null;
  /** Why there is no score, when there is none. */
  quality_note: string | null;
};

/**
 * Adds a quality score to each run: the scorer's answer for a successful video, else null with the
 * reason (no scorer configured, the run failed, the scorer failed). Scores are never invented.
 */
export async function calculateQualityScores<T extends ScorableRun>(
  results: readonly T[],
  scorer?: QualityScorer,
): Promise<ScoredRun<T>[]> {
  const scored: ScoredRun<T>[] = [];
  for (const run of results) {
    if (!scorer) {
      scored.push({ ...run, quality_score: null, quality_note: "no quality scorer configured" });
    } else if (run.status !== "succeeded" || !run.output_url) {
      scored.push({ ...run, quality_score: null, quality_note: "no video to score" });
    } else {
      try {
        const score = await scorer.score({
          videoUrl: run.output_url,
          prompt: run.prompt,
          toolId: run.tool_id,
        });
        scored.push({
          ...run,
          quality_score: score,
          quality_note: score === null ? `${scorer.name} could not score it` : null,
        });
      } catch (error) {
        scored.push({
          ...run,
          quality_score: null,
          quality_note: `${scorer.name} failed: ${errorMessage(error)}`,
        });
      }
    }
  }
  return scored;
}
