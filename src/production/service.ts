/**
 * The production workflow (DESIGN.md): a state machine over the productions table. Each action reads
 * the production, checks who acts and what the stage allows, then commits one update guarded by the
 * version together with its events; a lost race re-reads and answers from the new state ("Already
 * approved by Ana — the shot list is being written"). Generating stages run afterwards on the runner.
 */
import { createHash, randomBytes } from "node:crypto";
import { setMaxListeners } from "node:events";
import { hostname } from "node:os";
import type { Logger } from "pino";
import type { StructuredLlm } from "../agents/llm.js";
import { applyAnswers, askClarifyingQuestions } from "../agents/scriptsmith/index.js";
import { revisePlan } from "../agents/videosolver/index.js";
import type { Db } from "../db/db.js";
import { Answers, USE_DEFAULT } from "../domain/clarify.js";
import { ConflictError, type FieldProblem, NotFoundError, ValidationError } from "../domain/errors.js";
import { parseOrThrow } from "../domain/parse.js";
import type { ProductionPlan } from "../domain/plan.js";
import {
  GENERATING_STAGES,
  Origin,
  type Production,
  type ProductionEvent,
  REVIEW_STAGES,
  type ReviewStage,
  STAGES,
  type Stage,
} from "../domain/production.js";
import type { ShotList } from "../domain/shots.js";
import { Constraints, Vrd } from "../domain/vrd.js";
import { ToolStackDB } from "../toolstack/toolstack-db.js";
import { actorName, allowApprover, assertMayAct, listApprovers, revokeApprover } from "./access.js";
import { checkAnswers } from "./answers.js";
import {
  type Actor,
  type ProductionFilter,
  type ProductionService,
  RequestKeyReusedError,
  type RevisionRequest,
} from "./contract.js";
import { EVENTS_CHANNEL, EventHub } from "./event-hub.js";
import { runStage } from "./run-stage.js";
import {
  AFTER_APPROVAL,
  ARTEFACT,
  GENERATING_FOR,
  isFinal,
  isGenerating,
  isReview,
  STAGE_NOW,
} from "./stages.js";
import { assertStorable, isStorableText } from "./storable.js";
import {
  findByRequestKey,
  fromRow,
  insertProduction,
  latestEvents,
  loadProduction,
  type NewEvent,
  orphanedStages,
  type ProductionChanges,
  type ProductionRow,
  readEvents,
  type StoredProduction,
  transition,
} from "./store.js";
import { WorkQueue } from "./work-queue.js";

export interface ProductionServiceDeps {
  db: Db;
  /** null → template mode. */
  llm: StructuredLlm | null;
  wordsPerSecond?: number;
  now?: () => Date;
  logger?: Logger;
  /** Generating stages run at once in this process (default 4). */
  concurrency?: number;
  /** One attempt of a stage may take this long (default 180 s). */
  stageTimeoutMs?: number;
  /** Attempts per stage for transient failures, with exponential backoff (default 3 × from 1 s). */
  retry?: { attempts: number; baseDelayMs: number };
  /** Names this process in stage leases (default host:pid:random). */
  instanceId?: string;
  /** A running stage's lease; renewed every third of it (default 30 s). */
  leaseMs?: number;
  /** After `resume()`, look for orphaned stages this often (default: leaseMs; 0 = never). */
  sweepIntervalMs?: number;
  /** Send and receive events across processes with LISTEN/NOTIFY (default: on for PostgreSQL). */
  crossProcessEvents?: boolean;
}

/** The service plus what only admins and operators use. */
export interface ProductionServiceWithAdmin extends ProductionService {
  /** Lets a member approve/revise/answer/retry/cancel every production of the workspace; `by` must be privileged. */
  allowApprover(workspaceId: string, userId: string, by: Actor, platform?: Actor["platform"]): Promise<void>;
  /** Undoes allowApprover; true when the member had been allowed. */
  revokeApprover(
    workspaceId: string,
    userId: string,
    by: Actor,
    platform?: Actor["platform"],
  ): Promise<boolean>;
  listApprovers(
    platform: Actor["platform"],
    workspaceId: string,
  ): Promise<{ user_id: string; allowed_by: string; created_at: string }[]>;
}

export interface ProductionRunner {
  /** Resolves when no stage is queued or running in this process. */
  idle(): Promise<void>;
  /** Productions waiting for a free slot. */
  queueDepth(): number;
  /** Stages running now. */
  running(): number;
  /**
   * Picks up stages left by a stopped process (generating, lease expired or never claimed), then
   * keeps looking every sweepIntervalMs. Also waits until cross-process events are being received.
   * Returns how many productions it queued now.
   */
  resume(): Promise<number>;
  /**
   * Takes no more work and stops receiving other processes' events. Waits for running stages to
   * finish, or with `abandon` drops them where they are, as a crash would: nothing more is written
   * and their leases expire (resolves once their in-flight queries have ended).
   */
  stop(options?: { abandon?: boolean }): Promise<void>;
}

const DEFAULTS = {
  concurrency: 4,
  stageTimeoutMs: 180_000,
  retry: { attempts: 3, baseDelayMs: 1000 },
  leaseMs: 30_000,
};

const DECISION_TYPES = ["approved", "revised", "cancelled", "answered", "retried"];

export function createProductionService(deps: ProductionServiceDeps): {
  service: ProductionServiceWithAdmin;
  runner: ProductionRunner;
} {
  const { db, logger } = deps;
  const instanceId = deps.instanceId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  const leaseMs = deps.leaseMs ?? DEFAULTS.leaseMs;
  const crossProcess = (deps.crossProcessEvents ?? db.kind === "postgres") && typeof db.listen === "function";
  const hub = new EventHub(db, { channel: crossProcess ? EVENTS_CHANNEL : null, sender: instanceId, logger });
  const abandon = new AbortController();
  // Every running stage listens on it (as many as `concurrency`): not a leak, so no warning past 10.
  setMaxListeners(0, abandon.signal);

  const queue = new WorkQueue(
    Math.max(1, deps.concurrency ?? DEFAULTS.concurrency),
    (id) =>
      runStage(
        id,
        { db, llm: deps.llm, wordsPerSecond: deps.wordsPerSecond, now: deps.now },
        {
          instanceId,
          leaseMs,
          stageTimeoutMs: deps.stageTimeoutMs ?? DEFAULTS.stageTimeoutMs,
          retry: deps.retry ?? DEFAULTS.retry,
          logger,
          publish: (events) => hub.published(events),
          notify: (tx, events) => hub.notify(tx, events),
          abandon: abandon.signal,
        },
      ),
    (id, error) => logger?.error({ err: error, production_id: id }, "production stage crashed"),
  );

  let unlisten: (() => Promise<void>) | null = null;
  const listening: Promise<void> = crossProcess
    ? db.listen!(EVENTS_CHANNEL, (payload) => hub.onNotification(payload)).then(
        (stop) => {
          unlisten = stop;
        },
        (error) => logger?.error({ err: error }, "could not listen for other processes' production events"),
      )
    : Promise.resolve();

  const committed = (result: { stored: StoredProduction; events: ProductionEvent[] }): Production => {
    hub.published(result.events);
    const { production } = result.stored;
    if (isGenerating(production.stage)) queue.add(production.id);
    return production;
  };

  const mustLoad = async (id: string): Promise<StoredProduction> => {
    // No id holds a NUL (the database would refuse to even look it up): such an id is simply unknown.
    const stored = isStorableText(id) ? await loadProduction(db, id) : null;
    if (!stored) throw new NotFoundError(`No production with id "${id}"`);
    return stored;
  };

  type Decision = { changes: ProductionChanges; events: NewEvent[] };

  /** Read → authorise → decide → one guarded update; on a lost race decide again from the new state. */
  async function act(
    id: string,
    actor: Actor,
    action: string,
    decide: (stored: StoredProduction) => Promise<Decision>,
  ): Promise<Production> {
    for (let round = 1; ; round++) {
      const stored = await mustLoad(id);
      await assertMayAct(db, stored.production, actor, action);
      const decision = await decide(stored);
      const events = decision.events.map((e) => ({ actor: actor.user_id, ...e }));
      const result = await db.transaction(async (tx) => {
        const done = await transition(
          tx,
          id,
          { version: stored.production.version },
          decision.changes,
          events,
        );
        if (done) await hub.notify(tx, done.events);
        return done;
      });
      if (result) return committed(result);
      if (round >= 5) {
        const current = (await mustLoad(id)).production;
        throw new ConflictError("This production is changing too fast to act on; try again.", current);
      }
    }
  }

  /** A ConflictError saying what happened instead and what the production is doing now. */
  async function conflict(
    action: "answer" | "approve" | "revise" | "retry" | "cancel",
    p: Production,
    options: { review?: ReviewStage; seenVersion?: number } = {},
  ): Promise<ConflictError> {
    const { review, seenVersion } = options;
    const what = review
      ? `the ${ARTEFACT[review]}`
      : action === "answer"
        ? "the questions"
        : "this production";
    const now =
      p.stage === "failed" && p.error
        ? `the production failed — ${p.error.replace(/\.$/, "")}`
        : STAGE_NOW[p.stage];
    if (review && p.stage === review && seenVersion !== undefined && seenVersion !== p.version)
      return new ConflictError(
        `This ${ARTEFACT[review]} has changed since you saw it (version ${seenVersion}, now ${p.version}). ` +
          `Review the latest before you ${action} it.`,
        p,
      );
    const decisions = await latestEvents(db, p.id, DECISION_TYPES);
    const by = (e: ProductionEvent | undefined) => String(e?.payload.by ?? e?.actor ?? "someone");
    if (p.stage === "cancelled")
      return new ConflictError(
        `This production was cancelled by ${by(decisions.find((e) => e.type === "cancelled"))}.`,
        p,
      );
    const decidedBy = { answer: "answered", retry: "retried" } as Record<string, string>;
    const match = decisions.find((e) =>
      review
        ? (e.type === "approved" || e.type === "revised") && e.payload.stage === review
        : e.type === decidedBy[action],
    );
    if (match) {
      const verb = (
        {
          approved: "approved",
          revised: "sent back for changes",
          answered: "answered",
          retried: "retried",
        } as Record<string, string>
      )[match.type];
      // "Already approved by Ana" answers a second Approve; a Revise after approval needs the subject.
      const subject = review && action !== "approve" ? `The ${ARTEFACT[review]} was already` : "Already";
      return new ConflictError(`${subject} ${verb} by ${by(match)} — ${now}.`, p);
    }
    return new ConflictError(`Cannot ${action} ${what} now (stage ${p.stage}): ${now}.`, p);
  }

  function checkReviewStage(stage: string): asserts stage is ReviewStage {
    if (!isReview(stage as Stage))
      throw new ValidationError(
        [
          {
            field: "stage",
            message: `must be one of ${REVIEW_STAGES.join(", ")}, got ${JSON.stringify(stage)}`,
          },
        ],
        "request",
      );
  }

  /** Why a tool id cannot be pinned: unknown, or known but retired (say so, with the vendor's note). */
  async function unusableToolMessage(toolId: string): Promise<string> {
    const { rows } = await db.query<{ name: string; status: string; status_note: string | null }>(
      "SELECT name, status, status_note FROM tools WHERE tool_id = $1",
      [toolId],
    );
    const known = rows[0];
    if (!known) return `no tool "${toolId}" in the tool stack`;
    const note = known.status_note ? ` (${known.status_note})` : "";
    return `${known.name} is ${known.status}${note} and cannot be planned with; pin another tool`;
  }

  /** Problems with a revision request, found before the production is sent back. */
  async function revisionProblems(
    stage: ReviewStage,
    request: RevisionRequest,
    p: Production,
  ): Promise<FieldProblem[]> {
    const problems: FieldProblem[] = [];
    const planChange = Boolean(request.pinTool || request.excludeTool || request.constraints);
    // Fields another review stage acts on would be silently ignored here: say so instead.
    if (stage !== "plan_review")
      for (const [field, given] of [
        ["pinTool", request.pinTool],
        ["excludeTool", request.excludeTool],
        ["constraints", request.constraints],
      ] as const)
        if (given !== undefined)
          problems.push({ field, message: `applies to plan_review only (this is ${stage})` });
    if (stage === "script_review" && request.shotIds?.length)
      problems.push({
        field: "shotIds",
        message: "applies to shots_review and plan_review only (the script has beats, not shots yet)",
      });
    if (!request.feedback?.trim() && !(stage === "plan_review" && planChange))
      problems.push({ field: "feedback", message: "must say what to change" });
    const shotIds = new Set(p.shot_list?.shots.map((s) => s.id) ?? []);
    if (request.shotIds?.length && stage !== "script_review") {
      const unknown = request.shotIds.filter((id) => !shotIds.has(id));
      if (unknown.length > 0)
        problems.push({
          field: "shotIds",
          message: `no such shot: ${unknown.join(", ")} (the shot list has ${[...shotIds].join(", ")})`,
        });
    }
    if (stage === "plan_review" && planChange) {
      const tools = new Set((await new ToolStackDB(db).planningTools()).map((t) => t.tool_id));
      if (request.pinTool) {
        if (!shotIds.has(request.pinTool.shotId))
          problems.push({
            field: "pinTool.shotId",
            message: `no shot ${request.pinTool.shotId} in the shot list`,
          });
        if (!tools.has(request.pinTool.toolId))
          problems.push({
            field: "pinTool.toolId",
            message: await unusableToolMessage(request.pinTool.toolId),
          });
      }
      for (const tool of [request.excludeTool ?? []].flat())
        if (!tools.has(tool))
          problems.push({ field: "excludeTool", message: `no tool "${tool}" in the tool stack` });
      if (request.constraints) {
        const merged = { ...(p.plan?.constraints ?? p.vrd.constraints), ...request.constraints };
        const parsed = Constraints.safeParse(merged);
        if (!parsed.success)
          for (const issue of parsed.error.issues)
            problems.push({ field: `constraints.${issue.path.join(".")}`, message: issue.message });
      }
      // A pin the tool cannot honour (a lip-sync shot, a step tool) or an exclusion that leaves a shot
      // without a tool would fail the planning stage, and Retry would fail the same way: refuse it now.
      if (problems.length === 0 && p.plan && p.shot_list)
        problems.push(...(await planRevisionProblems(p.plan, p.shot_list, request)));
    }
    return problems;
  }

  /** What `revisePlan` would refuse, found by planning the revision now (pure and fast). */
  async function planRevisionProblems(
    plan: ProductionPlan,
    shotList: ShotList,
    request: RevisionRequest,
  ): Promise<FieldProblem[]> {
    const toolStack = new ToolStackDB(db);
    const [tools, benchmarks] = await Promise.all([
      toolStack.planningTools(),
      toolStack.benchmarkSummaries(),
    ]);
    try {
      revisePlan(
        plan,
        { constraints: request.constraints, pinTool: request.pinTool, excludeTool: request.excludeTool },
        { shotList, tools, options: { benchmarks } },
      );
      return [];
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return err.problems.map((problem) => ({
        field: problem.field.startsWith("pinned.")
          ? "pinTool.toolId"
          : request.excludeTool
            ? "excludeTool"
            : problem.field,
        message: problem.message,
      }));
    }
  }

  const service: ProductionServiceWithAdmin = {
    async start(vrd, origin, options = {}) {
      const brief = parseOrThrow(Vrd, vrd, "VRD");
      const from = parseOrThrow(Origin, origin, "origin");
      const given = options.answers === undefined ? {} : parseOrThrow(Answers, options.answers, "answers");
      assertStorable({ vrd: brief, origin: from, answers: given }, "request");
      const requestKey = options.requestKey?.trim() || null;
      const request = requestKey ? requestFingerprint(brief, given) : null;
      const replayed = async (existing: StoredProduction) => {
        await assertSameRequest(existing.production, request!, requestKey!);
        return existing.production;
      };
      if (requestKey) {
        const existing = await findByRequestKey(db, requestKey);
        if (existing) return replayed(existing);
      }
      const questions = askClarifyingQuestions(brief);
      const answered = Object.keys(given).length > 0;
      // Answers given up front are checked and applied in the creating transaction: none is lost to a
      // crash in between, and a retried start (same key) cannot apply them a second time.
      const applied = answered ? checkAnswers(brief, questions, given) : brief;
      const complete = questions.every((q) => given[q.id] !== undefined);
      const stage: Stage = complete ? "scripting" : "clarifying";
      const events: NewEvent[] = [
        {
          type: "created",
          stage: "draft",
          actor: from.user_id,
          payload: { title: brief.title, ...(request ? { request } : {}) },
        },
        { type: "questions", stage: questions.length > 0 ? "clarifying" : stage, payload: { questions } },
      ];
      if (answered)
        events.push({
          type: "answered",
          stage,
          actor: from.user_id,
          payload: { answers: given, by: from.user_id, complete },
        });
      const result = await db.transaction(async (tx) => {
        const created = await insertProduction(
          tx,
          {
            id: newProductionId(),
            stage,
            brief,
            vrd: complete ? applied : brief,
            questions,
            answers: given,
            origin: from,
            requestKey,
          },
          events,
        );
        if (created) await hub.notify(tx, created.events);
        return created;
      });
      if (result) return committed(result);
      // Another request with the same key won the insert.
      const first = await findByRequestKey(db, requestKey!);
      if (!first) throw new ConflictError("A production with this request key is being created; try again.");
      return replayed(first);
    },

    async answer(id, answers, actor) {
      const given = parseOrThrow(Answers, answers, "answers");
      assertStorable(given, "answers");
      return act(id, actor, "answer the questions of", async ({ production: p, brief }) => {
        if (p.stage !== "clarifying") throw await conflict("answer", p);
        const ids = p.questions.map((q) => q.id);
        const merged = { ...p.answers, ...given };
        const vrd = checkAnswers(brief, p.questions, merged); // ValidationError names the field
        const complete = ids.every((q) => merged[q] !== undefined);
        return {
          changes: { answers: merged, ...(complete ? { stage: "scripting" as const, vrd } : {}) },
          events: [{ type: "answered", payload: { answers: given, by: actorName(actor), complete } }],
        };
      });
    },

    async skipQuestions(id, actor) {
      return act(id, actor, "answer the questions of", async ({ production: p, brief }) => {
        if (p.stage !== "clarifying") throw await conflict("answer", p);
        const defaults = Object.fromEntries(
          p.questions.filter((q) => p.answers[q.id] === undefined).map((q) => [q.id, USE_DEFAULT]),
        );
        const merged = { ...p.answers, ...defaults };
        const vrd = applyAnswers(brief, p.questions, merged);
        return {
          changes: { answers: merged, stage: "scripting", vrd },
          events: [
            {
              type: "answered",
              payload: { answers: defaults, by: actorName(actor), complete: true, skipped: true },
            },
          ],
        };
      });
    },

    async approve(id, stage, actor, version) {
      checkReviewStage(stage);
      return act(id, actor, "approve", async ({ production: p }) => {
        if (p.stage !== stage || (version !== undefined && version !== p.version))
          throw await conflict("approve", p, { review: stage, seenVersion: version });
        // The next stage generates afresh: whatever a previous round left after this stage is stale.
        const stale: ProductionChanges =
          stage === "script_review"
            ? { shot_list: null, plan: null }
            : stage === "shots_review"
              ? { plan: null }
              : {};
        return {
          changes: { ...stale, stage: AFTER_APPROVAL[stage], revision: null },
          events: [{ type: "approved", payload: { stage, by: actorName(actor) } }],
        };
      });
    },

    async revise(id, stage, request, actor, version) {
      checkReviewStage(stage);
      assertStorable(request, "revision");
      return act(id, actor, "revise", async ({ production: p }) => {
        if (p.stage !== stage || (version !== undefined && version !== p.version))
          throw await conflict("revise", p, { review: stage, seenVersion: version });
        const problems = await revisionProblems(stage, request, p);
        if (problems.length > 0) throw new ValidationError(problems, "revision");
        const feedback = request.feedback?.trim() ?? "";
        const revision: RevisionRequest = { ...request, feedback };
        const extras = Object.fromEntries(
          Object.entries({
            shotIds: request.shotIds,
            pinTool: request.pinTool,
            excludeTool: request.excludeTool,
            constraints: request.constraints,
          }).filter(([, v]) => v !== undefined),
        );
        return {
          changes: { stage: GENERATING_FOR[stage], revision },
          events: [{ type: "revised", payload: { stage, feedback, by: actorName(actor), ...extras } }],
        };
      });
    },

    async retry(id, actor) {
      return act(id, actor, "retry", async (stored) => {
        const p = stored.production;
        if (p.stage !== "failed" || !stored.failedStage) throw await conflict("retry", p);
        const stage = stored.failedStage;
        return {
          changes: { stage, error: null, failed_stage: null },
          events: [{ type: "retried", payload: { stage, by: actorName(actor) } }],
        };
      });
    },

    async cancel(id, actor) {
      return act(id, actor, "cancel", async ({ production: p }) => {
        if (isFinal(p.stage)) throw await conflict("cancel", p);
        return {
          changes: { stage: "cancelled", revision: null },
          events: [{ type: "cancelled", payload: { by: actorName(actor), from: p.stage } }],
        };
      });
    },

    async get(id) {
      return (await mustLoad(id)).production;
    },

    async list(filter: ProductionFilter = {}) {
      assertStorable(filter, "filter");
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (sql: string, value: unknown) => {
        params.push(value);
        where.push(sql.replace("?", `$${params.length}`));
      };
      if (filter.platform) add("origin->>'platform' = ?", filter.platform);
      if (filter.workspace_id) add("origin->>'workspace_id' = ?", filter.workspace_id);
      if (filter.channel_id) add("origin->>'channel_id' = ?", filter.channel_id);
      if (filter.owner_id) add("owner_id = ?", filter.owner_id);
      if (filter.stage !== undefined) {
        const stages = [filter.stage].flat();
        const bad = stages.filter((s) => !(STAGES as readonly string[]).includes(s));
        if (bad.length > 0)
          throw new ValidationError(
            [{ field: "stage", message: `unknown stage ${bad.join(", ")}` }],
            "filter",
          );
        add("stage = ANY(?::text[])", stages);
      }
      const limit = Math.max(1, Math.min(500, Math.floor(filter.limit ?? 50)));
      params.push(limit);
      const { rows } = await db.query<ProductionRow>(
        `SELECT * FROM productions ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
         ORDER BY created_at DESC, id LIMIT $${params.length}`,
        params,
      );
      return rows.map((row) => fromRow(row).production);
    },

    async events(id, afterSeq = 0) {
      if (!isStorableText(id)) await mustLoad(id);
      const events = await readEvents(db, id, afterSeq);
      if (events.length === 0) await mustLoad(id);
      return events;
    },

    subscribe(listener) {
      return hub.subscribe(listener);
    },

    allowApprover: (workspaceId, userId, by, platform) =>
      allowApprover(db, workspaceId, userId, by, platform),
    revokeApprover: (workspaceId, userId, by, platform) =>
      revokeApprover(db, workspaceId, userId, by, platform),
    listApprovers: (platform, workspaceId) => listApprovers(db, platform, workspaceId),
  };

  let sweep: NodeJS.Timeout | undefined;
  let stopped = false;
  const resumeNow = async () => {
    const ids = await orphanedStages(db, GENERATING_STAGES);
    for (const id of ids) queue.add(id);
    if (ids.length > 0)
      logger?.info({ count: ids.length }, "resuming production stages left by a stopped process");
    return ids.length;
  };

  const runner: ProductionRunner = {
    idle: () => queue.idle(),
    queueDepth: () => queue.depth(),
    running: () => queue.running(),
    async resume() {
      await listening;
      if (stopped) return 0;
      const sweepMs = deps.sweepIntervalMs ?? leaseMs;
      if (!sweep && sweepMs > 0) {
        sweep = setInterval(() => {
          resumeNow().catch((error) => logger?.warn({ err: error }, "looking for orphaned stages failed"));
        }, sweepMs);
        sweep.unref();
      }
      return resumeNow();
    },
    async stop(options = {}) {
      stopped = true;
      if (options.abandon) abandon.abort();
      clearInterval(sweep);
      await queue.stop();
      await listening;
      await unlisten?.();
      unlisten = null;
      await hub.settled();
    },
  };

  /** A retried start must be the same request: the same key for another brief is a client bug. */
  async function assertSameRequest(p: Production, request: string, requestKey: string): Promise<void> {
    const [created] = await readEvents(db, p.id, 0, 1);
    const first = created?.payload.request;
    // Productions created before fingerprints were recorded are taken as the same request.
    if (typeof first !== "string" || first === request) return;
    const key = requestKey.startsWith("api:") ? "Idempotency-Key" : "request key";
    throw new RequestKeyReusedError(
      `This ${key} was already used to start production ${p.id} with a different brief or answers. ` +
        "Send a new key for a new production, or repeat the first request exactly to get that production.",
      p,
    );
  }

  return { service, runner };
}

/** The request a start made, as a hash: the normalised brief and the answers, keys in a fixed order. */
function requestFingerprint(brief: Vrd, answers: Record<string, unknown>): string {
  const sorted = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(sorted)
      : value !== null && typeof value === "object"
        ? Object.fromEntries(
            Object.keys(value)
              .sort()
              .map((k) => [k, sorted((value as Record<string, unknown>)[k])]),
          )
        : value;
  return createHash("sha256")
    .update(JSON.stringify(sorted({ brief, answers })))
    .digest("hex");
}

/** Short, URL- and custom_id-safe, unguessable. */
function newProductionId(): string {
  return `prod_${randomBytes(8).toString("hex")}`;
}
