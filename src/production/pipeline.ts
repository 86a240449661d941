import type { StructuredLlm } from "../agents/llm.js";
import { applyAnswers, askClarifyingQuestions, generateAltBeats } from "../agents/scriptsmith/index.js";
import { generateShotList } from "../agents/shotmaster/index.js";
import { generatePlan } from "../agents/videosolver/index.js";
import type { Answers, ClarifyingQuestion } from "../domain/clarify.js";
import type { ProductionPlan } from "../domain/plan.js";
import type { Script } from "../domain/script.js";
import type { ShotList } from "../domain/shots.js";
import type { Tool } from "../domain/tool.js";
import { addUsage, type TokenUsage } from "../domain/usage.js";
import type { Vrd } from "../domain/vrd.js";

export interface PipelineDeps {
  /** null → template mode. */
  llm: StructuredLlm | null;
  tools: readonly Tool[];
  wordsPerSecond?: number;
  now?: () => Date;
}

export interface PipelineResult {
  questions: ClarifyingQuestion[];
  /** The brief with the answers merged in. */
  vrd: Vrd;
  script: Script;
  shotList: ShotList;
  plan: ProductionPlan;
  usage: TokenUsage;
}

export type PipelineStep = "questions" | "script" | "shots" | "plan";

/**
 * VRD → questions (answered, or their defaults) → script → shot list → plan, in one go, without
 * review stops. The CLI and the stateless API use it; stateful productions run the same agents one
 * stage at a time.
 */
export async function runPipeline(
  brief: Vrd,
  answers: Answers,
  deps: PipelineDeps,
  onStep: (step: PipelineStep) => void = () => {},
): Promise<PipelineResult> {
  onStep("questions");
  const questions = askClarifyingQuestions(brief);
  const vrd = applyAnswers(brief, questions, answers);
  onStep("script");
  const script = await generateAltBeats(vrd, answers, {
    llm: deps.llm,
    wordsPerSecond: deps.wordsPerSecond,
    now: deps.now,
  });
  onStep("shots");
  const shotList = await generateShotList(script, vrd, { llm: deps.llm, now: deps.now });
  onStep("plan");
  const plan = generatePlan(shotList, deps.tools, vrd.constraints, { now: deps.now });
  return {
    questions,
    vrd,
    script,
    shotList,
    plan,
    usage: addUsage(script.metadata.usage, shotList.metadata.usage),
  };
}
