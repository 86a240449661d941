/** ShotMaster: an approved script → shot list, continuity bible, storyboard panels and asset summary. */
export { summarizeAssets } from "./assets.js";
export { buildContinuityBible, castForBeat, enforceContinuity, requiredQuotes } from "./continuity.js";
export { type GenerateShotListOptions, generateShotList } from "./generate.js";
export { requestedSize, type ShotLibrary, shotLibrary } from "./library.js";
export { describeLighting, designLighting, lightingFromPreset } from "./lighting.js";
export { DEFAULT_CONCURRENCY, DEFAULT_MAX_GROUPS, groupBeats, ShotWritingReply } from "./llm.js";
export { type ReviseShotsOptions, readChange, reviseShots, targetShots } from "./revise.js";
export { determineShotType, type ShotContext, type ShotTypeChoice } from "./shot-type.js";
export { cameraNote, generateStoryboardFrames } from "./storyboard.js";
export { renderShotListTable } from "./table.js";
export { validateShotList } from "./validate.js";
