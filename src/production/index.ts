/** The production workflow: contract, service + runner, and the stateless pipeline. */
export { actorName } from "./access.js";
export { checkAnswersForBrief } from "./answers.js";
export {
  type Actor,
  type ProductionFilter,
  type ProductionService,
  RequestKeyReusedError,
  type RevisionRequest,
  type StartOptions,
} from "./contract.js";
export { EVENTS_CHANNEL } from "./event-hub.js";
export { type PipelineDeps, type PipelineResult, type PipelineStep, runPipeline } from "./pipeline.js";
export { failureMessage } from "./run-stage.js";
export {
  createProductionService,
  type ProductionRunner,
  type ProductionServiceDeps,
  type ProductionServiceWithAdmin,
} from "./service.js";
export {
  AFTER_APPROVAL,
  ARTEFACT,
  GENERATING_FOR,
  type GeneratingStage,
  isFinal,
  isGenerating,
  isReview,
  REVIEW_AFTER,
  STAGE_NOW,
} from "./stages.js";
