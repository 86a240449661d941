/**
 * Prometheus metrics. Production metrics are derived from the event log (stage_completed carries the
 * duration and the tokens; failed carries the stage), so every front end's productions are counted the
 * same way without the service knowing about Prometheus.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { ProductionEvent } from "../domain/production.js";
import type { TokenUsage } from "../domain/usage.js";

export interface ApiMetrics {
  registry: Registry;
  /** Feed every production event (subscribe it to the service). */
  recordEvent(event: ProductionEvent): void;
  /** LLM spend outside productions (the stateless endpoints). */
  recordLlmUsage(stage: string, usage: TokenUsage): void;
  recordHttpRequest(method: string, route: string, status: number): void;
}

export interface MetricsOptions {
  /** Productions waiting for a runner slot (runner.queueDepth()); read at scrape time. */
  queueDepth?: () => number;
  /** Node process metrics (memory, event loop lag); on by default. */
  processMetrics?: boolean;
}

/** Stage durations run from milliseconds (template mode) to minutes (a slow model). */
const DURATION_BUCKETS_S = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];

export function createMetrics(options: MetricsOptions = {}): ApiMetrics {
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry, prefix: "greenlight_" });

  const stageDuration = new Histogram({
    name: "greenlight_stage_duration_seconds",
    help: "Time a generation stage took, from stage_started to stage_completed",
    labelNames: ["stage"],
    buckets: DURATION_BUCKETS_S,
    registers: [registry],
  });
  const llmCalls = new Counter({
    name: "greenlight_llm_calls_total",
    help: "LLM calls made, by stage (stateless endpoints included)",
    labelNames: ["stage"],
    registers: [registry],
  });
  const llmTokens = new Counter({
    name: "greenlight_llm_tokens_total",
    help: "LLM tokens spent, by stage and direction",
    labelNames: ["stage", "kind"],
    registers: [registry],
  });
  const failures = new Counter({
    name: "greenlight_stage_failures_total",
    help: "Stages that failed after their retries",
    labelNames: ["stage", "retryable"],
    registers: [registry],
  });
  const events = new Counter({
    name: "greenlight_production_events_total",
    help: "Production events by type (created, approved, revised, ...)",
    labelNames: ["type"],
    registers: [registry],
  });
  new Gauge({
    name: "greenlight_queue_depth",
    help: "Productions waiting for a runner slot",
    registers: [registry],
    collect() {
      this.set(options.queueDepth?.() ?? 0);
    },
  });
  const httpRequests = new Counter({
    name: "greenlight_http_requests_total",
    help: "HTTP requests answered, by route pattern and status",
    labelNames: ["method", "route", "status"],
    registers: [registry],
  });

  function recordLlmUsage(stage: string, usage: TokenUsage): void {
    if (usage.calls > 0) llmCalls.inc({ stage }, usage.calls);
    if (usage.input_tokens > 0) llmTokens.inc({ stage, kind: "input" }, usage.input_tokens);
    if (usage.output_tokens > 0) llmTokens.inc({ stage, kind: "output" }, usage.output_tokens);
  }

  return {
    registry,
    recordLlmUsage,
    recordEvent(event) {
      events.inc({ type: event.type });
      const payload = event.payload as {
        stage?: unknown;
        duration_ms?: unknown;
        usage?: Partial<TokenUsage>;
        retryable?: unknown;
      };
      const stage = typeof payload.stage === "string" ? payload.stage : event.stage;
      if (event.type === "stage_completed") {
        if (typeof payload.duration_ms === "number")
          stageDuration.observe({ stage }, payload.duration_ms / 1000);
        const u = payload.usage ?? {};
        recordLlmUsage(stage, {
          calls: u.calls ?? 0,
          input_tokens: u.input_tokens ?? 0,
          output_tokens: u.output_tokens ?? 0,
          total_tokens: u.total_tokens ?? 0,
        });
      } else if (event.type === "failed") {
        failures.inc({ stage, retryable: String(payload.retryable === true) });
      }
    },
    recordHttpRequest(method, route, status) {
      httpRequests.inc({ method, route, status: String(status) });
    },
  };
}
