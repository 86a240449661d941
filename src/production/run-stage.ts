/**
 * Runs one production's generating stage in this process: claim the lease (so no other replica runs
 * it), renew it while working, try with a timeout and retries for transient failures, then commit
 * the artefact and the move to review — or `failed` with a message a person can act on. Every write
 * is guarded by the lease, so a process that lost it (or was cancelled under) changes nothing.
 */
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "pino";
import type { Queryable } from "../db/db.js";
import { errorMessage, UpstreamError, ValidationError } from "../domain/errors.js";
import { GENERATING_STAGES, type ProductionEvent } from "../domain/production.js";
import { capitalise } from "../domain/text.js";
import { addUsage, noUsage, type TokenUsage } from "../domain/usage.js";
import { generateStage, type StageDeps } from "./generate-stage.js";
import { AGENT, ARTEFACT, type GeneratingStage, isGenerating, REVIEW_AFTER, startMessage } from "./stages.js";
import { appendEvents, claimStage, renewLease, transition } from "./store.js";

export interface RunStageOptions {
  instanceId: string;
  leaseMs: number;
  stageTimeoutMs: number;
  retry: { attempts: number; baseDelayMs: number };
  logger?: Logger;
  /** Where committed events go (this process's subscribers). */
  publish(events: ProductionEvent[]): void;
  /** Inside the transaction that wrote `events`: tells other processes (EventHub.notify). */
  notify(tx: Queryable, events: readonly ProductionEvent[]): Promise<void>;
  /** Aborted when this process is told to stop as if it crashed: no further writes, let go at once. */
  abandon: AbortSignal;
}

class Abandoned extends Error {}

class StageTimeout extends Error {
  constructor(readonly ms: number) {
    super(`stage timed out after ${ms} ms`);
  }
}

export async function runStage(id: string, deps: StageDeps, options: RunStageOptions): Promise<void> {
  const { db } = deps;
  if (options.abandon.aborted) return;
  const claim = await db.transaction(async (tx) => {
    const claimed = await claimStage(
      tx,
      id,
      options.instanceId,
      options.leaseMs,
      GENERATING_STAGES,
      (stored, resumed) => {
        const stage = stored.production.stage as GeneratingStage;
        const revising = stored.revision !== null;
        return [
          { type: "stage_started", payload: { stage, revision: revising, resumed } },
          { type: "progress", payload: { message: startMessage(stage, revising, resumed) } },
        ];
      },
    );
    if (claimed) await options.notify(tx, claimed.events);
    return claimed;
  });
  if (!claim) return; // not generating any more, or another process holds it
  if (options.abandon.aborted) return;
  options.publish(claim.events);
  const { stored } = claim;
  const stage = stored.production.stage;
  if (!isGenerating(stage)) return;
  const log = options.logger?.child({ production_id: id, stage });
  if (claim.resumed) log?.info("resuming a stage whose process stopped mid-way");

  const started = performance.now();
  let usage: TokenUsage = noUsage();
  let attemptNo = 0;
  const pending = new Set<Promise<unknown>>();
  const progress = (attempt: number, message: string) => {
    if (attempt !== attemptNo || options.abandon.aborted) return Promise.resolve();
    const write = db
      .transaction(async (tx) => {
        const lease = { owner: options.instanceId, stage };
        const events = await appendEvents(tx, id, lease, [{ type: "progress", payload: { message } }]);
        if (events) await options.notify(tx, events);
        return events;
      })
      .then((events) => {
        if (events && !options.abandon.aborted) options.publish(events);
      })
      .catch((error) => log?.warn({ err: error }, "could not record progress"));
    pending.add(write);
    return write.finally(() => pending.delete(write));
  };

  let renewing: Promise<unknown> = Promise.resolve();
  const heartbeat = setInterval(
    () => {
      if (options.abandon.aborted) return clearInterval(heartbeat);
      renewing = renewLease(db, id, options.instanceId, options.leaseMs).catch((error) =>
        log?.warn({ err: error }, "could not renew the stage lease"),
      );
    },
    Math.max(10, Math.floor(options.leaseMs / 3)),
  );
  heartbeat.unref();

  const unlessAbandoned = <T>(work: Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const signal = options.abandon;
      const onAbort = () => reject(new Abandoned());
      if (signal.aborted) return onAbort();
      signal.addEventListener("abort", onAbort, { once: true });
      work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
    });

  try {
    const { attempts, baseDelayMs } = options.retry;
    let outcome: { changes: Awaited<ReturnType<typeof generateStage>> } | { error: unknown } | undefined;
    for (let attempt = 1; attempt <= attempts && !outcome; attempt++) {
      attemptNo = attempt;
      try {
        const givenUp = new AbortController();
        const changes = await unlessAbandoned(
          withTimeout(
            generateStage(stage, stored, deps, {
              progress: (message) => progress(attempt, message),
              onUsage: (u) => {
                usage = addUsage(usage, u);
              },
              signal: AbortSignal.any([givenUp.signal, options.abandon]),
            }),
            options.stageTimeoutMs,
            givenUp,
          ),
        );
        outcome = { changes };
      } catch (error) {
        if (options.abandon.aborted || error instanceof Abandoned) return;
        if (attempt === attempts || !isTransient(error)) outcome = { error };
        else {
          log?.warn({ err: error, attempt }, "stage attempt failed; trying again");
          attemptNo = attempt; // the message below belongs to this attempt
          await progress(
            attempt,
            `${AGENT[stage]} hit a problem (${reason(error)}); trying again (attempt ${attempt + 1} of ${attempts})…`,
          );
          await unlessAbandoned(sleep(baseDelayMs * 2 ** (attempt - 1))).catch(() => {});
          if (options.abandon.aborted) return;
        }
      }
    }
    attemptNo = -1; // a timed-out attempt still running in the background reports nothing
    await Promise.all(pending);
    if (options.abandon.aborted || !outcome) return;
    const durationMs = Math.round(performance.now() - started);
    const total = addUsage(stored.production.usage, usage);
    const guard = { version: stored.production.version, leaseOwner: options.instanceId };

    if ("changes" in outcome) {
      const next = REVIEW_AFTER[stage];
      const changes = { ...outcome.changes, stage: next, usage: total, revision: null, error: null };
      const done = await db.transaction(async (tx) => {
        const committed = await transition(tx, id, guard, { ...changes, failed_stage: null }, [
          { type: "stage_completed", payload: { stage, duration_ms: durationMs, usage } },
        ]);
        if (committed) await options.notify(tx, committed.events);
        return committed;
      });
      if (!done) log?.info("stage result discarded: the production changed meanwhile (cancelled?)");
      else if (!options.abandon.aborted) options.publish(done.events);
      return;
    }

    const { error } = outcome;
    const message = failureMessage(error, stage, options.stageTimeoutMs, deps.llm !== null);
    const retryable = !(error instanceof ValidationError) || deps.llm !== null;
    log?.warn({ err: error }, "stage failed");
    const failed = await db.transaction(async (tx) => {
      const changes = { stage: "failed" as const, error: message, failed_stage: stage, usage: total };
      const committed = await transition(tx, id, guard, changes, [
        { type: "failed", payload: { stage, message, retryable } },
      ]);
      if (committed) await options.notify(tx, committed.events);
      return committed;
    });
    if (failed && !options.abandon.aborted) options.publish(failed.events);
  } finally {
    clearInterval(heartbeat);
    attemptNo = -1;
    // Nothing of this stage is left touching the database once the job ends (even when abandoned).
    await Promise.all([...pending, renewing]);
  }
}

function isTransient(error: unknown): boolean {
  return error instanceof StageTimeout || (error instanceof UpstreamError && error.transient);
}

function reason(error: unknown): string {
  if (error instanceof StageTimeout) return `no answer within ${seconds(error.ms)}`;
  return errorMessage(error);
}

const seconds = (ms: number) => (ms < 1000 ? `${ms} ms` : `${Math.round((ms / 1000) * 10) / 10} s`);

/** One or two sentences: what went wrong, and what to do about it. */
export function failureMessage(
  error: unknown,
  stage: GeneratingStage,
  timeoutMs: number,
  withModel: boolean,
): string {
  const what = `the ${ARTEFACT[stage]}`;
  if (error instanceof StageTimeout)
    return withModel
      ? `The model server did not answer within ${seconds(timeoutMs)} while ${AGENT[stage]} worked on ${what}. Retry, or check OPENAI_BASE_URL.`
      : `${AGENT[stage]} did not finish ${what} within ${seconds(timeoutMs)}. Retry.`;
  if (error instanceof UpstreamError) {
    const check = /API key/i.test(error.message)
      ? "OPENAI_API_KEY"
      : /model or endpoint/i.test(error.message)
        ? "LLM_MODEL and OPENAI_BASE_URL"
        : "OPENAI_BASE_URL";
    return `${AGENT[stage]} could not write ${what}: ${error.message}. Retry, or check ${check}.`;
  }
  if (error instanceof ValidationError)
    return stage === "planning"
      ? `${AGENT[stage]} could not make ${what}: ${error.message}. Retry once the tool stack has a tool for it, or cancel and adjust the brief.`
      : `${AGENT[stage]} could not make ${what}: ${error.message}. Retry, or revise the brief.`;
  const message = errorMessage(error);
  return `${AGENT[stage]} failed unexpectedly on ${what}: ${capitalise(message)}. Retry; if it fails again, the server log has the details.`;
}

/** `work`, or a StageTimeout after `ms`; a timed-out attempt is aborted so it stops calling the model. */
function withTimeout<T>(work: Promise<T>, ms: number, attempt: AbortController): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new StageTimeout(ms);
      attempt.abort(error);
      reject(error);
    }, ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
