/** What each review stage shows, and which field of the production it reviews. */
import type { Production, ReviewStage } from "../../domain/production.js";
import { planView } from "./plan-view.js";
import { scriptView } from "./script-view.js";
import { shotsView } from "./shots-view.js";
import type { View } from "./view.js";

export const REVIEW_VIEW: Record<ReviewStage, (p: Production) => View> = {
  script_review: scriptView,
  shots_review: shotsView,
  plan_review: planView,
};

export const REVIEWED: Record<ReviewStage, "script" | "shot_list" | "plan"> = {
  script_review: "script",
  shots_review: "shot_list",
  plan_review: "plan",
};
