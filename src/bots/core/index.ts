/** Platform-neutral bot core: views (what to show) and actions/forms (what a click or a submission means). */
export * from "./actions.js";
export * from "./error-view.js";
export * from "./format.js";
export * from "./forms.js";
export * from "./home-view.js";
export * from "./people.js";
export * from "./plan-view.js";
export * from "./progress-view.js";
export * from "./questions-view.js";
export * from "./resolved-view.js";
export * from "./review-actions.js";
export * from "./root-card.js";
export * from "./script-view.js";
export * from "./shots-view.js";
export * from "./split.js";
export * from "./view.js";
