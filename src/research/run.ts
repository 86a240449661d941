import { randomUUID } from "node:crypto";
import type { Db, Queryable } from "../db/db.js";
import { ConflictError, errorMessage } from "../domain/errors.js";
import { listTools } from "../toolstack/catalog.js";
import { type AlertSink, type NotifyOptions, type NotifyResult, notifyOnChanges } from "./alerts.js";
import {
  type BenchmarkDeps,
  type BenchmarkResult,
  type BenchmarkToolsOptions,
  benchmarkTools,
} from "./benchmarks.js";
import type { ToolStackChange } from "./changes.js";
import { catalogApis, type DiscoveryLimits, discoverApis } from "./discovery.js";
import { trackSotaTechniques } from "./sota.js";
import { isFailure, type ResearchSources, type SourceProblem } from "./sources/index.js";

/**
 * One research run: discovery → SOTA → benchmarks → alerts, recorded in research_runs.
 *
 * Failure isolation: each step, and within discovery each source, is caught on its own; its error is
 * recorded ({source, message}) and the others go on. A source's warning (data that may be missing, e.g.
 * a search GitHub cut short) is recorded the same way with level "warning". Status: succeeded (no
 * errors; warnings allowed), partial (some errors, some work done), failed (every step failed, or the
 * run itself crashed).
 *
 * Mutual exclusion: a run's work happens under the research lock (`withResearchLock`), so a manual run
 * and a scheduled one never overlap, whichever replica starts them. A manual run that finds the lock
 * held is refused with a ConflictError (the person can retry in a minute; queueing it would run the
 * same sources twice in a row for nothing). A scheduled run that finds it held records its slot as
 * "skipped": the run in progress is doing the same work.
 */

/** An error, or a warning (leaves the run succeeded), from one step or source of the run. */
export interface StepError extends SourceProblem {
  /** "arxiv", "github", "benchmarks", "slack:T1/C1" … */
  source: string;
}

/** One line for a run's error or warning, naming its source once (messages often start with it). */
export function stepErrorText(e: StepError): string {
  const text = e.message.startsWith(`${e.source}:`) ? e.message : `${e.source}: ${e.message}`;
  return e.level === "warning" ? `(warning) ${text}` : text;
}

export interface ResearchDeps {
  db: Db;
  sources: ResearchSources;
  /** Benchmarks (keys, adapters, scorer …); omitted → the run does no benchmarks. */
  benchmark?: Omit<BenchmarkDeps, "db" | "now"> & BenchmarkToolsOptions;
  sinks?: readonly AlertSink[];
  notify?: NotifyOptions;
  /** arXiv searches for the SOTA tracker; default the four of ARXIV_QUERIES. */
  arxivQueries?: readonly string[];
  /** Passed to discoverApis (how many records per source). */
  discoveryLimits?: DiscoveryLimits;
  /** Papers per arXiv query. Default 100. */
  papersPerQuery?: number;
  now?: () => Date;
}

export interface UpdateResult {
  changes: ToolStackChange[];
  counts: Record<string, number>;
  errors: StepError[];
  benchmarks: BenchmarkResult[];
  /** Steps that did their work (possibly with some source errors). */
  stepsOk: number;
  stepsRun: number;
}

/**
 * Refreshes the tool stack: discovery (discoverApis → catalogApis: new models, APIs and repos become
 * candidate tools), the SOTA tracker (fetchArxivPapers for each query → updateSotaDatabase, via
 * trackSotaTechniques, with discovery's GitHub stars for its trending rule), then benchmarks of the
 * tools whose keys are configured. Writes as it goes and returns every change found.
 */
export async function updateToolStack(deps: ResearchDeps): Promise<UpdateResult> {
  const result: UpdateResult = {
    changes: [],
    counts: {},
    errors: [],
    benchmarks: [],
    stepsOk: 0,
    stepsRun: 0,
  };
  const now = deps.now?.();
  /** Runs a step; it counts as done unless it throws or reports that nothing at all came through. */
  const step = async (name: string, fn: () => Promise<boolean>) => {
    result.stepsRun += 1;
    try {
      if (await fn()) result.stepsOk += 1;
    } catch (error) {
      result.errors.push({ source: name, message: errorMessage(error) });
    }
  };

  let repoStars: Record<string, number> = {};
  await step("discovery", async () => {
    const found = await discoverApis({
      sources: deps.sources,
      db: deps.db,
      now,
      limits: deps.discoveryLimits,
    });
    result.errors.push(...found.errors);
    Object.assign(result.counts, found.counts);
    repoStars = found.github_stars;
    const changes = await catalogApis(deps.db, found.candidates, { now });
    result.counts.tool_changes = changes.length;
    result.changes.push(...changes);
    return !found.errors.some(isFailure) || found.candidates.length > 0;
  });

  await step("sota", async () => {
    const sota = await trackSotaTechniques({
      sources: deps.sources,
      db: deps.db,
      now,
      queries: deps.arxivQueries,
      maxPerQuery: deps.papersPerQuery,
      repoStars,
    });
    result.errors.push(...sota.errors);
    // Both steps count malformed items: the run's figure is their sum, not whichever step came last.
    const { malformed_items: malformedPapers, ...sotaCounts } = sota.counts;
    Object.assign(result.counts, sotaCounts);
    result.counts.malformed_items = (result.counts.malformed_items ?? 0) + malformedPapers;
    result.counts.sota_changes = sota.changes.length;
    result.changes.push(...sota.changes);
    return !sota.errors.some(isFailure) || sota.counts.arxiv_papers > 0;
  });

  const benchmark = deps.benchmark;
  if (benchmark) {
    await step("benchmarks", async () => {
      const tools = await listTools(deps.db, {
        category: "video_generation",
        status: ["available", "candidate"],
      });
      const ran = await benchmarkTools(tools, { ...benchmark, db: deps.db, now: deps.now }, benchmark);
      result.benchmarks = ran.results;
      result.counts.benchmarked = ran.results.filter((r) => r.benchmarked).length;
      result.counts.not_benchmarked = ran.results.length - result.counts.benchmarked;
      result.changes.push(...ran.changes);
      return true;
    });
  }
  result.counts.changes = result.changes.length;
  return result;
}

// ---- run records, slot claims and the research lock ----

export type RunTrigger = "manual" | "cli" | "schedule";
export type RunStatus = "succeeded" | "partial" | "failed" | "skipped";

export interface ResearchRunSummary {
  /** null when the slot had been claimed by another replica (nothing was recorded by this one). */
  run_id: string | null;
  trigger: RunTrigger;
  slot: string | null;
  status: RunStatus;
  counts: Record<string, number>;
  errors: StepError[];
  changes: ToolStackChange[];
  benchmarks: BenchmarkResult[];
  notify: NotifyResult | null;
}

/** Claims a schedule slot (research_runs.slot is UNIQUE): true for exactly one caller per slot. */
export async function claimScheduleSlot(db: Queryable, slot: string, runId: string): Promise<boolean> {
  const { rows } = await db.query(
    `INSERT INTO research_runs (run_id, slot, trigger) VALUES ($1, $2, 'schedule')
     ON CONFLICT (slot) DO NOTHING RETURNING run_id`,
    [runId, slot],
  );
  return rows.length === 1;
}

/**
 * Arbitrary constant naming the research lock among the database's advisory locks. Advisory locks
 * are database-wide, so the lock is keyed by this and the schema: deployments (or test runs) that
 * share a database in different schemas do not exclude each other, replicas of one deployment do.
 */
const RESEARCH_LOCK_CLASS = 742_410_186;
const pgliteBusy = new WeakSet<Db>();

/**
 * Runs `fn` holding the research lock, or returns { acquired: false } at once when it is held.
 * PostgreSQL: a transaction-scoped advisory lock (pg_try_advisory_xact_lock) on a pooled connection
 * kept open for the run; the run's own queries use other connections. If the process dies, the
 * connection closes and the lock goes with it. PGlite: one process owns the database through one
 * connection, where a session advisory lock is re-entrant (it would let a second run of the same
 * process in) and a held transaction would block the run's own queries, so the lock is a flag on
 * the Db handle, which is equivalent there.
 */
export async function withResearchLock<T>(
  db: Db,
  fn: () => Promise<T>,
): Promise<{ acquired: true; value: T } | { acquired: false }> {
  if (db.kind === "pglite") {
    if (pgliteBusy.has(db)) return { acquired: false };
    pgliteBusy.add(db);
    try {
      return { acquired: true, value: await fn() };
    } finally {
      pgliteBusy.delete(db);
    }
  }
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ ok: boolean }>(
      "SELECT pg_try_advisory_xact_lock($1::int, hashtext(current_schema())) AS ok",
      [RESEARCH_LOCK_CLASS],
    );
    if (!rows[0]?.ok) return { acquired: false as const };
    return { acquired: true as const, value: await fn() };
  });
}

export interface RunOptions {
  trigger: RunTrigger;
  /** Schedule slot (ISO time of the cron tick); only scheduled runs have one. */
  slot?: string;
  /** The run id under which the slot was already claimed (by the scheduler's run coordinator). */
  claimedRunId?: string;
}

/**
 * Runs research once now and records it. This is what `greenlight research run`, `/toolstack research`
 * and the schedule call. A manual/cli run while another run holds the lock throws ConflictError.
 */
export async function runResearchOnce(deps: ResearchDeps, options: RunOptions): Promise<ResearchRunSummary> {
  const { db } = deps;
  const slot = options.slot ?? null;
  const empty = { counts: {}, errors: [], changes: [], benchmarks: [], notify: null };
  let runId = options.claimedRunId ?? null;
  if (slot !== null && runId === null) {
    const candidate = randomUUID();
    if (!(await claimScheduleSlot(db, slot, candidate)))
      return { run_id: null, trigger: options.trigger, slot, status: "skipped", ...empty };
    runId = candidate;
  }

  const locked = await withResearchLock(db, async () => {
    if (runId === null) {
      runId = randomUUID();
      await db.query("INSERT INTO research_runs (run_id, slot, trigger) VALUES ($1, NULL, $2)", [
        runId,
        options.trigger,
      ]);
    }
    await markInterruptedRuns(db, runId);
    return execute(deps, runId, options.trigger, slot);
  });
  if (locked.acquired) return locked.value;

  if (runId === null)
    throw new ConflictError("A research run is already in progress; try again when it has finished.");
  // A scheduled slot whose tick came while another run held the lock: recorded, not run.
  const errors = [{ source: "lock", message: "another research run was in progress" }];
  await finishRun(db, runId, "skipped", {}, errors);
  return { run_id: runId, trigger: options.trigger, slot, status: "skipped", ...empty, errors };
}

async function execute(deps: ResearchDeps, runId: string, trigger: RunTrigger, slot: string | null) {
  let status: RunStatus = "failed";
  let counts: Record<string, number> = {};
  let errors: StepError[] = [];
  let update: UpdateResult | null = null;
  let notify: NotifyResult | null = null;
  try {
    update = await updateToolStack(deps);
    counts = { ...update.counts };
    errors = [...update.errors];
    notify = await notifyOnChanges(deps.db, update.changes, deps.sinks ?? [], deps.notify);
    counts.alerts_created = notify.alerts_created;
    counts.digests_sent = notify.digests_sent;
    errors.push(
      ...notify.failures.map((f) => ({
        source: `${f.platform}:${f.workspace}/${f.channel}`,
        message: f.message,
      })),
    );
    status = !errors.some(isFailure) ? "succeeded" : update.stepsOk === 0 ? "failed" : "partial";
  } catch (error) {
    errors.push({ source: "run", message: errorMessage(error) });
    status = update && update.stepsOk > 0 ? "partial" : "failed";
  }
  await finishRun(deps.db, runId, status, counts, errors);
  return {
    run_id: runId,
    trigger,
    slot,
    status,
    counts,
    errors,
    changes: update?.changes ?? [],
    benchmarks: update?.benchmarks ?? [],
    notify,
  };
}

async function finishRun(
  db: Queryable,
  runId: string,
  status: RunStatus,
  counts: Record<string, number>,
  errors: StepError[],
): Promise<void> {
  await db.query(
    `UPDATE research_runs SET status = $2, finished_at = now(), counts = $3::jsonb, errors = $4::jsonb
     WHERE run_id = $1`,
    [runId, status, JSON.stringify(counts), JSON.stringify(errors)],
  );
}

/**
 * Runs left "running" by a process that died. Called while holding the lock, so no other run is
 * working; a row younger than a minute may be a slot another replica just claimed and is about to
 * try the lock for, so it is left alone.
 */
async function markInterruptedRuns(db: Queryable, currentRunId: string): Promise<void> {
  await db.query(
    `UPDATE research_runs SET status = 'failed', finished_at = now(),
       errors = errors || '[{"source": "run", "message": "interrupted: the process stopped before the run finished"}]'::jsonb
     WHERE status = 'running' AND run_id <> $1 AND started_at < now() - interval '1 minute'`,
    [currentRunId],
  );
}
