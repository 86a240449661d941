import { z } from "zod";
import type { Queryable } from "../db/db.js";
import { errorMessage } from "../domain/errors.js";
import { parseOrThrow } from "../domain/parse.js";
import type { Tool } from "../domain/tool.js";
import { clipCost } from "../toolstack/pricing.js";
import type { ToolStackChange } from "./changes.js";
import promptFile from "./data/benchmark-prompts.json" with { type: "json" };
import { PROVIDERS, type ProviderId } from "./providers/adapter.js";
import type { ProviderAdapters } from "./providers/index.js";
import { calculateQualityScores, type QualityScorer } from "./quality.js";

/**
 * Benchmarks: the fixed prompt suite (data/benchmark-prompts.json) run on a tool through its provider's
 * API, one `benchmarks` row per prompt. Only tools whose API key is configured are run; every other tool
 * gets a reason ("not benchmarked (no FAL_KEY configured)") and no numbers at all.
 *
 * Row meaning: latency_seconds is the measured create→result time of a successful generation (null
 * when it failed: a failure's latency says nothing about the tool's speed); success_rate is 1 or 0 for
 * that prompt, so the mean over a suite is the tool's success rate; cost_per_second comes from the
 * tool's sourced price for the clip length asked (null when unknown), not from a bill; quality_score
 * comes from a configured QualityScorer or is null. All rows of one suite share `tested_at`.
 */

const BenchmarkPrompt = z.object({
  id: z.string().min(1),
  covers: z.string().min(1),
  prompt: z.string().min(1),
});
export type BenchmarkPrompt = z.infer<typeof BenchmarkPrompt>;

/** The fixed suite: a person, a product, a landscape, on-screen text, fast motion. */
export function benchmarkPrompts(): BenchmarkPrompt[] {
  return parseOrThrow(z.object({ prompts: z.array(BenchmarkPrompt).min(1) }), promptFile, "benchmark prompts")
    .prompts;
}

export interface BenchmarkDeps {
  db: Queryable;
  /** Configured secrets by variable name (the Config works): a tool runs only when its key_env is set. */
  keys: Readonly<Record<string, unknown>>;
  /** Provider adapters (createProviderAdapters, or fakes in tests). */
  adapters: ProviderAdapters;
  prompts?: BenchmarkPrompt[];
  scorer?: QualityScorer;
  /** Poll spacing asked of the adapters (they never go below the provider's minimum). */
  pollIntervalMs?: number;
  /** Per prompt. Default 10 min. */
  timeoutMs?: number;
  /** A first frame for image-only models; without it they are not benchmarked. */
  referenceImageUrl?: string;
  now?: () => Date;
}

export interface BenchmarkRun {
  tool_id: string;
  prompt_id: string;
  prompt: string;
  status: "succeeded" | "failed" | "timed_out";
  latency_s: number;
  output_url: string | null;
  failure: string | null;
  quality_score: number | null;
  quality_note: string | null;
}

export type BenchmarkResult =
  | { tool_id: string; name: string; benchmarked: false; reason: string }
  | {
      tool_id: string;
      name: string;
      benchmarked: true;
      tested_at: string;
      provider: ProviderId;
      model: string;
      duration_s: number;
      runs: BenchmarkRun[];
      /** 0..1 over the suite. */
      success_rate: number;
      /** Mean over successful runs; null when none succeeded. */
      mean_latency_s: number | null;
      cost_per_second: number | null;
      /** Mean of the scored runs; null when nothing was scored. */
      quality_score: number | null;
    };

/** What a suite would run for a tool, or why it cannot run. */
export type BenchmarkPlan =
  | { ok: true; provider: ProviderId; model: string; duration_s: number; image_url?: string }
  | { ok: false; reason: string };

const TARGET_CLIP_S = 5;

export function planBenchmark(
  tool: Tool,
  deps: Pick<BenchmarkDeps, "keys" | "adapters" | "referenceImageUrl">,
): BenchmarkPlan {
  const no = (reason: string): BenchmarkPlan => ({ ok: false, reason: `not benchmarked (${reason})` });
  if (tool.status === "retired") return no("retired");
  if (tool.category !== "video_generation") return no("not a video generator");
  const provider = tool.api.provider;
  if (!provider || !(PROVIDERS as readonly string[]).includes(provider))
    return no(`no benchmark adapter for ${provider ?? "a tool without an API"}`);
  const keyEnv = tool.api.key_env;
  if (!keyEnv) return no("no API key variable known for it");
  const adapter = deps.adapters[provider as ProviderId];
  if (!deps.keys[keyEnv] || !adapter) return no(`no ${keyEnv} configured`);
  if (!tool.api.model_id) return no("no model id known");
  const caps = tool.capabilities;
  const textMode = caps.modalities.includes("text-to-video") && !caps.requires_input_image;
  const imageMode =
    !textMode && caps.modalities.includes("image-to-video") && Boolean(deps.referenceImageUrl);
  if (!textMode && !imageMode)
    return no(
      caps.modalities.includes("image-to-video")
        ? "needs an input image; no benchmark image configured"
        : "not a text- or image-to-video model",
    );
  return {
    ok: true,
    provider: provider as ProviderId,
    model: pickVariant(tool.api.model_id, textMode ? "text-to-video" : "image-to-video"),
    duration_s: clipLength(tool),
    ...(imageMode ? { image_url: deps.referenceImageUrl } : {}),
  };
}

/** "fal-ai/x/{text-to-video|image-to-video}" → the variant for the mode; other ids unchanged. */
function pickVariant(modelId: string, mode: string): string {
  return modelId.replace(/\{([^}]+)\}/g, (_, options: string) => {
    const list = options.split("|");
    return list.find((o) => o.includes(mode)) ?? list[0] ?? "";
  });
}

/** The clip length the tool accepts nearest to 5 s. */
function clipLength(tool: Tool): number {
  const { clip_durations_s: lengths, min_clip_s: min, max_clip_s: max } = tool.capabilities;
  if (lengths && lengths.length > 0)
    return lengths.reduce((best, l) =>
      Math.abs(l - TARGET_CLIP_S) < Math.abs(best - TARGET_CLIP_S) ? l : best,
    );
  return Math.min(Math.max(TARGET_CLIP_S, min ?? 0), max ?? Number.POSITIVE_INFINITY);
}

/** Price per output second of a clip of `seconds`, from the sourced price; null when unknown. */
export function costPerSecond(tool: Tool, seconds: number): number | null {
  const cost = clipCost(tool, seconds);
  return cost === null || seconds <= 0 ? null : Math.round((cost / seconds) * 10_000) / 10_000;
}

/** Runs the prompt suite on one tool and records it; a tool that cannot run gets a reason instead. */
export async function runBenchmarkSuite(tool: Tool, deps: BenchmarkDeps): Promise<BenchmarkResult> {
  const plan = planBenchmark(tool, deps);
  if (!plan.ok) return { tool_id: tool.tool_id, name: tool.name, benchmarked: false, reason: plan.reason };
  const adapter = deps.adapters[plan.provider];
  if (!adapter) throw new Error(`no ${plan.provider} adapter`); // planBenchmark checked it
  const testedAt = (deps.now?.() ?? new Date()).toISOString();
  const params = {
    model: plan.model,
    duration_s: plan.duration_s,
    aspect_ratio: "16:9",
    image_url: plan.image_url,
  };

  const runs: Omit<BenchmarkRun, "quality_score" | "quality_note">[] = [];
  for (const p of deps.prompts ?? benchmarkPrompts()) {
    const base = { tool_id: tool.tool_id, prompt_id: p.id, prompt: p.prompt };
    const started = Date.now();
    try {
      const taskId = await adapter.createTask(p.prompt, params);
      const result = await adapter.waitForResult(taskId, {
        pollIntervalMs: deps.pollIntervalMs,
        timeoutMs: deps.timeoutMs,
      });
      runs.push({
        ...base,
        status: result.status,
        latency_s: result.latency_s,
        output_url: result.outputUrl ?? null,
        failure: result.failure ?? null,
      });
    } catch (error) {
      // The provider refused the task or could not be reached: this prompt failed, the suite goes on.
      runs.push({
        ...base,
        status: "failed",
        latency_s: (Date.now() - started) / 1000,
        output_url: null,
        failure: errorMessage(error),
      });
    }
  }
  const scored = await calculateQualityScores(runs, deps.scorer);
  const costPerS = costPerSecond(tool, plan.duration_s);
  await recordRuns(deps.db, scored, costPerS, testedAt);

  const ok = scored.filter((r) => r.status === "succeeded");
  const qualities = scored.flatMap((r) => (r.quality_score === null ? [] : [r.quality_score]));
  const mean = (xs: number[]) =>
    xs.length === 0 ? null : Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 1000) / 1000;
  return {
    tool_id: tool.tool_id,
    name: tool.name,
    benchmarked: true,
    tested_at: testedAt,
    provider: plan.provider,
    model: plan.model,
    duration_s: plan.duration_s,
    runs: scored,
    success_rate: Math.round((ok.length / scored.length) * 1000) / 1000,
    mean_latency_s: mean(ok.map((r) => r.latency_s)),
    cost_per_second: costPerS,
    quality_score: mean(qualities),
  };
}

async function recordRuns(db: Queryable, runs: BenchmarkRun[], costPerS: number | null, testedAt: string) {
  for (const run of runs) {
    await db.query(
      `INSERT INTO benchmarks (benchmark_id, tool_id, test_prompt, latency_seconds, quality_score, cost_per_second,
         success_rate, tested_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::timestamptz)
       ON CONFLICT (benchmark_id) DO NOTHING`,
      [
        `${run.tool_id}:${testedAt}:${run.prompt_id}`,
        run.tool_id,
        run.prompt,
        run.status === "succeeded" ? run.latency_s : null,
        run.quality_score,
        costPerS,
        run.status === "succeeded" ? 1 : 0,
        testedAt,
      ],
    );
  }
}

export const DEFAULT_FAILING_BELOW = 0.5;
export const DEFAULT_MAX_SUITES_PER_RUN = 10;

/** A tool_failing change when a suite's success rate is under the bar. */
export function failingChange(
  result: BenchmarkResult,
  failingBelow = DEFAULT_FAILING_BELOW,
): ToolStackChange | null {
  if (!result.benchmarked || result.success_rate >= failingBelow) return null;
  const failed = result.runs.filter((r) => r.status !== "succeeded");
  const reasons = [...new Set(failed.map((r) => r.failure ?? r.status))].slice(0, 3).join("; ");
  return {
    kind: "tool_failing",
    tool_id: result.tool_id,
    name: result.name,
    success_rate: result.success_rate,
    detail: `${failed.length} of ${result.runs.length} prompts failed: ${reasons}`,
  };
}

export interface BenchmarkToolsOptions {
  failingBelow?: number;
  /** A tool benchmarked more recently than this is not run again (each suite costs money). Default 7 days. */
  minIntervalMs?: number;
  /**
   * Most suites per run (default 10): discovery can add dozens of candidates on a keyed provider, and
   * every suite is paid generations. Available tools go first, then candidates; the rest wait for the
   * next run.
   */
  maxSuitesPerRun?: number;
}

export interface BenchmarkToolsResult {
  results: BenchmarkResult[];
  changes: ToolStackChange[];
}

/**
 * Runs the suite on every tool given (providers in parallel, one tool at a time per provider, since
 * default accounts allow one or two concurrent generations). A tool benchmarked within the interval is
 * listed as skipped; its numbers stay those of its last suite.
 */
export async function benchmarkTools(
  tools: readonly Tool[],
  deps: BenchmarkDeps,
  options: BenchmarkToolsOptions = {},
): Promise<BenchmarkToolsResult> {
  const now = deps.now?.() ?? new Date();
  const since = new Date(now.getTime() - (options.minIntervalMs ?? 7 * 24 * 3_600_000)).toISOString();
  const { rows } = await deps.db.query<{ tool_id: string; tested_at: string }>(
    "SELECT tool_id, max(tested_at) AS tested_at FROM benchmarks WHERE tested_at > $1::timestamptz GROUP BY tool_id",
    [since],
  );
  const recent = new Map(rows.map((r) => [r.tool_id, r.tested_at]));

  const results: BenchmarkResult[] = [];
  const due: { tool: Tool; provider: ProviderId }[] = [];
  for (const tool of tools) {
    const plan = planBenchmark(tool, deps);
    const last = recent.get(tool.tool_id);
    if (!plan.ok)
      results.push({ tool_id: tool.tool_id, name: tool.name, benchmarked: false, reason: plan.reason });
    else if (last)
      results.push({
        tool_id: tool.tool_id,
        name: tool.name,
        benchmarked: false,
        reason: `benchmarked recently (${last})`,
      });
    else due.push({ tool, provider: plan.provider });
  }
  due.sort((a, b) => Number(a.tool.status !== "available") - Number(b.tool.status !== "available"));
  const cap = options.maxSuitesPerRun ?? DEFAULT_MAX_SUITES_PER_RUN;
  const queues = new Map<ProviderId, Tool[]>();
  for (const [index, { tool, provider }] of due.entries()) {
    if (index >= cap)
      results.push({
        tool_id: tool.tool_id,
        name: tool.name,
        benchmarked: false,
        reason: `waiting: at most ${cap} suites per run`,
      });
    else queues.set(provider, [...(queues.get(provider) ?? []), tool]);
  }
  const ran = await Promise.all(
    [...queues.values()].map(async (queue) => {
      const out: BenchmarkResult[] = [];
      for (const tool of queue) out.push(await runBenchmarkSuite(tool, deps));
      return out;
    }),
  );
  results.push(...ran.flat());
  results.sort((a, b) => a.tool_id.localeCompare(b.tool_id));
  const changes = results.flatMap((r) => failingChange(r, options.failingBelow) ?? []);
  return { results, changes };
}
