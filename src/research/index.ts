/**
 * Deep Research Agent: discovers, benchmarks and tracks video-generation tools on a schedule and alerts
 * subscribed channels. Entry points for the composition root, the CLI and the bots:
 * - runResearchOnce(deps, { trigger }) — `greenlight research run`, `/toolstack research`
 * - startResearchSchedule(deps, { cron, timezone }) — main.ts
 * - subscribe / unsubscribe / listSubscriptions / searchTools — `/toolstack subscribe|unsubscribe|search`
 * - AlertSink — what the Slack and Discord bots implement to receive digests
 */
export * from "./alerts.js";
export * from "./benchmarks.js";
export * from "./changes.js";
export { type Candidate, catalogApi, catalogApis, type DiscoveryLimits, discoverApis } from "./discovery.js";
export * from "./providers/index.js";
export * from "./quality.js";
export * from "./run.js";
export * from "./scheduler.js";
export { fetchArxivPapers, trackSotaTechniques, updateSotaDatabase } from "./sota.js";
export { createResearchSources, type ResearchSources, type ResearchSourcesConfig } from "./sources/index.js";
export * from "./subscriptions.js";
