/**
 * The API on a real loopback port with its own migrated, seeded embedded database, for tests.
 * Log lines are captured so tests can assert what was logged (and that no secret was).
 */
import { Writable } from "node:stream";
import type { StructuredLlm } from "../../src/agents/llm.js";
import { type ApiMetrics, buildApi, createMetrics } from "../../src/api/index.js";
import type { Db } from "../../src/db/db.js";
import { prepareDatabase } from "../../src/db/prepare.js";
import { createLogger, type Logger } from "../../src/logger.js";
import type { ProductionService } from "../../src/production/contract.js";
import { createProductionService } from "../../src/production/index.js";
import { ToolStackDB } from "../../src/toolstack/toolstack-db.js";
import { testDb } from "../support/db.js";

export interface CapturedLogger {
  logger: Logger;
  lines: string[];
  /** The `msg` of every line, in order. */
  messages(): string[];
}

export function captureLogger(level = "debug"): CapturedLogger {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  return {
    logger: createLogger(level, sink),
    lines,
    messages: () => lines.map((l) => (JSON.parse(l) as { msg?: string }).msg ?? ""),
  };
}

export interface TestApi {
  url: string;
  db: Db;
  service: ProductionService;
  metrics: ApiMetrics;
  log: CapturedLogger;
  /** Fetch a path on the API; JSON bodies are sent as JSON. */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

export interface TestApiOptions {
  apiKey?: string;
  llm?: StructuredLlm | null;
  sseHeartbeatMs?: number;
  /** The service under the API; the database is ready when this is called. */
  makeService: (
    db: Db,
    llm: StructuredLlm | null,
    logger: Logger,
  ) => { service: ProductionService; stop?: () => Promise<void> };
  /** Reuse a database (prepared) instead of opening one. */
  db?: Db;
}

export async function startTestApi(options: TestApiOptions): Promise<TestApi> {
  const ownDb = !options.db;
  const db = options.db ?? (await testDb());
  if (ownDb) await prepareDatabase(db);
  const log = captureLogger();
  const llm = options.llm ?? null;
  const { service, stop } = options.makeService(db, llm, log.logger);
  const metrics = createMetrics({ processMetrics: false });
  const app = buildApi({
    service,
    db,
    llm,
    tools: () => new ToolStackDB(db).planningTools(),
    apiKey: options.apiKey,
    logger: log.logger,
    metrics,
    version: "test",
    sseHeartbeatMs: options.sseHeartbeatMs,
  });
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  return {
    url,
    db,
    service,
    metrics,
    log,
    call(method, path, body, headers = {}) {
      const init: RequestInit = { method, headers: { ...headers } };
      if (body !== undefined) {
        init.body = typeof body === "string" ? body : JSON.stringify(body);
        (init.headers as Record<string, string>)["content-type"] ??= "application/json";
      }
      return fetch(`${url}${path}`, init);
    },
    async close() {
      await app.close();
      await stop?.();
      if (ownDb) await db.close();
    },
  };
}

/** A service for tests that only exercise stateless endpoints: every call is a test failure. */
export function unusedService(): ProductionService {
  const fail = () => {
    throw new Error("the stateless endpoints must not touch the production service");
  };
  return {
    start: fail,
    answer: fail,
    skipQuestions: fail,
    approve: fail,
    revise: fail,
    retry: fail,
    cancel: fail,
    get: fail,
    list: fail,
    events: fail,
    subscribe: () => () => {},
  };
}

/** The real production service (template mode unless an LLM is given), one attempt per stage. */
export function realService(db: Db, llm: StructuredLlm | null, logger: Logger) {
  const { service, runner } = createProductionService({
    db,
    llm,
    logger,
    retry: { attempts: 1, baseDelayMs: 10 },
    sweepIntervalMs: 0,
  });
  return { service, stop: () => runner.stop() };
}
