import type { Queryable } from "../db/db.js";
import { ValidationError } from "../domain/errors.js";
import type { ShotSize } from "../domain/shots.js";
import { SHOT_SIZES } from "../domain/shots.js";
import type { Modality, Tool } from "../domain/tool.js";
import { getTool, listTools } from "./catalog.js";
import type { BenchmarkSummary } from "./decision-matrix.js";
import { planClips } from "./pricing.js";
import { aspectSupport, type WorkflowTemplate, workflowTemplates } from "./workflows.js";

/** One measured run from the `benchmarks` table. */
export interface Benchmark {
  benchmark_id: string;
  tool_id: string;
  test_prompt: string | null;
  latency_seconds: number | null;
  quality_score: number | null;
  cost_per_second: number | null;
  success_rate: number | null;
  tested_at: string;
}

export interface CapabilityQuery {
  modality?: Modality;
  /** The tool must reach this many seconds in one clip. */
  minDurationS?: number;
  aspectRatio?: string;
  nativeAudio?: boolean;
  lipSync?: boolean;
  cameraControl?: boolean;
  referenceImage?: boolean;
}

/** Shot kinds a producer asks about, beside the shot sizes (EWS … INSERT), and what each needs. */
export const SHOT_TYPES: Record<string, CapabilityQuery> = {
  dialogue: { lipSync: true },
  talking_head: { lipSync: true },
  product: { referenceImage: true },
  camera_move: { cameraControl: true },
  with_sound: { nativeAudio: true },
};

/** Reference shot used to rank tools by price: what a 5 s clip costs on each. */
const REFERENCE_SHOT_S = 5;
const referencePrice = (tool: Tool) => planClips(tool, REFERENCE_SHOT_S)?.costUsd ?? null;
const byPrice = (a: Tool, b: Tool) =>
  Number(referencePrice(a) === null) - Number(referencePrice(b) === null) ||
  (referencePrice(a) ?? 0) - (referencePrice(b) ?? 0) ||
  a.tool_id.localeCompare(b.tool_id);
const byQuality = (a: Tool, b: Tool) => (b.quality.score ?? -1) - (a.quality.score ?? -1) || byPrice(a, b);

/** Whether a tool meets every asked-for capability; an unknown (null) capability never meets one. */
export function meetsCapabilities(tool: Tool, q: CapabilityQuery): boolean {
  const caps = tool.capabilities;
  if (q.modality && !caps.modalities.includes(q.modality)) return false;
  if (q.minDurationS !== undefined && (caps.max_clip_s === null || caps.max_clip_s < q.minDurationS))
    return false;
  if (q.aspectRatio && aspectSupport(tool, q.aspectRatio) !== "supported") return false;
  const flag = (want: boolean | undefined, have: boolean | null) => want === undefined || have === want;
  return (
    flag(q.nativeAudio, caps.native_audio) &&
    flag(q.lipSync, caps.lip_sync) &&
    flag(q.cameraControl, caps.camera_control) &&
    flag(q.referenceImage, caps.reference_image === true || caps.modalities.includes("image-to-video"))
  );
}

/**
 * Queries over the tool stack tables (tools, benchmarks, workflows). Capability filters run in code
 * over the usable video generators: the table holds tens of tools, and the same rules as the planner
 * (unknown never passes) are easier to keep identical in one place than in SQL.
 */
export class ToolStackDB {
  constructor(private readonly db: Queryable) {}

  /** Every tool the planner may use: not retired, all categories (generators and step tools). */
  async planningTools(): Promise<Tool[]> {
    return listTools(this.db, { status: ["available", "candidate", "self_hosted"] });
  }

  private async generators(): Promise<Tool[]> {
    return listTools(this.db, {
      category: "video_generation",
      status: ["available", "candidate", "self_hosted"],
    });
  }

  /** Usable video generators meeting every capability asked for, cheapest first. */
  async queryByCapability(q: CapabilityQuery): Promise<Tool[]> {
    return (await this.generators()).filter((t) => meetsCapabilities(t, q)).sort(byPrice);
  }

  /**
   * Generators for a shot size (EWS … INSERT: any generator can frame it) or a shot kind (dialogue,
   * talking_head, product, camera_move, with_sound: the capability it needs), best measured first.
   */
  async queryByShotType(shotType: string): Promise<Tool[]> {
    const key = shotType.trim();
    const need = SHOT_TYPES[key.toLowerCase()];
    if (!need && !(SHOT_SIZES as readonly string[]).includes(key.toUpperCase() as ShotSize))
      throw new ValidationError(
        [
          {
            field: "shotType",
            message: `must be a shot size (${SHOT_SIZES.join(", ")}) or one of ${Object.keys(SHOT_TYPES).join(", ")}, got "${shotType}"`,
          },
        ],
        "shot type",
      );
    return (await this.queryByCapability(need ?? {})).sort(byQuality);
  }

  /**
   * Generators ranked for a shot's complexity: low → cheapest first (any capable tool will do);
   * medium → measured quality first, then price; high → only tools with a measured quality score or a
   * documented camera control, best first (a hard shot deserves evidence).
   */
  async queryByComplexity(level: "low" | "medium" | "high"): Promise<Tool[]> {
    const tools = await this.generators();
    if (level === "low") return tools.sort(byPrice);
    if (level === "medium") return tools.sort(byQuality);
    if (level === "high")
      return tools
        .filter((t) => t.quality.score !== null || t.capabilities.camera_control === true)
        .sort(byQuality);
    throw new ValidationError(
      [{ field: "complexity", message: `must be low, medium or high, got "${level}"` }],
      "complexity",
    );
  }

  /** A tool with its latest benchmarks and the workflow templates it can run a step of. */
  async getToolDetails(
    toolId: string,
  ): Promise<{ tool: Tool; benchmarks: Benchmark[]; workflows: WorkflowTemplate[] }> {
    const tool = await getTool(this.db, toolId);
    const role = tool.category === "video_generation" ? "video" : tool.category;
    const workflows = (await this.listWorkflows()).filter((w) => w.steps.some((s) => s.role === role));
    return { tool, benchmarks: await this.latestBenchmarks(toolId), workflows };
  }

  /** The tool's most recent benchmark runs, newest first. */
  async latestBenchmarks(toolId: string, limit = 5): Promise<Benchmark[]> {
    const { rows } = await this.db.query<Benchmark & { tested_at: Date | string }>(
      `SELECT benchmark_id, tool_id, test_prompt, latency_seconds, quality_score, cost_per_second, success_rate, tested_at
       FROM benchmarks WHERE tool_id = $1 ORDER BY tested_at DESC, benchmark_id DESC LIMIT $2`,
      [toolId, limit],
    );
    return rows.map((r) => ({ ...r, tested_at: new Date(r.tested_at).toISOString() }));
  }

  /** Mean quality and latency of each tool's latest `perTool` runs, for the planner. */
  async benchmarkSummaries(perTool = 5): Promise<Record<string, BenchmarkSummary>> {
    const { rows } = await this.db.query<{ tool_id: string; quality: number | null; latency: number | null }>(
      `SELECT tool_id, AVG(quality_score) AS quality, AVG(latency_seconds) AS latency FROM (
         SELECT tool_id, quality_score, latency_seconds,
                ROW_NUMBER() OVER (PARTITION BY tool_id ORDER BY tested_at DESC, benchmark_id DESC) AS n
         FROM benchmarks) recent
       WHERE n <= $1 GROUP BY tool_id`,
      [perTool],
    );
    const round = (v: number | null) => (v === null ? null : Math.round(Number(v) * 1000) / 1000);
    return Object.fromEntries(
      rows.map((r) => [r.tool_id, { quality_score: round(r.quality), latency_seconds: round(r.latency) }]),
    );
  }

  async listWorkflows(): Promise<WorkflowTemplate[]> {
    const { rows } = await this.db.query<{
      workflow_id: string;
      name: string;
      description: string | null;
      steps: unknown;
      use_cases: string[] | null;
      avg_quality_score: number | null;
      avg_cost_usd: number | null;
      avg_time_seconds: number | null;
    }>(
      `SELECT workflow_id, name, description, steps, use_cases, avg_quality_score, avg_cost_usd, avg_time_seconds
       FROM workflows ORDER BY workflow_id`,
    );
    const seeded = new Map(workflowTemplates().map((w) => [w.workflow_id, w]));
    return rows.map((r) => {
      const stored = r.steps as { kind?: WorkflowTemplate["kind"]; steps?: WorkflowTemplate["steps"] } | null;
      return {
        workflow_id: r.workflow_id,
        name: r.name,
        description: r.description ?? "",
        kind: stored?.kind ?? seeded.get(r.workflow_id)?.kind ?? "base",
        steps: stored?.steps ?? [],
        use_cases: r.use_cases ?? [],
        avg_quality_score: r.avg_quality_score,
        avg_cost_usd: r.avg_cost_usd,
        avg_time_seconds: r.avg_time_seconds,
      };
    });
  }

  /**
   * Upsert the workflow templates of data/workflows.json (steps JSONB holds {kind, steps}). Measured
   * averages already in the table are kept; running it again changes nothing.
   */
  async loadWorkflowSeed(templates: WorkflowTemplate[] = workflowTemplates()): Promise<number> {
    let changed = 0;
    for (const w of templates) {
      const { rowCount } = await this.db.query(
        `INSERT INTO workflows AS w (workflow_id, name, description, steps, use_cases)
         VALUES ($1, $2, $3, $4::jsonb, $5::text[])
         ON CONFLICT (workflow_id) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description,
           steps = EXCLUDED.steps, use_cases = EXCLUDED.use_cases, updated_at = now()
         WHERE (w.name, w.description, w.steps, w.use_cases)
           IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.description, EXCLUDED.steps, EXCLUDED.use_cases)`,
        [w.workflow_id, w.name, w.description, JSON.stringify({ kind: w.kind, steps: w.steps }), w.use_cases],
      );
      changed += rowCount;
    }
    return changed;
  }
}
