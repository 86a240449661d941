/** The REST + SSE API: `buildApi` from its dependencies; `createMetrics` for the registry it serves. */

export { httpAnswerFor } from "./errors.js";
export { type ApiMetrics, createMetrics, type MetricsOptions } from "./metrics.js";
export { openApiDocument } from "./openapi.js";
export { type ApiDeps, buildApi } from "./server.js";
