/**
 * The HTTP API: stateless agent endpoints, durable productions with SSE, health, metrics, OpenAPI.
 * Built from its dependencies (no I/O at import); main.ts listens, tests use it on port 0.
 */
import { timingSafeEqual } from "node:crypto";
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
  type HTTPMethods,
  LogController,
} from "fastify";
import type { Logger } from "pino";
import type { StructuredLlm } from "../agents/llm.js";
import type { Db } from "../db/db.js";
import type { Tool } from "../domain/tool.js";
import type { ProductionService } from "../production/contract.js";
import { assertStorable } from "../production/storable.js";
import { BODY_LIMIT_BYTES, errorHandler } from "./errors.js";
import { type ApiMetrics, createMetrics } from "./metrics.js";
import { docsPage, openApiDocument } from "./openapi.js";
import { registerPipelineRoutes } from "./pipeline-routes.js";
import { registerProductionRoutes } from "./production-routes.js";
import type { SseStream } from "./sse.js";

export interface ApiDeps {
  service: ProductionService;
  db: Db;
  /** null → template mode (reported by /health). */
  llm: StructuredLlm | null;
  /** The planning tool stack (ToolStackDB(db).planningTools()). */
  tools: () => Promise<Tool[]>;
  /** When set, /api/* needs `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  logger: Logger;
  /** Default: a fresh registry. Production events are recorded from service.subscribe. */
  metrics?: ApiMetrics;
  wordsPerSecond?: number;
  /** Reported by /health and the OpenAPI document. */
  version?: string;
  /** SSE heartbeat comment interval; default 15 s. */
  sseHeartbeatMs?: number;
  now?: () => Date;
}

/** What the route modules share. */
export interface ApiContext {
  service: ProductionService;
  llm: StructuredLlm | null;
  tools: () => Promise<Tool[]>;
  metrics: ApiMetrics;
  wordsPerSecond?: number;
  now?: () => Date;
  sse: { heartbeatMs: number; openStreams: Set<SseStream> };
}

const DEFAULT_HEARTBEAT_MS = 15_000;

function bearerMatches(request: FastifyRequest, key: string): boolean {
  const header = request.headers.authorization ?? "";
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1]);
  const expected = Buffer.from(key);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Bodies are JSON (application/json or any +json type). An empty JSON body counts as none, so bodiless
 * actions (retry, cancel) work from clients that always send the header; bad JSON is a 400 with the
 * parser's position; text that PostgreSQL cannot store is a 400 naming its field, not a 500 at the
 * INSERT. Other types, text/plain included (a JSON string sent without its header), are a 415.
 */
function acceptJsonBodies(app: FastifyInstance): void {
  // __proto__ / constructor.prototype keys are dropped, as no schema has such a field.
  const secureParse = app.getDefaultJsonParser("remove", "remove");
  app.removeContentTypeParser(["application/json", "text/plain"]);
  const parseJson = (
    request: FastifyRequest,
    body: string | Buffer,
    done: (err: Error | null, body?: unknown) => void,
  ) => {
    const text = String(body);
    if (text.trim() === "") return done(null, undefined);
    try {
      JSON.parse(text);
    } catch (err) {
      return done(err as SyntaxError, undefined); // errors.ts: 400 with the parser's own words
    }
    secureParse(request, text, done);
  };
  app.addContentTypeParser("application/json", { parseAs: "string" }, parseJson);
  app.addContentTypeParser(/^application\/[\w.+-]+\+json$/, { parseAs: "string" }, parseJson);
  app.addHook("preValidation", async (request) => {
    assertStorable(request.query, "query");
    assertStorable(request.body, "request body");
  });
}

/** The methods some route answers at this URL (HEAD comes with every GET route). */
function methodsAt(app: FastifyInstance, url: string): string[] {
  return app.supportedMethods.filter((method) => app.findRoute({ method: method as HTTPMethods, url }));
}

export function buildApi(deps: ApiDeps): FastifyInstance {
  const logger = deps.logger.child({ component: "api" });
  const metrics = deps.metrics ?? createMetrics();
  const version = deps.version ?? "unknown";
  const ctx: ApiContext = {
    service: deps.service,
    llm: deps.llm,
    tools: deps.tools,
    metrics,
    wordsPerSecond: deps.wordsPerSecond,
    now: deps.now,
    sse: { heartbeatMs: deps.sseHeartbeatMs ?? DEFAULT_HEARTBEAT_MS, openStreams: new Set() },
  };

  const app = Fastify({
    // pino's Logger is Fastify's logger; only the generic parameters differ.
    loggerInstance: logger as FastifyBaseLogger,
    // One line per response from our own hook below, not two from Fastify.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
    // "/api/productions/" is the same resource as "/api/productions" to every client that adds a slash.
    // An id longer than the default 100 characters is an unknown production (404), not a router error.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1000 },
    // A malformed URL escape (%zz) gets the same JSON error shape as every other answer.
    frameworkErrors: (err, request, reply) => errorHandler(logger)(err, request, reply),
    // Stopping must not wait on clients that keep connections (or event streams) open.
    forceCloseConnections: true,
  });

  app.setErrorHandler(errorHandler(logger));
  acceptJsonBodies(app);
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0];
    const methods = methodsAt(app, request.url);
    if (methods.length === 0) return reply.status(404).send({ error: `No route ${request.method} ${path}` });
    // A path that exists answers OPTIONS with its methods, and any other method with 405 (RFC 9110).
    const allow = [...new Set([...methods, "OPTIONS"])].join(", ");
    reply.header("allow", allow);
    if (request.method === "OPTIONS") return reply.status(204).send();
    return reply
      .status(405)
      .send({ error: `Method ${request.method} is not allowed on ${path}; it takes ${allow}.` });
  });

  if (deps.apiKey) {
    const key = deps.apiKey;
    app.addHook("onRequest", async (request, reply) => {
      if (!request.url.startsWith("/api/") || bearerMatches(request, key)) return;
      return reply
        .status(401)
        .header("www-authenticate", 'Bearer realm="greenlight"')
        .send({
          error: "Missing or wrong API key: send the header Authorization: Bearer <API_KEY>.",
          problems: [{ field: "Authorization", message: "must be Bearer <API_KEY>" }],
        });
    });
  }

  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "unmatched";
    metrics.recordHttpRequest(request.method, route, reply.statusCode);
    request.log.debug(
      { method: request.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      "request answered",
    );
  });

  // Each replica counts the events it wrote, so a sum over replicas counts every event once.
  const unsubscribe = deps.service.subscribe((event, { committedHere }) => {
    if (committedHere) metrics.recordEvent(event);
  });
  // Open event streams would keep close() waiting forever: end them first.
  app.addHook("preClose", async () => {
    for (const stream of [...ctx.sse.openStreams]) stream.close();
  });
  app.addHook("onClose", async () => unsubscribe());

  app.get("/health", async (_request, reply) => {
    let reachable = true;
    try {
      await deps.db.query("SELECT 1");
    } catch (err) {
      reachable = false;
      logger.warn({ err }, "health check: database unreachable");
    }
    return reply.status(reachable ? 200 : 503).send({
      status: reachable ? "ok" : "unavailable",
      version,
      db: { kind: deps.db.kind, reachable },
      llm: deps.llm ? { mode: "llm", model: deps.llm.model } : { mode: "template", model: null },
    });
  });

  app.get("/metrics", async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );

  let document: Record<string, unknown> | undefined;
  const openApi = () => {
    document ??= openApiDocument(version);
    return document;
  };
  app.get("/openapi.json", async () => openApi());
  app.get("/docs", async (_request, reply) =>
    reply.type("text/html; charset=utf-8").send(docsPage(openApi())),
  );

  registerPipelineRoutes(app, ctx);
  registerProductionRoutes(app, ctx);
  return app;
}
