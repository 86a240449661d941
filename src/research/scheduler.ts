import { randomUUID } from "node:crypto";
import cron, { type RunCoordinator, type ScheduledTask } from "node-cron";
import type { Queryable } from "../db/db.js";
import { ValidationError } from "../domain/errors.js";
import { isTimeZone } from "../domain/time-zone.js";
import { claimScheduleSlot, type ResearchDeps, type ResearchRunSummary, runResearchOnce } from "./run.js";

/**
 * The research schedule: node-cron 4 fires each slot of RESEARCH_CRON (in RESEARCH_TZ) on every
 * replica; node-cron's run coordinator (`distributed: true`) asks ours whether this replica may run the
 * slot, and ours answers by claiming the slot's row in research_runs (slot UNIQUE): exactly one
 * replica wins each slot, the others skip it. The run itself then takes the research lock, so it never
 * overlaps a manual run (see run.ts). `noOverlap` keeps one replica from starting a slot while its
 * previous run is still going.
 */

export const SCHEDULE_NAME = "greenlight-research";

export interface ScheduleOptions {
  /** RESEARCH_CRON; node-cron syntax (5 fields, or 6 with seconds). */
  cron: string;
  /** RESEARCH_TZ, an IANA time zone. */
  timezone: string;
  /** Coordination key prefix; every replica of one deployment must use the same. */
  name?: string;
  /** Called after each run this replica did (logging, metrics). */
  onRun?: (summary: ResearchRunSummary) => void;
  onError?: (error: unknown) => void;
}

/** Slot of a coordination key ("<name>:<ISO time>"). */
const slotOf = (name: string, key: string) => key.slice(name.length + 1);

/**
 * node-cron's RunCoordinator backed by research_runs: the first replica to insert the slot's row runs it.
 * `claimed` maps each won slot to its run id, for the task function to record the run under.
 */
export function researchRunCoordinator(
  db: Queryable,
  name: string,
  claimed: Map<string, string>,
): RunCoordinator {
  return {
    async shouldRun(key) {
      const slot = slotOf(name, key);
      const runId = randomUUID();
      if (!(await claimScheduleSlot(db, slot, runId))) return false;
      claimed.set(slot, runId);
      return true;
    },
    onComplete(key) {
      claimed.delete(slotOf(name, key));
    },
  };
}

export interface ResearchSchedule {
  /** Next time this replica will try a slot (null when stopped). */
  nextRun(): Date | null;
  stop(): Promise<void>;
}

/** Starts the schedule (for main.ts). A bad cron expression or time zone is a ValidationError naming the variable. */
export function startResearchSchedule(deps: ResearchDeps, options: ScheduleOptions): ResearchSchedule {
  if (!cron.validate(options.cron))
    throw new ValidationError(
      [{ field: "RESEARCH_CRON", message: `"${options.cron}" is not a cron expression (e.g. "0 6 * * *")` }],
      "research schedule",
    );
  if (!isTimeZone(options.timezone))
    throw new ValidationError(
      [
        {
          field: "RESEARCH_TZ",
          message: `"${options.timezone}" is not an IANA time zone (e.g. "Europe/Berlin")`,
        },
      ],
      "research schedule",
    );
  const name = options.name ?? SCHEDULE_NAME;
  const claimed = new Map<string, string>();
  const inFlight = new Set<Promise<void>>();
  const runSlot = async (date: Date) => {
    const slot = date.toISOString();
    try {
      const summary = await runResearchOnce(deps, {
        trigger: "schedule",
        slot,
        claimedRunId: claimed.get(slot),
      });
      options.onRun?.(summary);
    } catch (error) {
      options.onError?.(error);
    }
  };
  const task: ScheduledTask = cron.schedule(
    options.cron,
    ({ date }) => {
      const run = runSlot(date);
      inFlight.add(run);
      return run.finally(() => inFlight.delete(run));
    },
    {
      name,
      timezone: options.timezone,
      noOverlap: true,
      distributed: true,
      runCoordinator: researchRunCoordinator(deps.db, name, claimed),
    },
  );
  return {
    nextRun: () => task.getNextRun(),
    /** Stops firing new slots and waits for a run in progress to finish (it records its own result). */
    async stop() {
      await task.stop();
      await task.destroy();
      await Promise.all(inFlight);
    },
  };
}
