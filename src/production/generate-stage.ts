/**
 * The work of one generating stage: a fresh artefact, or — when a reviewer asked for changes — the
 * next version of the current one (reviseScript / reviseShots / revisePlan).
 */
import type { LlmRequest, StructuredLlm } from "../agents/llm.js";
import { generateAltBeats, reviseScript } from "../agents/scriptsmith/index.js";
import { DEFAULT_MAX_GROUPS, generateShotList, groupBeats, reviseShots } from "../agents/shotmaster/index.js";
import { generatePlan, revisePlan } from "../agents/videosolver/index.js";
import type { Db } from "../db/db.js";
import { GreenlightError } from "../domain/errors.js";
import type { TokenUsage } from "../domain/usage.js";
import { ToolStackDB } from "../toolstack/toolstack-db.js";
import type { GeneratingStage } from "./stages.js";
import type { ProductionChanges, StoredProduction } from "./store.js";

export interface StageDeps {
  db: Db;
  llm: StructuredLlm | null;
  wordsPerSecond?: number;
  now?: () => Date;
}

export interface StageWork {
  /** Appends a progress event (ignored once the attempt is over). */
  progress(message: string): Promise<void>;
  /** Counts the tokens of every model call of the stage, failed attempts included. */
  onUsage(usage: TokenUsage): void;
  /** Aborted when the attempt is given up (timed out, or the process is stopping). */
  signal: AbortSignal;
}

/** A model that reports each finished call's tokens, and makes no call once the attempt is given up. */
function meteredLlm(
  llm: StructuredLlm,
  signal: AbortSignal,
  onCall: (usage: TokenUsage) => void,
): StructuredLlm {
  return {
    model: llm.model,
    async generate(request: LlmRequest<never>) {
      signal.throwIfAborted();
      const result = await llm.generate({ ...request, signal });
      onCall(result.usage);
      return result;
    },
  } as StructuredLlm;
}

export async function generateStage(
  stage: GeneratingStage,
  stored: StoredProduction,
  deps: StageDeps,
  work: StageWork,
): Promise<ProductionChanges> {
  const p = stored.production;
  const revision = stored.revision;
  const llm = deps.llm ? meteredLlm(deps.llm, work.signal, work.onUsage) : null;

  if (stage === "scripting") {
    const options = { llm, wordsPerSecond: deps.wordsPerSecond, now: deps.now };
    const script =
      revision && p.script
        ? await reviseScript(p.script, revision.feedback, p.vrd, options)
        : await generateAltBeats(p.vrd, p.answers, options);
    return { script };
  }

  if (stage === "shooting") {
    const script = required(p.script, "script");
    if (revision && p.shot_list) {
      const shot_list = await reviseShots(p.shot_list, revision.feedback, {
        shotIds: revision.shotIds,
        script,
        vrd: p.vrd,
        llm,
        now: deps.now,
      });
      return { shot_list };
    }
    let done = 0;
    const groups = groupBeats(script.beats, DEFAULT_MAX_GROUPS).length;
    // Each model call writes one group of beats; saying so is the only progress worth a message.
    const counted = llm
      ? meteredLlm(llm, work.signal, () => {
          done += 1;
          void work.progress(`ShotMaster: ${done} of ${groups} beat groups done`);
        })
      : null;
    const shot_list = await generateShotList(script, p.vrd, { llm: counted, now: deps.now });
    return { shot_list, plan: null };
  }

  const shotList = required(p.shot_list, "shot list");
  const toolStack = new ToolStackDB(deps.db);
  const [tools, benchmarks] = await Promise.all([toolStack.planningTools(), toolStack.benchmarkSummaries()]);
  const options = { now: deps.now, benchmarks };
  const plan =
    revision && p.plan
      ? revisePlan(
          p.plan,
          { constraints: revision.constraints, pinTool: revision.pinTool, excludeTool: revision.excludeTool },
          { shotList, tools, options },
        )
      : generatePlan(shotList, tools, p.vrd.constraints, options);
  return { plan };
}

function required<T>(value: T | null, what: string): T {
  if (value === null)
    throw new GreenlightError(`the ${what} this stage works from is missing; cancel and start again`);
  return value;
}
