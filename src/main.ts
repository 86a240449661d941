/**
 * `npm start`: the composition root. Reads the configuration once, opens the database, builds the
 * LLM (or template mode), the production service and its runner, serves the API, and starts each
 * optional surface (Slack, Discord, research cron) only when its settings are present. Says in the
 * log, one line each, what is on and what is off and why.
 */
import { readFileSync, realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import type { StructuredLlm } from "./agents/llm.js";
import { llmFromConfig } from "./agents/openai-llm.js";
import { type ApiMetrics, buildApi, createMetrics } from "./api/index.js";
import { createDiscordSurface } from "./bots/discord/index.js";
import { createSlackSurface } from "./bots/slack/index.js";
import { describeCliError } from "./cli-errors.js";
import { type Config, ConfigError, llmConfigured, loadConfig } from "./config.js";
import type { Db } from "./db/db.js";
import { openDb } from "./db/open.js";
import { prepareDatabase } from "./db/prepare.js";
import { createLogger, type Logger } from "./logger.js";
import type { ProductionService } from "./production/contract.js";
import { createProductionService, type ProductionRunner } from "./production/index.js";
import type { AlertSink } from "./research/alerts.js";
import { researchDepsFromConfig } from "./research/from-config.js";
import { type ResearchSchedule, startResearchSchedule } from "./research/scheduler.js";
import { ToolStackDB } from "./toolstack/toolstack-db.js";

/** A front end or background job that runs beside the API (a bot, the research schedule). */
export interface Surface {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Bots deliver research alert digests to their subscribed channels through this. */
  alertSink?: AlertSink;
}

/** Everything a surface may need; it is created after the API routes exist and before listen. */
export interface SurfaceContext {
  config: Config;
  logger: Logger;
  db: Db;
  llm: StructuredLlm | null;
  service: ProductionService;
  /** The HTTP server, for surfaces that receive webhooks on the same port (Slack HTTP mode). */
  app: FastifyInstance;
  /** Alert sinks of the surfaces created before this one (the bots come before the research job). */
  alertSinks: AlertSink[];
}

export interface SurfaceSpec {
  /** As printed: "Slack: on", "Discord: off (DISCORD_TOKEN not set)". */
  name: string;
  /** Why it stays off (a missing setting), or null when its settings are present. */
  missing(config: Config): string | null;
  /** How to build it; absent means not wired yet (its settings are then reported but unused). */
  create?(ctx: SurfaceContext): Surface | Promise<Surface>;
  /** Detail for the "on" line, e.g. the cron schedule. */
  describe?(config: Config): string;
}

/**
 * THE PLACE TO WIRE FRONT ENDS AND JOBS. Each entry is started only when `missing` returns null.
 * Slack, Discord and the research schedule are not built yet: give each its `create` here.
 */
export const OPTIONAL_SURFACES: SurfaceSpec[] = [
  {
    name: "Slack",
    missing: (c) =>
      !c.SLACK_BOT_TOKEN
        ? "SLACK_BOT_TOKEN not set"
        : !c.SLACK_SIGNING_SECRET && !c.SLACK_APP_TOKEN
          ? "set SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode)"
          : null,
    describe: (c) => (c.SLACK_APP_TOKEN ? "Socket Mode" : "HTTP mode on the API port"),
    create: (ctx) => createSlackSurface(ctx),
  },
  {
    name: "Discord",
    missing: (c) =>
      !c.DISCORD_TOKEN
        ? "DISCORD_TOKEN not set"
        : !c.DISCORD_APPLICATION_ID
          ? "DISCORD_APPLICATION_ID not set"
          : null,
    create: (ctx) => createDiscordSurface(ctx),
  },
  {
    name: "Research",
    // RESEARCH_CRON has a default: the schedule always runs; sources without keys are skipped in the run.
    missing: () => null,
    describe: (c) => `cron "${c.RESEARCH_CRON}" ${c.RESEARCH_TZ}`,
    create: (ctx) => researchSurface(ctx),
  },
];

/** The research agent on its cron schedule; one run per slot across replicas. */
function researchSurface(ctx: SurfaceContext): Surface {
  let schedule: ResearchSchedule | undefined;
  return {
    async start() {
      schedule = startResearchSchedule(researchDepsFromConfig(ctx.config, ctx.db, ctx.alertSinks), {
        cron: ctx.config.RESEARCH_CRON,
        timezone: ctx.config.RESEARCH_TZ,
        onRun: (run) =>
          ctx.logger.info({ run_id: run.run_id, status: run.status, counts: run.counts }, "research run"),
        onError: (err) => ctx.logger.error({ err }, "research run failed"),
      });
    },
    async stop() {
      await schedule?.stop();
    },
  };
}

export interface StartOptions {
  /** Default: a pino logger at LOG_LEVEL on stdout. */
  logger?: Logger;
  /** Default: OPTIONAL_SURFACES. */
  surfaces?: SurfaceSpec[];
  /** Generation stages running at once (default: the service's). */
  concurrency?: number;
  /** Default: a fresh registry with process metrics. */
  metrics?: ApiMetrics;
}

export interface AppHandle {
  /** Where the API listens, e.g. http://127.0.0.1:3000. */
  url: string;
  app: FastifyInstance;
  service: ProductionService;
  runner: ProductionRunner;
  db: Db;
  /** Stops the surfaces, the API, the runner, then closes the database. Idempotent. */
  stop(): Promise<void>;
}

/** The package version, from package.json at the repository root (src/ or dist/src/). */
function packageVersion(): string {
  for (const path of ["../package.json", "../../package.json"]) {
    try {
      const manifest = JSON.parse(readFileSync(new URL(path, import.meta.url), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (manifest.name === "greenlight" && manifest.version) return manifest.version;
    } catch {
      // try the next location
    }
  }
  return "unknown";
}

function llmLine(config: Config): string {
  if (!llmConfigured(config)) return "LLM: template mode (OPENAI_API_KEY not set)";
  const server = config.OPENAI_BASE_URL ? new URL(config.OPENAI_BASE_URL).host : "api.openai.com";
  return `LLM: on (${config.LLM_MODEL} at ${server}, ${config.LLM_STRUCTURED_METHOD})`;
}

function databaseLine(config: Config): string {
  return config.DATABASE_URL
    ? "Database: PostgreSQL (DATABASE_URL)"
    : `Database: embedded PGlite (${config.PGLITE_DIR}; set DATABASE_URL for PostgreSQL)`;
}

/** Start everything the configuration asks for; the caller owns the returned handle. */
export async function startApp(config: Config, options: StartOptions = {}): Promise<AppHandle> {
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const version = packageVersion();
  const stops: Array<{ what: string; stop: () => Promise<void> }> = [];
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      for (const { what, stop: fn } of stops.reverse()) {
        try {
          await fn();
        } catch (err) {
          logger.error({ err }, `stopping ${what} failed`);
        }
      }
      logger.info("Greenlight stopped");
    })();
    return stopped;
  };

  try {
    logger.info(`Greenlight ${version} starting`);
    const db = await openDb({
      databaseUrl: config.DATABASE_URL,
      pgliteDir: config.PGLITE_DIR,
      onIdleClientError: (err) => logger.warn({ err }, "idle database connection failed"),
    });
    stops.push({ what: "the database", stop: () => db.close() });
    const prepared = await prepareDatabase(db);
    const t = prepared.tools;
    logger.info(
      `${databaseLine(config)}: ${prepared.applied.length} migration(s) applied, tool seed ${t.inserted} new, ${t.updated} updated, ${t.unchanged} unchanged`,
    );

    const llm = llmFromConfig(config);
    logger.info(llmLine(config));

    const { service, runner } = createProductionService({
      db,
      llm,
      wordsPerSecond: config.SPEAKING_RATE_WPS,
      logger,
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    });
    stops.push({ what: "the production runner", stop: () => runner.stop() });

    const metrics = options.metrics ?? createMetrics({ queueDepth: () => runner.queueDepth() });
    const app = buildApi({
      service,
      db,
      llm,
      tools: () => new ToolStackDB(db).planningTools(),
      apiKey: config.API_KEY,
      logger,
      metrics,
      wordsPerSecond: config.SPEAKING_RATE_WPS,
      version,
    });
    stops.push({ what: "the API", stop: () => app.close() });

    const surfaces: Array<{ name: string; surface: Surface }> = [];
    for (const spec of options.surfaces ?? OPTIONAL_SURFACES) {
      const missing = spec.missing(config);
      if (missing) {
        logger.info(`${spec.name}: off (${missing})`);
        continue;
      }
      if (!spec.create) {
        logger.info(`${spec.name}: off (not wired into this build yet)`);
        continue;
      }
      const alertSinks = surfaces.flatMap(({ surface }) => (surface.alertSink ? [surface.alertSink] : []));
      surfaces.push({
        name: spec.name,
        surface: await spec.create({ config, logger, db, llm, service, app, alertSinks }),
      });
    }

    const url = await app.listen({ host: config.HOST, port: config.PORT });
    logger.info(
      `API: on at ${url} (${config.API_KEY ? "API key required" : "open: API_KEY not set"}); docs at ${url}/docs`,
    );

    for (const { name, surface } of surfaces) {
      await surface.start();
      stops.push({ what: name, stop: () => surface.stop() });
      const spec = (options.surfaces ?? OPTIONAL_SURFACES).find((s) => s.name === name);
      logger.info(`${name}: on${spec?.describe ? ` (${spec.describe(config)})` : ""}`);
    }

    // Stages a crash left running are picked up again, now that every listener is in place.
    await runner.resume();
    return { url, app, service, runner, db, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** `npm start`: config errors are one line each and exit 1; SIGINT/SIGTERM stop gracefully. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    process.stderr.write(`${err instanceof ConfigError ? err.message : describeCliError(err)}\n`);
    process.exit(1);
  }
  const logger = createLogger(config.LOG_LEVEL);
  let handle: AppHandle;
  try {
    handle = await startApp(config, { logger });
  } catch (err) {
    logger.fatal({ err }, `Greenlight could not start: ${describeCliError(err)}`);
    process.exit(1);
  }
  const shutdown = (signal: string) => {
    logger.info(`${signal} received, shutting down`);
    // A second signal while stopping exits at once.
    process.once(signal, () => process.exit(1));
    handle.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", () => shutdown("SIGINT"));
  process.once("SIGTERM", () => shutdown("SIGTERM"));
}

const entry = process.argv[1];
if (entry && realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url))) void main();
