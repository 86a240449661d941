import type { Queryable } from "../db/db.js";
import { ValidationError } from "../domain/errors.js";
import { parseOrThrow } from "../domain/parse.js";
import { Tool } from "../domain/tool.js";
import seedFile from "./data/tools.json" with { type: "json" };

/**
 * Parse a tool seed file (`{ tools: [...] }`) through the `Tool` schema. A bad entry fails loudly,
 * naming the tool and the field, so a typo in the data never reaches the planner as a silent null.
 */
export function parseToolSeed(file: unknown): Tool[] {
  const entries = (file as { tools?: unknown } | null)?.tools;
  if (!Array.isArray(entries)) {
    throw new ValidationError([{ field: "tools", message: "must be a list of tools" }], "tool seed");
  }
  const seen = new Set<string>();
  return entries.map((entry, index) => {
    const id = (entry as { tool_id?: unknown } | null)?.tool_id;
    const tool = parseOrThrow(Tool, entry, `tool seed entry ${typeof id === "string" ? id : `#${index}`}`);
    if (seen.has(tool.tool_id)) {
      throw new ValidationError(
        [{ field: `tools[${index}].tool_id`, message: `duplicates ${tool.tool_id}` }],
        "tool seed",
      );
    }
    seen.add(tool.tool_id);
    return tool;
  });
}

/** The project's own tool stack (src/toolstack/data/tools.json), validated. */
export function seedTools(): Tool[] {
  return parseToolSeed(seedFile);
}

export interface SeedLoadResult {
  inserted: number;
  updated: number;
  /** Identical rows, plus rows research or a person owns (origin other than 'seed'), which are left alone. */
  unchanged: number;
}

/**
 * Row values for the tools table in column order (tool_id … sources), as UPSERT_TOOL and research's
 * candidate insert bind them.
 */
export function toolRowParams(tool: Tool): unknown[] {
  return [
    tool.tool_id,
    tool.name,
    tool.vendor,
    tool.category,
    tool.status,
    tool.status_note,
    JSON.stringify(tool.capabilities),
    JSON.stringify(tool.quality),
    JSON.stringify(tool.pricing),
    JSON.stringify(tool.performance),
    JSON.stringify(tool.api),
    tool.best_for,
    tool.limitations,
    tool.sources,
  ];
}

/**
 * Insert a seed tool, or refresh a row the seed owns when its content differs. The WHERE clause makes a
 * re-run a no-op (updated_at is not bumped) and protects rows whose origin is 'research' or 'manual'.
 * `xmax = 0` is PostgreSQL's marker for a freshly inserted row; no returned row means nothing changed.
 */
const UPSERT_TOOL = `
INSERT INTO tools AS t (tool_id, name, vendor, category, status, status_note, capabilities, quality_metrics,
  pricing, performance, api_integration, best_for, limitations, sources, origin)
VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9::jsonb, $10::jsonb, $11::jsonb,
  $12::text[], $13::text[], $14::text[], 'seed')
ON CONFLICT (tool_id) DO UPDATE SET
  name = EXCLUDED.name, vendor = EXCLUDED.vendor, category = EXCLUDED.category, status = EXCLUDED.status,
  status_note = EXCLUDED.status_note, capabilities = EXCLUDED.capabilities,
  quality_metrics = EXCLUDED.quality_metrics, pricing = EXCLUDED.pricing, performance = EXCLUDED.performance,
  api_integration = EXCLUDED.api_integration, best_for = EXCLUDED.best_for,
  limitations = EXCLUDED.limitations, sources = EXCLUDED.sources, updated_at = now()
WHERE t.origin = 'seed'
  AND (t.name, t.vendor, t.category, t.status, t.status_note, t.capabilities, t.quality_metrics, t.pricing,
       t.performance, t.api_integration, t.best_for, t.limitations, t.sources)
  IS DISTINCT FROM
      (EXCLUDED.name, EXCLUDED.vendor, EXCLUDED.category, EXCLUDED.status, EXCLUDED.status_note,
       EXCLUDED.capabilities, EXCLUDED.quality_metrics, EXCLUDED.pricing, EXCLUDED.performance,
       EXCLUDED.api_integration, EXCLUDED.best_for, EXCLUDED.limitations, EXCLUDED.sources)
RETURNING (xmax = 0) AS inserted`;

/** Upsert the seed tools into the `tools` table; safe to run at every start. */
export async function loadToolSeed(db: Queryable, tools: Tool[] = seedTools()): Promise<SeedLoadResult> {
  const result: SeedLoadResult = { inserted: 0, updated: 0, unchanged: 0 };
  for (const tool of tools) {
    const { rows } = await db.query<{ inserted: boolean }>(UPSERT_TOOL, toolRowParams(tool));
    const row = rows[0];
    if (!row) result.unchanged += 1;
    else if (row.inserted) result.inserted += 1;
    else result.updated += 1;
  }
  return result;
}
