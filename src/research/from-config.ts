import type { Config } from "../config.js";
import type { Db } from "../db/db.js";
import type { AlertSink } from "./alerts.js";
import { createProviderAdapters } from "./providers/index.js";
import type { ResearchDeps } from "./run.js";
import { createResearchSources } from "./sources/index.js";

/** The research agent's dependencies as configured: sources, provider adapters for keys that are set, sinks. */
export function researchDepsFromConfig(
  config: Config,
  db: Db,
  sinks: readonly AlertSink[] = [],
): ResearchDeps {
  return {
    db,
    sources: createResearchSources(config),
    benchmark: { keys: config, adapters: createProviderAdapters(config) },
    sinks,
  };
}
