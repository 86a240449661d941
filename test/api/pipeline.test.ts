import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import type { LlmRequest, LlmResult, StructuredLlm } from "../../src/agents/llm.js";
import { UpstreamError } from "../../src/domain/errors.js";
import type { ProductionPlan } from "../../src/domain/plan.js";
import type { Script } from "../../src/domain/script.js";
import type { ShotList } from "../../src/domain/shots.js";
import { coffeeInput } from "../agents/scriptsmith/fixtures.js";
import { startTestApi, type TestApi, unusedService } from "./harness.js";
import { dataOf, readSse } from "./sse-client.js";

/** The stateless endpoints of the original plan, health, docs and errors, over real HTTP. */
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ makeService: () => ({ service: unusedService() }) });
});
afterAll(async () => {
  await api?.close();
});

const json = async <T = Record<string, unknown>>(r: Response) => (await r.json()) as T;

describe("POST /api/production/script", () => {
  it("returns the original plan's script_id, beats and metadata, plus the questions asked", async () => {
    const res = await api.call("POST", "/api/production/script", {
      vrd: coffeeInput,
      clarifications: { audio_mode: "voice_over" },
    });
    expect(res.status).toBe(200);
    const body = await json<Script & { clarifying_questions: unknown[]; vrd: { title: string } }>(res);
    expect(body.script_id).toMatch(/^scr_/);
    expect(body.beats.length).toBeGreaterThanOrEqual(4);
    expect(body.beats.at(-1)!.end_s).toBeCloseTo(30, 0);
    expect(body.metadata).toMatchObject({
      generator: "template",
      platform: "instagram_reels",
      aspect_ratio: "9:16",
    });
    expect(body.narrative_md).toContain("Ember & Oak");
    expect(Array.isArray(body.clarifying_questions)).toBe(true);
    expect(body.vrd.title).toBe(coffeeInput.title);
  });

  it("accepts the VRD as YAML text, as pasted in chat", async () => {
    const yaml = [
      "title: Launch teaser",
      "objective: Announce the app",
      "duration_seconds: 15",
      "platform: tiktok",
      "key_messages:",
      "  - Plan a week of meals in a minute",
    ].join("\n");
    const res = await api.call("POST", "/api/production/script", { vrd: yaml });
    expect(res.status).toBe(200);
    expect((await json<Script>(res)).metadata.aspect_ratio).toBe("9:16");
  });

  it("lists every field error at once, each naming its field", async () => {
    const res = await api.call("POST", "/api/production/script", {
      vrd: { title: "", duration_seconds: 0, platform: "mars", key_messages: [] },
      clarifications: { audio: 3 },
    });
    expect(res.status).toBe(400);
    const body = await json<{ error: string; problems: Array<{ field: string; message: string }> }>(res);
    const fields = body.problems.map((p) => p.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        "vrd.title",
        "vrd.objective",
        "vrd.duration_seconds",
        "vrd.platform",
        "vrd.key_messages",
        "clarifications.audio",
      ]),
    );
    expect(body.problems.find((p) => p.field === "vrd.duration_seconds")!.message).toMatch(
      /between 5 and 600/,
    );
    expect(body.problems.find((p) => p.field === "vrd.objective")!.message).toBe("is required");
  });

  it("leaves out a clarification that answers no question asked and says so; a bad answer is a 400 by its id", async () => {
    const res = await api.call("POST", "/api/production/script", {
      vrd: coffeeInput,
      clarifications: { audio: "voice_over", captions: "no" },
    });
    expect(res.status).toBe(200);
    const body = await json<{
      ignored_clarifications: unknown[];
      vrd: { captions: boolean };
      beats: Array<{ text: { on_screen: unknown[] } }>;
    }>(res);
    expect(body.ignored_clarifications).toEqual([
      {
        field: "clarifications.audio",
        message: "answers no question asked (asked: audio_mode, hero_product, style, captions); ignored",
      },
    ]);
    expect(body.vrd.captions).toBe(false); // the question asked was still answered
    const complete = await api.call("POST", "/api/production/script", {
      vrd: {
        ...coffeeInput,
        audio_mode: "voice_over",
        captions: true,
        style: "warm documentary",
        products: [],
      },
      clarifications: {},
    });
    expect((await json<{ ignored_clarifications: unknown[] }>(complete)).ignored_clarifications).toEqual([]);
    const bad = await api.call("POST", "/api/production/script", {
      vrd: coffeeInput,
      clarifications: { captions: "maybe" },
    });
    expect(bad.status).toBe(400);
    expect((await json<{ problems: unknown[] }>(bad)).problems).toEqual([
      { field: "clarifications.captions", message: 'answer yes or no, got "maybe"' },
    ]);
  });

  it("answers invalid JSON with a 400, not a 500", async () => {
    const res = await api.call("POST", "/api/production/script", '{"vrd": {"title": ');
    expect(res.status).toBe(400);
    const body = await json<{ error: string; problems: unknown[] }>(res);
    expect(body.error).toMatch(/not valid JSON/);
    expect(body.problems).toHaveLength(1);
  });

  it("refuses a body over 1 MB with 413 and says why", async () => {
    const huge = { vrd: { ...coffeeInput, objective: "x".repeat(1_100_000) } };
    const res = await api.call("POST", "/api/production/script", huge);
    expect(res.status).toBe(413);
    expect((await json<{ error: string }>(res)).error).toMatch(/larger than 1 MB/);
  });
});

describe("POST /api/production/shots and /plan", () => {
  let script: Script & { vrd: unknown };
  beforeAll(async () => {
    script = await json(await api.call("POST", "/api/production/script", { vrd: coffeeInput }));
  });

  it("turns the /script response, posted back whole, into a shot list for the brief's aspect ratio", async () => {
    const res = await api.call("POST", "/api/production/shots", script);
    expect(res.status).toBe(200);
    const list = await json<ShotList>(res);
    expect(list.shot_list_id).toBe(`${script.script_id}-shots`);
    expect(list.aspect_ratio).toBe("9:16");
    expect(list.shots.length).toBeGreaterThanOrEqual(script.beats.length);
    expect(list.asset_summary.shot_count).toBe(list.shots.length);
    expect(new Set(list.shots.map((s) => s.beat_id))).toEqual(new Set(script.beats.map((b) => b.id)));
  });

  it("works from only script_id + beats (the original request), deriving a minimal brief", async () => {
    const res = await api.call("POST", "/api/production/shots", {
      script_id: script.script_id,
      beats: script.beats,
      aspect_ratio: "1:1",
    });
    expect(res.status).toBe(200);
    const list = await json<ShotList & { vrd: { duration_seconds: number; key_messages: string[] } }>(res);
    expect(list.aspect_ratio).toBe("1:1");
    expect(list.vrd.duration_seconds).toBe(30);
    expect(list.vrd.key_messages).toEqual(coffeeInput.key_messages);
  });

  it("says which beat fields are wrong", async () => {
    const res = await api.call("POST", "/api/production/shots", {
      script_id: "s",
      beats: [{ ...script.beats[0], id: "first", end_s: -1 }],
    });
    expect(res.status).toBe(400);
    const fields = (await json<{ problems: Array<{ field: string }> }>(res)).problems.map((p) => p.field);
    expect(fields).toEqual(expect.arrayContaining(["beats[0].id", "beats[0].end_s"]));
  });

  it("plans the shots within the constraints, from the /shots response or from shots alone", async () => {
    const list = await json<ShotList>(await api.call("POST", "/api/production/shots", script));
    const whole = await api.call("POST", "/api/production/plan", {
      ...list,
      constraints: { max_cost_usd: 200, quality_priority: "high" },
    });
    expect(whole.status).toBe(200);
    const plan = await json<ProductionPlan>(whole);
    expect(plan.production_plan_id).toBeTruthy();
    expect(plan.shot_plans.map((p) => p.shot_id)).toEqual(list.shots.map((s) => s.id));
    expect(plan.cost_breakdown.total_usd).toBeGreaterThan(0);
    expect(plan.timeline_estimate).toHaveProperty("parallel_minutes");
    expect(plan.constraints.quality_priority).toBe("high");

    const minimal = await api.call("POST", "/api/production/plan", {
      shot_list_id: list.shot_list_id,
      shots: list.shots,
      constraints: { max_cost_usd: 50 },
    });
    expect(minimal.status).toBe(200);
    expect((await json<ProductionPlan>(minimal)).shot_plans).toHaveLength(list.shots.length);
  });

  it("rejects bad constraints field by field", async () => {
    const list = await json<ShotList>(await api.call("POST", "/api/production/shots", script));
    const res = await api.call("POST", "/api/production/plan", {
      shot_list_id: list.shot_list_id,
      shots: list.shots,
      constraints: { max_cost_usd: -5, quality_priority: "ultra" },
    });
    expect(res.status).toBe(400);
    const fields = (await json<{ problems: Array<{ field: string }> }>(res)).problems.map((p) => p.field);
    expect(fields).toEqual(["constraints.max_cost_usd", "constraints.quality_priority"]);
  });
});

describe("POST /api/production/stream", () => {
  it("streams each agent's artefact as it completes, then done", async () => {
    const { status, headers, events } = await readSse(`${api.url}/api/production/stream`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ vrd: coffeeInput }),
    });
    expect(status).toBe(200);
    expect(headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(events.map((e) => e.event)).toEqual([
      "progress",
      "questions",
      "script",
      "progress",
      "shots",
      "progress",
      "plan",
      "done",
    ]);
    expect(events.map((e) => Number(e.id))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const plan = dataOf<{ plan: ProductionPlan }>(events[6]!).plan;
    const shots = dataOf<{ shot_list: ShotList }>(events[4]!).shot_list;
    expect(plan.shot_list_id).toBe(shots.shot_list_id);
    expect(dataOf(events[7]!)).toEqual({
      usage: { calls: 0, input_tokens: 0, output_tokens: 0, total_tokens: 0 },
    });
  });

  it("answers a bad body with a plain 400 before any stream starts", async () => {
    const res = await api.call("POST", "/api/production/stream", { vrd: { title: "x" } });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    const badAnswer = await api.call("POST", "/api/production/stream", {
      vrd: coffeeInput,
      clarifications: { captions: "maybe" },
    });
    expect(badAnswer.status).toBe(400);
    expect(badAnswer.headers.get("content-type")).toMatch(/application\/json/);
    expect((await json<{ problems: Array<{ field: string }> }>(badAnswer)).problems[0]!.field).toBe(
      "clarifications.captions",
    );
  });
});

/** A model that is down: every call fails as the real client reports a 503. */
const downLlm: StructuredLlm = {
  model: "down-model",
  generate<S extends z.ZodType>(_request: LlmRequest<S>): Promise<LlmResult<z.output<S>>> {
    return Promise.reject(new UpstreamError("the model server returned 503 (HTTP 503): overloaded", "llm"));
  },
};

describe("with the model down", () => {
  let down: TestApi;
  beforeAll(async () => {
    down = await startTestApi({
      db: api.db,
      llm: downLlm,
      makeService: () => ({ service: unusedService() }),
    });
  });
  afterAll(async () => {
    await down?.close();
  });

  it("maps the upstream failure to 502 with the message", async () => {
    const res = await down.call("POST", "/api/production/script", { vrd: coffeeInput });
    expect(res.status).toBe(502);
    expect((await json<{ error: string }>(res)).error).toMatch(/503.*overloaded/);
  });

  it("ends the pipeline stream with an error event", async () => {
    const { events } = await readSse(`${down.url}/api/production/stream`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ vrd: coffeeInput }),
    });
    expect(events.map((e) => e.event)).toEqual(["progress", "error"]);
    expect(dataOf(events[1]!)).toMatchObject({ status: 502, error: expect.stringMatching(/overloaded/) });
  });

  it("reports the model, not template mode, in /health", async () => {
    const health = await json(await down.call("GET", "/health"));
    expect(health).toMatchObject({ status: "ok", llm: { mode: "llm", model: "down-model" } });
  });
});

type JsonSchema = {
  $ref?: string;
  allOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: unknown;
  required?: string[];
  items?: JsonSchema;
};
type OpenApiDoc = {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }> }>
  >;
  components: { schemas: Record<string, JsonSchema> };
};

/** The alternatives and parts a value must match, with $refs followed. */
function partsOf(doc: OpenApiDoc, schema: JsonSchema): JsonSchema[] {
  const own = schema.$ref ? partsOf(doc, doc.components.schemas[schema.$ref.split("/").at(-1)!]!) : [schema];
  const nested = [...(schema.allOf ?? []), ...(schema.anyOf ?? []), ...(schema.oneOf ?? [])];
  return [...own, ...nested.flatMap((s) => partsOf(doc, s))];
}

/** Paths in `value` that its documented schema does not list, and required properties it lacks. */
function undocumented(doc: OpenApiDoc, schema: JsonSchema, value: unknown, at = ""): string[] {
  const parts = partsOf(doc, schema);
  if (Array.isArray(value))
    return value.flatMap((item, i) =>
      parts.flatMap((p) => (p.items ? undocumented(doc, p.items, item, `${at}[${i}]`) : [])),
    );
  if (value === null || typeof value !== "object") return [];
  const out: string[] = [];
  const required = parts.flatMap((p) => p.required ?? []);
  for (const key of required) if (!(key in value)) out.push(`${at}.${key} (required, missing)`);
  const open = parts.some((p) => p.additionalProperties !== undefined && p.additionalProperties !== false);
  for (const [key, field] of Object.entries(value)) {
    const listed = parts.flatMap((p) => (p.properties?.[key] ? [p.properties[key]] : []));
    if (listed.length === 0 && !open) out.push(`${at}.${key}`);
    for (const s of listed) out.push(...undocumented(doc, s, field, `${at}.${key}`));
  }
  return [...new Set(out)];
}

describe("health, docs, metrics and unknown routes", () => {
  it("reports the database, template mode and the version", async () => {
    const res = await api.call("GET", "/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: "ok",
      version: "test",
      db: { kind: "pglite", reachable: true },
      llm: { mode: "template", model: null },
    });
  });

  it("serves an OpenAPI 3.1 document built from the schemas, and a docs page linking it", async () => {
    const doc = await json<{
      openapi: string;
      paths: Record<string, unknown>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    }>(await api.call("GET", "/openapi.json"));
    expect(doc.openapi).toBe("3.1.0");
    for (const path of [
      "/api/production/script",
      "/api/production/shots",
      "/api/production/plan",
      "/api/production/stream",
      "/api/productions",
      "/api/productions/{id}/approve",
      "/api/productions/{id}/events",
      "/health",
      "/metrics",
    ])
      expect(doc.paths).toHaveProperty(path);
    expect(doc.components.schemas.Vrd!.properties).toHaveProperty("key_messages");
    expect(doc.components.schemas.ScriptRequest!.properties!.vrd).toEqual({
      $ref: "#/components/schemas/Vrd",
    });
    expect(doc.components.schemas.ReviseRequest!.properties).toHaveProperty("pin_tool");

    const docs = await api.call("GET", "/docs");
    expect(docs.headers.get("content-type")).toMatch(/text\/html/);
    const html = await docs.text();
    expect(html).toContain('href="/openapi.json"');
    expect(html).toContain("/api/productions/{id}/revise");
    expect(html).not.toMatch(/<script|https?:\/\/cdn/);
  });

  it("documents every property the stateless endpoints answer with", async () => {
    const doc = await json<OpenApiDoc>(await api.call("GET", "/openapi.json"));
    const script = await json(await api.call("POST", "/api/production/script", { vrd: coffeeInput }));
    const shots = await json(await api.call("POST", "/api/production/shots", script));
    const plan = await json(await api.call("POST", "/api/production/plan", shots));
    for (const [path, body] of [
      ["/api/production/script", script],
      ["/api/production/shots", shots],
      ["/api/production/plan", plan],
    ] as const) {
      const schema = doc.paths[path]!.post!.responses["200"]!.content!["application/json"]!.schema;
      expect(undocumented(doc, schema, body), path).toEqual([]);
    }
    expect(script).toHaveProperty("clarifying_questions");
    expect(shots).toHaveProperty("vrd");
  });

  it("answers an unknown route with a JSON 404", async () => {
    const res = await api.call("GET", "/api/nothing-here");
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: "No route GET /api/nothing-here" });
    for (const method of ["DELETE", "OPTIONS"]) {
      const other = await api.call(method, "/api/nothing-here");
      expect(other.status, method).toBe(404);
      expect(other.headers.get("allow"), method).toBeNull();
      await other.body?.cancel();
    }
  });

  it("answers a method a path does not take with a JSON 405 and the Allow header", async () => {
    const cases: Array<[method: string, path: string, allow: string]> = [
      ["DELETE", "/api/productions", "GET, HEAD, POST, OPTIONS"],
      ["PUT", "/api/productions/prod_any/approve", "POST, OPTIONS"],
      ["GET", "/api/production/script", "POST, OPTIONS"],
      ["POST", "/health?x=1", "GET, HEAD, OPTIONS"],
    ];
    for (const [method, path, allow] of cases) {
      const res = await api.call(method, path);
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get("allow"), `${method} ${path}`).toBe(allow);
      expect(await res.json()).toEqual({
        error: `Method ${method} is not allowed on ${path.split("?")[0]}; it takes ${allow}.`,
      });
    }
    // HEAD is answered where GET is, and refused (without a body) where it is not.
    const head = await api.call("HEAD", "/health");
    expect(head.status).toBe(200);
    const headOnPost = await api.call("HEAD", "/api/production/plan");
    expect(headOnPost.status).toBe(405);
    expect(headOnPost.headers.get("allow")).toBe("POST, OPTIONS");
    expect(await headOnPost.text()).toBe("");
    // OPTIONS asks which methods a path takes.
    const options = await api.call("OPTIONS", "/api/productions/prod_any/events");
    expect(options.status).toBe(204);
    expect(options.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
  });

  it("counts HTTP requests by route pattern in /metrics", async () => {
    await api.call("GET", "/health");
    const text = await (await api.call("GET", "/metrics")).text();
    expect(text).toMatch(/greenlight_http_requests_total\{method="GET",route="\/health",status="200"\} \d+/);
    expect(text).toMatch(
      /greenlight_http_requests_total\{method="POST",route="\/api\/production\/script",status="400"\}/,
    );
    expect(text).toContain("greenlight_queue_depth 0");
  });
});

describe("with API_KEY set", () => {
  const key = "gl-secret-key-123";
  let locked: TestApi;
  beforeAll(async () => {
    locked = await startTestApi({
      db: api.db,
      apiKey: key,
      makeService: () => ({ service: unusedService() }),
    });
  });
  afterAll(async () => {
    await locked?.close();
  });

  it("needs the bearer key on /api/* (401 without or with a wrong one) and leaves /health open", async () => {
    const none = await locked.call("POST", "/api/production/script", { vrd: coffeeInput });
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect((await json<{ error: string }>(none)).error).toMatch(/Authorization: Bearer/);
    const wrong = await locked.call(
      "POST",
      "/api/production/script",
      { vrd: coffeeInput },
      { authorization: "Bearer nope" },
    );
    expect(wrong.status).toBe(401);
    const right = await locked.call(
      "POST",
      "/api/production/script",
      { vrd: coffeeInput },
      { authorization: `Bearer ${key}` },
    );
    expect(right.status).toBe(200);
    expect((await locked.call("GET", "/health")).status).toBe(200);
    expect(locked.log.lines.join("\n")).not.toContain(key);
  });
});
