/**
 * Stateful productions over REST: start, read, answer, approve, revise, retry, cancel, and the
 * production's event log as a resumable SSE stream. Handlers parse, call the service, answer.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { ValidationError } from "../domain/errors.js";
import { parseOrThrow } from "../domain/parse.js";
import type { Production, ProductionEvent, Stage } from "../domain/production.js";
import type { Actor, RevisionRequest } from "../production/contract.js";
import {
  AnswersRequest,
  ApproveRequest,
  bodyOf,
  EventsQuery,
  ListQuery,
  ReviseRequest,
  StartProductionRequest,
  withVrdObject,
} from "./schemas.js";
import type { ApiContext } from "./server.js";
import { openSse } from "./sse.js";

/** A production in one of these stages will not change again by itself: its event stream ends. */
const FINAL_STAGES = new Set<Stage>(["approved", "failed", "cancelled"]);

const DEFAULT_USER = "api";
/** Event ids are INT in the database; a larger one cannot be an id we sent. */
const MAX_EVENT_ID = 2_147_483_647;
const MAX_HEADER_VALUE = 200;
/** Header names as the README and error messages spell them (Node lower-cases them). */
const HEADER_NAMES: Record<string, string> = {
  "idempotency-key": "Idempotency-Key",
  "x-user-id": "X-User-Id",
  "last-event-id": "Last-Event-ID",
};

/** A header's value; a longer one than we store is refused (cut, two different values could collide). */
function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (text && text.length > MAX_HEADER_VALUE)
    throw new ValidationError(
      [
        {
          field: HEADER_NAMES[name] ?? name,
          message: `must be at most ${MAX_HEADER_VALUE} characters, got ${text.length}`,
        },
      ],
      "request headers",
    );
  return text || undefined;
}

/** The API actor: whoever the X-User-Id header names (the API key vouches for the caller). */
export function actorOf(request: FastifyRequest): Actor {
  return { platform: "api", user_id: header(request, "x-user-id") ?? DEFAULT_USER };
}

/** A list row: enough to find a production without shipping every script and plan. */
export function productionSummary(p: Production) {
  return {
    id: p.id,
    version: p.version,
    stage: p.stage,
    title: p.vrd.title,
    owner_id: p.owner_id,
    origin: p.origin,
    error: p.error,
    usage: p.usage,
    created_at: p.created_at,
    updated_at: p.updated_at,
  };
}

/** Where to resume: the Last-Event-ID header wins over `?after=`; absent means from the start. */
function resumeAfter(request: FastifyRequest): number {
  const fromHeader = header(request, "last-event-id");
  if (fromHeader !== undefined) {
    const seq = Number(fromHeader);
    if (!Number.isInteger(seq) || seq < 0 || seq > MAX_EVENT_ID)
      throw new ValidationError(
        [{ field: "Last-Event-ID", message: `must be an event id (a whole number), got "${fromHeader}"` }],
        "request",
      );
    return seq;
  }
  return parseOrThrow(EventsQuery, request.query, "query").after ?? 0;
}

type IdParams = { Params: { id: string } };

const newestSeq = (events: readonly ProductionEvent[]) => events.at(-1)?.seq ?? 0;

/** The service names revision fields as its RevisionRequest does; say them as the request body does. */
const BODY_FIELD: Array<[RegExp, string]> = [
  [/^shotIds/, "shot_ids"],
  [/^pinTool\.shotId/, "pin_tool.shot_id"],
  [/^pinTool\.toolId/, "pin_tool.tool_id"],
  [/^pinTool/, "pin_tool"],
  [/^excludeTool/, "exclude_tool"],
];

function inBodyTerms(err: ValidationError): ValidationError {
  const rename = (field: string) => {
    for (const [pattern, name] of BODY_FIELD) if (pattern.test(field)) return field.replace(pattern, name);
    return field;
  };
  return new ValidationError(
    err.problems.map((p) => ({ ...p, field: rename(p.field) })),
    err.what,
  );
}

export function registerProductionRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const { service } = ctx;

  app.post("/api/productions", async (request, reply) => {
    const body = parseOrThrow(StartProductionRequest, withVrdObject(bodyOf(request)), "request body");
    const actor = actorOf(request);
    const key = header(request, "idempotency-key");
    // The service checks the answers before the production exists and applies them with its creation.
    const production = await service.start(
      body.vrd,
      { platform: "api", workspace_id: null, channel_id: null, thread_id: null, user_id: actor.user_id },
      {
        // Scoped by user, so two callers choosing the same key never share a production.
        ...(key ? { requestKey: `api:${actor.user_id}:${key}` } : {}),
        ...(body.answers ? { answers: body.answers } : {}),
      },
    );
    return reply.status(201).header("location", `/api/productions/${production.id}`).send(production);
  });

  app.get("/api/productions", async (request) => {
    const query = parseOrThrow(ListQuery, request.query, "query");
    const productions = await service.list(query);
    return { productions: productions.map(productionSummary) };
  });

  app.get<IdParams>("/api/productions/:id", async (request) => service.get(request.params.id));

  app.post<IdParams>("/api/productions/:id/answers", async (request) => {
    const body = parseOrThrow(AnswersRequest, bodyOf(request), "request body");
    const actor = actorOf(request);
    const { id } = request.params;
    // Answers with skip: these answers, the defaults for the rest (not the defaults for everything).
    const hasAnswers = body.answers !== undefined && Object.keys(body.answers).length > 0;
    if (body.skip !== true) return service.answer(id, body.answers ?? {}, actor);
    if (!hasAnswers) return service.skipQuestions(id, actor);
    const answered = await service.answer(id, body.answers ?? {}, actor);
    return answered.stage === "clarifying" ? service.skipQuestions(id, actor) : answered;
  });

  app.post<IdParams>("/api/productions/:id/skip", async (request) =>
    service.skipQuestions(request.params.id, actorOf(request)),
  );

  app.post<IdParams>("/api/productions/:id/approve", async (request) => {
    const body = parseOrThrow(ApproveRequest, bodyOf(request), "request body");
    return service.approve(request.params.id, body.stage, actorOf(request), body.version);
  });

  app.post<IdParams>("/api/productions/:id/revise", async (request) => {
    const body = parseOrThrow(ReviseRequest, bodyOf(request), "request body");
    const revision: RevisionRequest = { feedback: body.feedback };
    if (body.shot_ids) revision.shotIds = body.shot_ids;
    if (body.constraints) revision.constraints = body.constraints;
    if (body.pin_tool) revision.pinTool = { shotId: body.pin_tool.shot_id, toolId: body.pin_tool.tool_id };
    if (body.exclude_tool) revision.excludeTool = body.exclude_tool;
    try {
      return await service.revise(request.params.id, body.stage, revision, actorOf(request), body.version);
    } catch (err) {
      throw err instanceof ValidationError ? inBodyTerms(err) : err;
    }
  });

  app.post<IdParams>("/api/productions/:id/retry", async (request) =>
    service.retry(request.params.id, actorOf(request)),
  );

  app.post<IdParams>("/api/productions/:id/cancel", async (request) =>
    service.cancel(request.params.id, actorOf(request)),
  );

  /**
   * The event log after Last-Event-ID (or `?after=`), then live events, each as `id: seq`,
   * `event: type`, `data: the event as JSON`. Ends after the event that makes the production
   * approved, failed or cancelled (a retried production can be followed again with Last-Event-ID).
   */
  app.get<IdParams>("/api/productions/:id/events", async (request, reply) => {
    const { id } = request.params;
    const after = resumeAfter(request);
    await service.get(id); // 404 before any stream is opened

    const sse = openSse(reply, ctx.sse);
    let lastSeq = after;
    let lastStage: Stage | null = null;
    let replaying = true;
    const pending: ProductionEvent[] = [];
    const deliver = (event: ProductionEvent) => {
      if (event.seq <= lastSeq) return; // seen in the replay already
      lastSeq = event.seq;
      lastStage = event.stage;
      sse.send({ id: event.seq, event: event.type, data: event });
    };
    // Subscribe before reading the log, so an event appended in between is not lost (deliver dedupes).
    const unsubscribe = service.subscribe((event) => {
      if (event.production_id !== id || sse.closed) return;
      if (replaying) return void pending.push(event);
      deliver(event);
      if (FINAL_STAGES.has(event.stage)) sse.close();
    });
    sse.onClose(unsubscribe);

    try {
      const replay = await service.events(id, after);
      // An id beyond the newest event (another server's, a stale bookmark) would hide every new
      // event behind it: follow from the newest event instead.
      if (replay.length === 0 && after > 0) lastSeq = Math.min(after, newestSeq(await service.events(id)));
      for (const event of replay) deliver(event);
      for (const event of pending.sort((a, b) => a.seq - b.seq)) deliver(event);
      replaying = false;
      // Nothing new since Last-Event-ID: the production's own stage says whether more will come.
      const stage = lastStage ?? (await service.get(id)).stage;
      if (FINAL_STAGES.has(stage)) sse.close();
    } catch (err) {
      request.log.error({ err, production_id: id }, "event stream failed");
      sse.send({ event: "error", data: { error: "The event stream failed; reconnect with Last-Event-ID." } });
      sse.close();
    }
    return reply;
  });
}
