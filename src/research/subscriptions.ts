import type { Queryable } from "../db/db.js";
import { ValidationError } from "../domain/errors.js";
import type { Tool } from "../domain/tool.js";
import { type ToolRow, toolFromRow } from "../toolstack/catalog.js";
import { ALERT_TOPICS, type AlertTopic } from "./alerts.js";

/** `/toolstack subscribe [topics]`, `/toolstack unsubscribe`, `/toolstack search <text>`. */

export type Platform = "slack" | "discord";

export interface ChannelRef {
  platform: Platform;
  /** Slack team id or Discord guild id; "" when there is none. */
  workspace: string;
  channel: string;
}

export interface Subscription extends ChannelRef {
  /** Alert kinds wanted; empty = all. */
  topics: AlertTopic[];
  created_by: string | null;
  created_at: string;
}

/** Topic names as typed by a person (case and spaces tolerated); an unknown one is named in the error. */
export function parseTopics(topics: readonly string[]): AlertTopic[] {
  const wanted = topics.map((t) => t.trim().toLowerCase()).filter((t) => t !== "");
  const unknown = wanted.filter((t) => !(ALERT_TOPICS as readonly string[]).includes(t));
  if (unknown.length > 0)
    throw new ValidationError(
      unknown.map((t) => ({
        field: "topics",
        message: `unknown topic "${t}"; topics are ${ALERT_TOPICS.join(", ")}`,
      })),
      "subscription",
    );
  return [...new Set(wanted as AlertTopic[])];
}

/** Subscribes a channel (or changes its topics when it already is); returns the subscription. */
export async function subscribe(
  db: Queryable,
  input: ChannelRef & { topics?: readonly string[]; by?: string | null },
): Promise<Subscription> {
  const topics = parseTopics(input.topics ?? []);
  const { rows } = await db.query<Subscription>(
    `INSERT INTO subscriptions (platform, workspace, channel, topics, created_by)
     VALUES ($1, $2, $3, $4::text[], $5)
     ON CONFLICT (platform, workspace, channel) DO UPDATE SET topics = EXCLUDED.topics
     RETURNING platform, workspace, channel, topics, created_by, created_at`,
    [input.platform, input.workspace, input.channel, topics, input.by ?? null],
  );
  return rows[0] as Subscription;
}

/** Removes a channel's subscription; false when it had none. */
export async function unsubscribe(db: Queryable, ref: ChannelRef): Promise<boolean> {
  const { rowCount } = await db.query(
    "DELETE FROM subscriptions WHERE platform = $1 AND workspace = $2 AND channel = $3",
    [ref.platform, ref.workspace, ref.channel],
  );
  return rowCount > 0;
}

export async function listSubscriptions(db: Queryable, platform?: Platform): Promise<Subscription[]> {
  const { rows } = await db.query<Subscription>(
    `SELECT platform, workspace, channel, topics, created_by, created_at FROM subscriptions
     WHERE $1::text IS NULL OR platform = $1 ORDER BY platform, workspace, channel`,
    [platform ?? null],
  );
  return rows;
}

/** The newest benchmark suite of a tool (its rows share one tested_at). */
export interface LastBenchmark {
  tested_at: string;
  prompts: number;
  success_rate: number;
  /** Mean over the successful prompts; null when none succeeded. */
  mean_latency_s: number | null;
  cost_per_second: number | null;
  quality_score: number | null;
}

export interface ToolSearchHit {
  tool: Tool;
  /** e.g. "$0.05 per second", "$0.35 per 5 s clip", "unknown". */
  price: string;
  /** e.g. "clips 2–10 s", "aspect 16:9, 9:16", "needs an input image". */
  limits: string[];
  /** null = never benchmarked. */
  last_benchmark: LastBenchmark | null;
}

const SEARCH_LIMIT = 10;

/** Tools whose id, name, vendor or best-for notes contain `text` (case-insensitive), best match first. */
export async function searchTools(db: Queryable, text: string): Promise<ToolSearchHit[]> {
  const needle = text.trim();
  if (needle === "")
    throw new ValidationError(
      [{ field: "text", message: "type part of a tool's name, vendor or use" }],
      "search",
    );
  const pattern = `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const { rows } = await db.query<ToolRow>(
    `SELECT tool_id, name, vendor, category, status, status_note, capabilities, quality_metrics, pricing,
            performance, api_integration, best_for, limitations, sources
     FROM tools t
     WHERE t.tool_id ILIKE $1 OR t.name ILIKE $1 OR t.vendor ILIKE $1
        OR EXISTS (SELECT 1 FROM unnest(t.best_for) AS b(text) WHERE b.text ILIKE $1)
     ORDER BY (t.name ILIKE $1 OR t.tool_id ILIKE $1) DESC, (t.status = 'retired'), t.tool_id
     LIMIT $2`,
    [pattern, SEARCH_LIMIT],
  );
  const tools = rows.map(toolFromRow);
  const benchmarks = await lastBenchmarks(
    db,
    tools.map((t) => t.tool_id),
  );
  return tools.map((tool) => ({
    tool,
    price: priceLabel(tool),
    limits: limitLabels(tool),
    last_benchmark: benchmarks.get(tool.tool_id) ?? null,
  }));
}

/** Summary of each tool's newest benchmark suite. */
export async function lastBenchmarks(db: Queryable, toolIds: string[]): Promise<Map<string, LastBenchmark>> {
  if (toolIds.length === 0) return new Map();
  const { rows } = await db.query<{
    tool_id: string;
    tested_at: string;
    prompts: number;
    success_rate: number | null;
    mean_latency_s: number | null;
    cost_per_second: number | null;
    quality_score: number | null;
  }>(
    `SELECT b.tool_id, b.tested_at, count(*)::int AS prompts, avg(b.success_rate) AS success_rate,
            avg(b.latency_seconds) AS mean_latency_s, max(b.cost_per_second) AS cost_per_second,
            avg(b.quality_score) AS quality_score
     FROM benchmarks b
     JOIN (SELECT tool_id, max(tested_at) AS tested_at FROM benchmarks
           WHERE tool_id = ANY($1::text[]) GROUP BY tool_id) latest
       ON latest.tool_id = b.tool_id AND latest.tested_at = b.tested_at
     GROUP BY b.tool_id, b.tested_at`,
    [toolIds],
  );
  const round = (v: number | null, digits: number) => (v === null ? null : Number(Number(v).toFixed(digits)));
  return new Map(
    rows.map((r) => [
      r.tool_id,
      {
        tested_at: r.tested_at,
        prompts: r.prompts,
        success_rate: round(r.success_rate, 3) ?? 0,
        mean_latency_s: round(r.mean_latency_s, 1),
        cost_per_second: r.cost_per_second,
        quality_score: round(r.quality_score, 3),
      },
    ]),
  );
}

/** The tool's sourced price in words; "unknown" when no source gives one (never a guess). */
export function priceLabel(tool: Tool): string {
  const { unit, usd, clip_seconds: clipS, usd_per_extra_second: extra } = tool.pricing;
  if (usd === null) return "unknown";
  switch (unit) {
    case "per_second":
      return `$${usd} per second`;
    case "per_minute":
      return `$${usd} per minute`;
    case "per_clip":
      return clipS === null
        ? `$${usd} per clip`
        : `$${usd} per ${clipS} s clip${extra === null ? "" : `, then $${extra}/s`}`;
    case "per_image":
      return `$${usd} per image`;
    case "per_1k_characters":
      return `$${usd} per 1,000 characters`;
    default:
      return "unknown";
  }
}

/** Limits a planner cares about, only those a source gives. */
export function limitLabels(tool: Tool): string[] {
  const caps = tool.capabilities;
  const limits: string[] = [];
  if (caps.clip_durations_s) limits.push(`clip lengths ${caps.clip_durations_s.join(", ")} s`);
  else if (caps.max_clip_s !== null)
    limits.push(
      caps.min_clip_s !== null
        ? `clips ${caps.min_clip_s}–${caps.max_clip_s} s`
        : `clips up to ${caps.max_clip_s} s`,
    );
  if (caps.aspect_ratios.length > 0) limits.push(`aspect ${caps.aspect_ratios.join(", ")}`);
  if (caps.requires_input_image) limits.push("needs an input image");
  if (caps.native_audio === false) limits.push("no audio");
  if (caps.concurrency !== null) limits.push(`${caps.concurrency} at a time`);
  if (tool.status !== "available") limits.push(`status: ${tool.status}`);
  return limits;
}
