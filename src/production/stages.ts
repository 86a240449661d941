/**
 * The stages of a production: which generating stage feeds which review, and how each is said to a
 * person (conflict and progress messages are built from these).
 */
import { GENERATING_STAGES, REVIEW_STAGES, type ReviewStage, type Stage } from "../domain/production.js";

export type GeneratingStage = (typeof GENERATING_STAGES)[number];

export const isGenerating = (stage: Stage): stage is GeneratingStage =>
  (GENERATING_STAGES as readonly Stage[]).includes(stage);

export const isReview = (stage: Stage): stage is ReviewStage =>
  (REVIEW_STAGES as readonly Stage[]).includes(stage);

export const isFinal = (stage: Stage) => stage === "approved" || stage === "cancelled";

/** The stage a review loops back to on revise. */
export const GENERATING_FOR: Record<ReviewStage, GeneratingStage> = {
  script_review: "scripting",
  shots_review: "shooting",
  plan_review: "planning",
};

/** The review a generating stage ends in. */
export const REVIEW_AFTER = Object.fromEntries(
  Object.entries(GENERATING_FOR).map(([review, generating]) => [generating, review]),
) as Record<GeneratingStage, ReviewStage>;

/** Where approving a review leads. */
export const AFTER_APPROVAL: Record<ReviewStage, Stage> = {
  script_review: "shooting",
  shots_review: "planning",
  plan_review: "approved",
};

export const ARTEFACT: Record<ReviewStage | GeneratingStage, string> = {
  script_review: "script",
  scripting: "script",
  shots_review: "shot list",
  shooting: "shot list",
  plan_review: "production plan",
  planning: "production plan",
};

export const AGENT: Record<GeneratingStage, string> = {
  scripting: "ScriptSmith",
  shooting: "ShotMaster",
  planning: "VideoSolver",
};

/** What is happening now, completing "Already approved by Ana — …". */
export const STAGE_NOW: Record<Stage, string> = {
  draft: "the production is being set up",
  clarifying: "the clarifying questions are waiting for answers",
  scripting: "the script is being written",
  script_review: "the script is waiting for review",
  shooting: "the shot list is being written",
  shots_review: "the shot list is waiting for review",
  planning: "the production plan is being worked out",
  plan_review: "the production plan is waiting for review",
  approved: "the production plan is approved",
  failed: "the production failed",
  cancelled: "the production was cancelled",
};

/**
 * The progress line a generating stage starts with. A stage taken over from a process that stopped
 * mid-way starts again, and says so (the thread would otherwise show the same start twice).
 */
export function startMessage(stage: GeneratingStage, revising: boolean, resumed = false): string {
  const work =
    stage === "scripting"
      ? `ScriptSmith is ${revising ? "revising" : "writing"} the script`
      : stage === "shooting"
        ? `ShotMaster is ${revising ? "revising" : "writing"} the shot list`
        : revising
          ? "VideoSolver is revising the production plan"
          : "VideoSolver is choosing a tool for each shot";
  return resumed ? `${work} again (the server restarted mid-way)…` : `${work}…`;
}
