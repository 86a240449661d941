/** ScriptSmith: a VRD → clarifying questions → a script of ALT beats on the story circle. */

export { DraftBeat, ScriptDraft } from "./draft.js";
export { generateAltBeats, type ScriptSmithOptions } from "./generate.js";
export { applyAnswers, askClarifyingQuestions, MAX_QUESTIONS, parseBudget } from "./questions.js";
export { renderScriptMarkdown } from "./render.js";
export { reviseScript } from "./revise.js";
export { keyMessageCapacity, SECONDS_PER_KEY_MESSAGE } from "./story.js";
export { allocateDurations, retimeBeats } from "./timing.js";
export {
  DEFAULT_WORDS_PER_SECOND,
  formatProblem,
  type ScriptProblem,
  type ScriptRule,
  validateScript,
} from "./validate.js";
