/**
 * The OpenAPI 3.1 document, built from the same zod schemas that parse the requests: the domain's
 * contracts (domainJsonSchemas) and this API's request bodies, which refer to them by $ref.
 */
import { z } from "zod";
import { ClarifyingQuestion } from "../domain/clarify.js";
import { domainJsonSchemas } from "../domain/json-schema.js";
import { ProductionPlan } from "../domain/plan.js";
import { Production, ProductionEvent } from "../domain/production.js";
import { Beat, Script } from "../domain/script.js";
import { Shot, ShotList } from "../domain/shots.js";
import { Tool } from "../domain/tool.js";
import { Vrd } from "../domain/vrd.js";
import {
  AnswersRequest,
  ApproveRequest,
  PlanRequest,
  ReviseRequest,
  ScriptRequest,
  ShotsRequest,
  StartProductionRequest,
} from "./schemas.js";

/** GET /api/productions: one row per production (productionSummary), newest first. */
const ProductionSummary = z.object({
  id: z.string(),
  version: z.number().int(),
  stage: z.string(),
  title: z.string(),
  owner_id: z.string(),
  origin: z.record(z.string(), z.unknown()),
  error: z.string().nullable(),
  usage: z.record(z.string(), z.number()),
  created_at: z.string(),
  updated_at: z.string(),
});
const ProductionList = z.object({ productions: z.array(ProductionSummary) });

const ToolList = z.object({ tools: z.array(Tool) });

const Health = z.object({
  status: z.enum(["ok", "unavailable"]),
  version: z.string(),
  db: z.object({ kind: z.string(), reachable: z.boolean() }),
  llm: z.object({ mode: z.enum(["llm", "template"]), model: z.string().nullable() }),
});

const ErrorBody = z.object({
  error: z.string().describe("What went wrong, in words a person can act on"),
  problems: z
    .array(z.object({ field: z.string(), message: z.string() }))
    .optional()
    .describe("400: every field error, each naming its field"),
  current_stage: z.string().nullable().optional().describe("409: the stage the production is actually in"),
  production: z.unknown().optional().describe("409: the production as it is now"),
});

/** Components by name; the request bodies' references to domain schemas use these names. */
const NAMED = {
  Vrd,
  Script,
  Beat,
  ShotList,
  Shot,
  ProductionPlan,
  Production,
  ProductionEvent,
  ClarifyingQuestion,
  Tool,
  ErrorBody,
  ProductionList,
  ToolList,
  Health,
  ScriptRequest,
  ShotsRequest,
  PlanRequest,
  StartProductionRequest,
  AnswersRequest,
  ApproveRequest,
  ReviseRequest,
} as const;
type Component = keyof typeof NAMED;

const ref = (name: Component) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ content: { "application/json": { schema } } });

/** An artefact plus the properties a stateless endpoint adds to it (always sent). */
const withExtras = (artefact: Component, extras: Record<string, object>) => ({
  allOf: [ref(artefact), { type: "object", properties: extras, required: Object.keys(extras) }],
});

function componentSchemas(): Record<string, unknown> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(NAMED)) registry.add(schema as z.ZodType, { id });
  const { schemas } = z.toJSONSchema(registry, {
    io: "input",
    unrepresentable: "any",
    uri: (id) => `#/components/schemas/${id}`,
  });
  const all: Record<string, unknown> = { ...schemas, ...domainJsonSchemas() };
  // JSON Schema 2020-12 is OpenAPI 3.1's dialect; the per-schema $schema/$id are noise inside components.
  for (const [name, schema] of Object.entries(all)) {
    const { $schema: _s, $id: _i, ...rest } = schema as Record<string, unknown>;
    all[name] = rest;
  }
  return all;
}

interface Operation {
  summary: string;
  description?: string;
  body?: Component;
  ok: { status: number; description: string; schema?: object; sse?: boolean };
  errors?: number[];
  params?: Array<{ name: string; in: "path" | "query" | "header"; description: string; schema?: object }>;
  open?: boolean;
}

const ERROR_WORDS: Record<number, string> = {
  400: "Invalid body or query: every field error is listed in `problems`",
  401: "API_KEY is configured and the Authorization: Bearer header is missing or wrong",
  403: "The caller may not act on this production",
  404: "No production with this id",
  409: "The production is not in a stage that allows this (or the version is stale)",
  413: "The body is larger than 1 MB",
  415: "The body is not JSON: send it with content-type: application/json",
  422: "The Idempotency-Key was already used for a different request",
  503: "The database is unreachable",
  502: "The LLM or another upstream service failed",
};

const ID = { name: "id", in: "path" as const, description: "Production id", schema: { type: "string" } };
const USER = {
  name: "X-User-Id",
  in: "header" as const,
  description: 'Who is acting (owner on start, actor on actions); default "api"',
  schema: { type: "string" },
};

function operation(op: Operation) {
  const responses: Record<string, unknown> = {
    [op.ok.status]: op.ok.sse
      ? { description: op.ok.description, content: { "text/event-stream": { schema: { type: "string" } } } }
      : { description: op.ok.description, ...(op.ok.schema ? json(op.ok.schema) : {}) },
  };
  const bodyErrors = op.body ? [400, 413, 415] : [];
  for (const status of [...new Set([...(op.errors ?? []), ...bodyErrors])]
    .sort()
    .concat(op.open ? [] : [401]))
    responses[status] = { description: ERROR_WORDS[status] ?? "Error", ...json(ref("ErrorBody")) };
  return {
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    ...(op.params ? { parameters: op.params } : {}),
    ...(op.body ? { requestBody: { required: true, ...json(ref(op.body)) } } : {}),
    responses,
    ...(op.open ? { security: [] } : {}),
  };
}

const production = (summary: string, body?: Component, description?: string) =>
  operation({
    summary,
    description,
    body,
    params: [ID, USER],
    ok: { status: 200, description: "The production after the action", schema: ref("Production") },
    errors: [400, 403, 404, 409],
  });

/** /health answers 503 with the same body as 200 (which part is down), not an ErrorBody. */
function healthOperation() {
  const op = operation({
    summary: "Database reachable, LLM mode, version",
    ok: { status: 200, description: "Healthy", schema: ref("Health") },
    open: true,
  });
  return {
    ...op,
    responses: { ...op.responses, 503: { description: ERROR_WORDS[503], ...json(ref("Health")) } },
  };
}

export function openApiDocument(version: string): Record<string, unknown> {
  return {
    openapi: "3.1.0",
    info: {
      title: "Greenlight API",
      version,
      description:
        "VRD → ALT-beat script → shot list → per-shot production plan. Stateless agent calls under /api/production, durable productions with review stops under /api/productions.",
    },
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "Only when API_KEY is set" },
      },
    },
    security: [{ bearer: [] }],
    paths: {
      "/api/production/script": {
        post: operation({
          summary: "ScriptSmith: VRD (+ clarifications) → script of ALT beats",
          body: "ScriptRequest",
          ok: {
            status: 200,
            description:
              "The script, the questions asked, the brief with answers, and clarifications left out",
            schema: withExtras("Script", {
              clarifying_questions: { type: "array", items: ref("ClarifyingQuestion") },
              vrd: { ...ref("Vrd"), description: "The brief with the answers applied; post it to /shots" },
              ignored_clarifications: {
                type: "array",
                description: "Clarifications that answer no question asked: left out of the brief",
                items: {
                  type: "object",
                  properties: { field: { type: "string" }, message: { type: "string" } },
                  required: ["field", "message"],
                },
              },
            }),
          },
          errors: [400, 413, 502],
        }),
      },
      "/api/production/shots": {
        post: operation({
          summary: "ShotMaster: script → shot list",
          description:
            "Send script_id + beats (or the whole /script response). Without `vrd` a minimal brief is derived from the script: title, duration, platform and aspect ratio (from its metadata, else `platform`/`aspect_ratio`, else other and 16:9) and the key messages its beats carry.",
          body: "ShotsRequest",
          ok: {
            status: 200,
            description: "The shot list and the brief it was made for",
            schema: withExtras("ShotList", {
              vrd: { ...ref("Vrd"), description: "The brief sent, or the one derived from the script" },
            }),
          },
          errors: [400, 413, 502],
        }),
      },
      "/api/production/plan": {
        post: operation({
          summary: "VideoSolver: shots + constraints → production plan",
          body: "PlanRequest",
          ok: { status: 200, description: "The production plan", schema: ref("ProductionPlan") },
          errors: [400, 413],
        }),
      },
      "/api/tools": {
        get: operation({
          summary: "The tool stack plans choose from",
          description:
            "Available, candidate and self-hosted tools with their sourced prices and limits (null = unknown).",
          ok: { status: 200, description: "{ tools: [...] }", schema: ref("ToolList") },
        }),
      },
      "/api/production/stream": {
        post: operation({
          summary: "The whole pipeline from one VRD, as server-sent events",
          description:
            "Events: progress, questions, script, shots, plan (each with its artefact), then done {usage}, or error {status, error, problems?}.",
          body: "ScriptRequest",
          ok: { status: 200, description: "SSE stream", sse: true },
          errors: [400, 413],
        }),
      },
      "/api/productions": {
        post: operation({
          summary: "Start a production",
          params: [
            USER,
            {
              name: "Idempotency-Key",
              in: "header",
              description: "A retried start with the same key returns the first production",
              schema: { type: "string" },
            },
          ],
          body: "StartProductionRequest",
          ok: {
            status: 201,
            description: "The new production (or, for a repeated Idempotency-Key, the one it created)",
            schema: ref("Production"),
          },
          errors: [400, 422],
        }),
        get: operation({
          summary: "List productions (summaries)",
          params: [
            { name: "platform", in: "query", description: "slack, discord, api or cli" },
            { name: "workspace_id", in: "query", description: "Workspace" },
            { name: "channel_id", in: "query", description: "Channel" },
            { name: "owner_id", in: "query", description: "Owner" },
            { name: "stage", in: "query", description: "Stage(s), comma separated" },
            { name: "limit", in: "query", description: "1–200, default 50" },
          ],
          ok: { status: 200, description: "Summaries, newest first", schema: ref("ProductionList") },
          errors: [400],
        }),
      },
      "/api/productions/{id}": {
        get: operation({
          summary: "One production with its artefacts",
          params: [ID],
          ok: { status: 200, description: "The production", schema: ref("Production") },
          errors: [404],
        }),
      },
      "/api/productions/{id}/answers": {
        post: production("Answer the clarifying questions (or skip: true)", "AnswersRequest"),
      },
      "/api/productions/{id}/skip": { post: production("Skip the questions: use every default") },
      "/api/productions/{id}/approve": { post: production("Approve a review stage", "ApproveRequest") },
      "/api/productions/{id}/revise": {
        post: production("Revise a review stage: back to its generating stage", "ReviseRequest"),
      },
      "/api/productions/{id}/retry": { post: production("Re-run the stage that failed") },
      "/api/productions/{id}/cancel": { post: production("Cancel the production") },
      "/api/productions/{id}/events": {
        get: operation({
          summary: "The production's events as server-sent events, resumable",
          description:
            "Replays the event log after Last-Event-ID (header) or `after` (query), then streams new events: `id` = seq, `event` = type, `data` = the ProductionEvent as JSON. Ends after the production becomes approved, failed or cancelled.",
          params: [
            ID,
            {
              name: "Last-Event-ID",
              in: "header",
              description: "Resume after this event",
              schema: { type: "integer" },
            },
            { name: "after", in: "query", description: "Same as Last-Event-ID", schema: { type: "integer" } },
          ],
          ok: { status: 200, description: "SSE stream of ProductionEvent", sse: true },
          errors: [400, 404],
        }),
      },
      "/health": { get: healthOperation() },
      "/metrics": {
        get: operation({
          summary: "Prometheus metrics",
          ok: { status: 200, description: "Prometheus text format" },
          open: true,
        }),
      },
      "/openapi.json": {
        get: operation({
          summary: "This document",
          ok: { status: 200, description: "OpenAPI 3.1" },
          open: true,
        }),
      },
      "/docs": {
        get: operation({
          summary: "A page listing the endpoints",
          ok: { status: 200, description: "HTML" },
          open: true,
        }),
      },
    },
  };
}

/** GET /docs: the endpoints as a plain page (no CDN assets), generated from the OpenAPI document. */
export function docsPage(doc: Record<string, unknown>): string {
  const html = (s: string) =>
    s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] as string);
  const rows: string[] = [];
  const paths = doc.paths as Record<string, Record<string, { summary: string; description?: string }>>;
  for (const [path, methods] of Object.entries(paths))
    for (const [method, op] of Object.entries(methods))
      rows.push(
        `<tr><td><code>${method.toUpperCase()}</code></td><td><code>${html(path)}</code></td><td>${html(op.summary)}${
          op.description ? `<br><small>${html(op.description)}</small>` : ""
        }</td></tr>`,
      );
  const info = doc.info as { title: string; version: string; description: string };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${html(info.title)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}
table{border-collapse:collapse;width:100%}td{border-top:1px solid #ddd;padding:.4rem;vertical-align:top}
small{color:#555}</style></head><body>
<h1>${html(info.title)} <small>${html(info.version)}</small></h1>
<p>${html(info.description)}</p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). When <code>API_KEY</code> is set, <code>/api/*</code> needs <code>Authorization: Bearer &lt;key&gt;</code>.</p>
<table>${rows.join("\n")}</table>
</body></html>`;
}
