import { loadToolSeed, type SeedLoadResult } from "../toolstack/seed.js";
import type { Db } from "./db.js";
import { migrate } from "./migrate.js";

/** What `greenlight db migrate` and every start-up do: apply pending migrations, then (re)load the tool seed. */
export async function prepareDatabase(db: Db): Promise<{ applied: string[]; tools: SeedLoadResult }> {
  const { applied } = await migrate(db);
  const tools = await loadToolSeed(db);
  return { applied, tools };
}
