import { loadToolSeed, type SeedLoadResult, seedTools } from "../toolstack/seed.js";
import { stepTools } from "../toolstack/step-tools.js";
import { ToolStackDB } from "../toolstack/toolstack-db.js";
import type { Db } from "./db.js";
import { migrate } from "./migrate.js";

/**
 * What `greenlight db migrate` and every start-up do: apply pending migrations, then (re)load the seed
 * data — video generators, the step tools a workflow also needs, and the workflow templates. Idempotent.
 */
export async function prepareDatabase(
  db: Db,
): Promise<{ applied: string[]; tools: SeedLoadResult; workflowsChanged: number }> {
  const { applied } = await migrate(db);
  const tools = await loadToolSeed(db, [...seedTools(), ...stepTools()]);
  const workflowsChanged = await new ToolStackDB(db).loadWorkflowSeed();
  return { applied, tools, workflowsChanged };
}
