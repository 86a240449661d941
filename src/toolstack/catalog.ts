import type { z } from "zod";
import type { Queryable } from "../db/db.js";
import { NotFoundError } from "../domain/errors.js";
import { parseOrThrow } from "../domain/parse.js";
import { Tool, type ToolCategory, type ToolStatus } from "../domain/tool.js";

type Status = z.infer<typeof ToolStatus>;

/** A `tools` row as the Db returns it (JSONB parsed, TEXT[] as string arrays). */
export interface ToolRow {
  tool_id: string;
  name: string;
  vendor: string | null;
  category: string;
  status: string;
  status_note: string;
  capabilities: unknown;
  quality_metrics: unknown;
  pricing: unknown;
  performance: unknown;
  api_integration: unknown;
  best_for: string[] | null;
  limitations: string[] | null;
  sources: string[] | null;
}

const TOOL_COLUMNS = `tool_id, name, vendor, category, status, status_note, capabilities, quality_metrics,
  pricing, performance, api_integration, best_for, limitations, sources`;

/**
 * A row as a `Tool`. The JSONB columns are nullable in the table (a row research added may lack them):
 * a missing capabilities/pricing object reads as "nothing known", never as zeros.
 */
export function toolFromRow(row: ToolRow): Tool {
  return parseOrThrow(
    Tool,
    {
      tool_id: row.tool_id,
      name: row.name,
      vendor: row.vendor,
      category: row.category,
      status: row.status,
      status_note: row.status_note,
      capabilities: row.capabilities ?? {},
      pricing: row.pricing ?? { unit: "unknown" },
      performance: row.performance ?? undefined,
      quality: row.quality_metrics ?? undefined,
      api: row.api_integration ?? undefined,
      best_for: row.best_for ?? [],
      limitations: row.limitations ?? [],
      sources: row.sources ?? [],
    },
    `tools row ${row.tool_id}`,
  );
}

export interface ToolFilter {
  category?: ToolCategory | ToolCategory[];
  status?: Status | Status[];
}

const asList = <T>(value: T | T[] | undefined): T[] | null =>
  value === undefined ? null : Array.isArray(value) ? value : [value];

/** Tools in the catalog, ordered by id; a filter keeps only the given categories and/or statuses. */
export async function listTools(db: Queryable, filter: ToolFilter = {}): Promise<Tool[]> {
  const { rows } = await db.query<ToolRow>(
    `SELECT ${TOOL_COLUMNS} FROM tools
     WHERE ($1::text[] IS NULL OR category = ANY($1::text[]))
       AND ($2::text[] IS NULL OR status = ANY($2::text[]))
     ORDER BY tool_id`,
    [asList(filter.category), asList(filter.status)],
  );
  return rows.map(toolFromRow);
}

/** One tool by id; NotFoundError names the id when the catalog has no such tool. */
export async function getTool(db: Queryable, toolId: string): Promise<Tool> {
  const { rows } = await db.query<ToolRow>(`SELECT ${TOOL_COLUMNS} FROM tools WHERE tool_id = $1`, [toolId]);
  const row = rows[0];
  if (!row) throw new NotFoundError(`No tool "${toolId}" in the tool stack`);
  return toolFromRow(row);
}
