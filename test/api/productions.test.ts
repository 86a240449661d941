import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import type { LlmRequest, LlmResult, StructuredLlm } from "../../src/agents/llm.js";
import { UpstreamError } from "../../src/domain/errors.js";
import type { Production, ProductionEvent, Stage } from "../../src/domain/production.js";
import { coffeeInput } from "../agents/scriptsmith/fixtures.js";
import { realService, startTestApi, type TestApi } from "./harness.js";
import { dataOf, readSse } from "./sse-client.js";

/** Stateful productions over real HTTP: the real service in template mode on an embedded database. */
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ makeService: realService, sseHeartbeatMs: 50 });
});
afterAll(async () => {
  await api?.close();
});

const ANA = { "x-user-id": "ana" };
const json = async <T = Record<string, unknown>>(r: Response) => (await r.json()) as T;
type ErrorBody = {
  error: string;
  problems?: Array<{ field: string; message: string }>;
  current_stage?: string;
  production?: Production;
};

async function start(
  headers: Record<string, string> = ANA,
  body: unknown = { vrd: coffeeInput },
): Promise<Production> {
  const res = await api.call("POST", "/api/productions", body, headers);
  expect(res.status).toBe(201);
  return json<Production>(res);
}

async function waitForStage(id: string, stage: Stage, on: TestApi = api): Promise<Production> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const p = await json<Production>(await on.call("GET", `/api/productions/${id}`));
    if (p.stage === stage) return p;
    if (Date.now() > deadline) throw new Error(`${id} is ${p.stage}, waited for ${stage}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const act = (id: string, action: string, body: unknown = {}, headers: Record<string, string> = ANA) =>
  api.call("POST", `/api/productions/${id}/${action}`, body, headers);

/** A production at plan review (questions skipped, script and shots approved). */
async function atPlanReview(): Promise<Production> {
  const p = await start();
  expect((await act(p.id, "skip")).status).toBe(200);
  await waitForStage(p.id, "script_review");
  expect((await act(p.id, "approve", { stage: "script_review" })).status).toBe(200);
  await waitForStage(p.id, "shots_review");
  expect((await act(p.id, "approve", { stage: "shots_review" })).status).toBe(200);
  return waitForStage(p.id, "plan_review");
}

describe("POST /api/productions", () => {
  it("starts a production owned by the X-User-Id caller, with its questions, and says where it lives", async () => {
    const res = await api.call("POST", "/api/productions", { vrd: coffeeInput }, ANA);
    expect(res.status).toBe(201);
    const p = await json<Production>(res);
    expect(res.headers.get("location")).toBe(`/api/productions/${p.id}`);
    expect(p).toMatchObject({
      stage: "clarifying",
      owner_id: "ana",
      origin: { platform: "api", user_id: "ana" },
    });
    expect(p.questions.map((q) => q.id)).toContain("captions");
  });

  it("refuses bad answers sent with the start without creating a production", async () => {
    const before = (
      await json<{ productions: unknown[] }>(await api.call("GET", "/api/productions?limit=200"))
    ).productions.length;
    const unknown = await api.call(
      "POST",
      "/api/productions",
      { vrd: coffeeInput, answers: { nope: "x" } },
      ANA,
    );
    expect(unknown.status).toBe(400);
    expect((await json<ErrorBody>(unknown)).problems![0]!.field).toBe("answers.nope");
    const badValue = await api.call(
      "POST",
      "/api/productions",
      { vrd: coffeeInput, answers: { captions: "maybe" } },
      ANA,
    );
    expect(badValue.status).toBe(400);
    const after = (
      await json<{ productions: unknown[] }>(await api.call("GET", "/api/productions?limit=200"))
    ).productions.length;
    expect(after).toBe(before);
  });

  it("applies answers sent with the start, and starts the script when all are answered", async () => {
    const answers = { audio_mode: "voice_over", hero_product: "none", style: "default", captions: "yes" };
    const p = await start(ANA, { vrd: coffeeInput, answers });
    expect(p.stage).toBe("scripting");
    expect(p.answers).toMatchObject(answers);
    await waitForStage(p.id, "script_review");
  });

  it("returns the first production again for a retried Idempotency-Key, per user", async () => {
    const key = { ...ANA, "idempotency-key": "req-42" };
    const [a, b] = await Promise.all([start(key), start(key)]);
    expect(b.id).toBe(a.id);
    const other = await start({ "x-user-id": "bob", "idempotency-key": "req-42" });
    expect(other.id).not.toBe(a.id);
  });

  it("answers a bad VRD with 400 naming every field", async () => {
    const res = await api.call("POST", "/api/productions", {
      vrd: { ...coffeeInput, duration_seconds: 1000, platform: "vhs", key_messages: [] },
    });
    expect(res.status).toBe(400);
    const fields = (await json<ErrorBody>(res)).problems!.map((p) => p.field);
    expect(fields).toEqual(["vrd.duration_seconds", "vrd.platform", "vrd.key_messages"]);
  });

  it("answers a misspelt VRD field with 400 naming it and the field meant, and creates nothing", async () => {
    const count = async () =>
      (await json<{ productions: unknown[] }>(await api.call("GET", "/api/productions"))).productions.length;
    const before = await count();
    const res = await api.call("POST", "/api/productions", {
      vrd: { ...coffeeInput, constraints: { max_cost: 20, qualty_priority: "high" } },
    });
    expect(res.status).toBe(400);
    expect((await json<ErrorBody>(res)).problems).toEqual([
      {
        field: "vrd.constraints.qualty_priority",
        message: "unknown field; did you mean quality_priority?",
      },
    ]);
    expect(await count()).toBe(before);
  });
});

describe("GET /api/productions and /:id", () => {
  it("gets one production, and 404 for an unknown id", async () => {
    const p = await start();
    const got = await json<Production>(await api.call("GET", `/api/productions/${p.id}`));
    expect(got.id).toBe(p.id);
    const missing = await api.call("GET", "/api/productions/prod_nope");
    expect(missing.status).toBe(404);
    expect((await json<ErrorBody>(missing)).error).toMatch(/prod_nope/);
  });

  it("lists summaries filtered by owner and stage, and rejects bad filters", async () => {
    const mine = await start({ "x-user-id": "lister" });
    await start({ "x-user-id": "someone-else" });
    const res = await api.call("GET", "/api/productions?owner_id=lister&stage=clarifying,scripting");
    expect(res.status).toBe(200);
    const { productions } = await json<{ productions: Array<Record<string, unknown>> }>(res);
    expect(productions.map((p) => p.id)).toEqual([mine.id]);
    expect(productions[0]).toMatchObject({
      title: coffeeInput.title,
      stage: "clarifying",
      owner_id: "lister",
    });
    expect(productions[0]).not.toHaveProperty("script");

    const bad = await api.call("GET", "/api/productions?stage=done&limit=0");
    expect(bad.status).toBe(400);
    expect((await json<ErrorBody>(bad)).problems!.map((p) => p.field)).toEqual(["stage[0]", "limit"]);
    const word = await api.call("GET", "/api/productions?limit=lots");
    expect((await json<ErrorBody>(word)).problems).toEqual([
      { field: "limit", message: 'must be a number, got "lots"' },
    ]);
  });

  it("a misspelt revision field is named, not silently dropped", async () => {
    const p = await start();
    const res = await act(p.id, "revise", {
      stage: "plan_review",
      pintool: { shot_id: "S01", tool_id: "luma-ray2" },
      constraints: { budget: 5 },
    });
    expect(res.status).toBe(400);
    expect((await json<ErrorBody>(res)).problems).toEqual([
      { field: "constraints", message: "unknown field: budget" },
      { field: "", message: "unknown field: pintool" },
    ]);
  });

  it("a form-encoded body gets a 415 that says to send JSON", async () => {
    const res = await api.call("POST", "/api/productions", "vrd=x", {
      ...ANA,
      "content-type": "application/x-www-form-urlencoded",
    });
    expect(res.status).toBe(415);
    expect((await json<ErrorBody>(res)).error).toMatch(/content-type: application\/json/);
  });
});

describe("answers, approve, revise, retry, cancel", () => {
  it("takes answers, refuses unknown question ids and an empty body, and 409s once answered", async () => {
    const p = await start();
    const empty = await act(p.id, "answers", {});
    expect(empty.status).toBe(400);
    expect((await json<ErrorBody>(empty)).problems).toEqual([
      { field: "answers", message: 'is required (or send "skip": true)' },
    ]);
    const none = await act(p.id, "answers", { answers: {} });
    expect(none.status).toBe(400);
    expect((await json<ErrorBody>(none)).problems![0]!.message).toMatch(/at least one question/);
    const unknown = await act(p.id, "answers", { answers: { favourite_colour: "blue" } });
    expect(unknown.status).toBe(400);
    expect((await json<ErrorBody>(unknown)).problems![0]!.field).toBe("answers.favourite_colour");

    const partial = await json<Production>(await act(p.id, "answers", { answers: { captions: "no" } }));
    expect(partial.stage).toBe("clarifying");
    const skipped = await act(p.id, "answers", { skip: true });
    expect((await json<Production>(skipped)).stage).toBe("scripting");

    const again = await act(p.id, "skip");
    expect(again.status).toBe(409);
    const body = await json<ErrorBody>(again);
    expect(body.error).toMatch(/Already answered by ana/);
    expect(body.current_stage).toMatch(/scripting|script_review/);
    expect(body.production!.id).toBe(p.id);
  });

  it("approves a stage once: the second click is a 409 saying who approved, with the current stage", async () => {
    const p = await start();
    await act(p.id, "skip");
    const review = await waitForStage(p.id, "script_review");
    const [first, second] = await Promise.all([
      act(p.id, "approve", { stage: "script_review", version: review.version }),
      act(p.id, "approve", { stage: "script_review", version: review.version }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const loser = await json<ErrorBody>(first.status === 409 ? first : second);
    expect(loser.error).toMatch(/Already approved by ana/);
    expect(["shooting", "shots_review"]).toContain(loser.current_stage);
  });

  it("refuses a stale version, a stranger (403) and a bad stage (400)", async () => {
    const p = await start();
    await act(p.id, "skip");
    const review = await waitForStage(p.id, "script_review");
    const stale = await act(p.id, "approve", { stage: "script_review", version: review.version - 1 });
    expect(stale.status).toBe(409);
    expect((await json<ErrorBody>(stale)).error).toMatch(/changed since you saw it/);

    const stranger = await act(p.id, "approve", { stage: "script_review" }, { "x-user-id": "mallory" });
    expect(stranger.status).toBe(403);
    expect((await json<ErrorBody>(stranger)).error).toMatch(/Only ana/);

    const bad = await act(p.id, "approve", { stage: "done", version: "three" });
    expect(bad.status).toBe(400);
    expect((await json<ErrorBody>(bad)).problems!.map((x) => x.field)).toEqual(["stage", "version"]);
    expect((await act("prod_nope", "approve", { stage: "script_review" })).status).toBe(404);
  });

  it("reads a version sent as whole-number text; other text or a fraction is a 400 naming it", async () => {
    const p = await start();
    await act(p.id, "skip");
    const review = await waitForStage(p.id, "script_review");
    for (const version of ["three", 2.5, "2.5"]) {
      const bad = await act(p.id, "approve", { stage: "script_review", version });
      expect(bad.status, String(version)).toBe(400);
      expect((await json<ErrorBody>(bad)).problems!.map((x) => x.field)).toEqual(["version"]);
    }
    const badRevise = await act(p.id, "revise", { stage: "script_review", feedback: "x", version: "v1" });
    expect((await json<ErrorBody>(badRevise)).problems!.map((x) => x.field)).toEqual(["version"]);
    // Read as the number it says: a stale one is a 409, the current one approves.
    const stale = await act(p.id, "approve", { stage: "script_review", version: `${review.version - 1}` });
    expect(stale.status).toBe(409);
    const ok = await act(p.id, "approve", { stage: "script_review", version: ` ${review.version} ` });
    expect(ok.status).toBe(200);
    expect((await json<Production>(ok)).stage).toMatch(/shooting|shots_review/);
  });

  it("revises: back to the generating stage, then review again with a new version", async () => {
    const p = await start();
    await act(p.id, "skip");
    const review = await waitForStage(p.id, "script_review");
    const res = await act(p.id, "revise", { stage: "script_review", feedback: "Warmer voice-over, please" });
    expect(res.status).toBe(200);
    expect((await json<Production>(res)).stage).toBe("scripting");
    const again = await waitForStage(p.id, "script_review");
    expect(again.version).toBeGreaterThan(review.version);
    expect(again.script!.version).toBe(2);

    const empty = await act(p.id, "revise", { stage: "script_review", feedback: "  " });
    expect(empty.status).toBe(400);
    expect((await json<ErrorBody>(empty)).problems![0]!.field).toBe("feedback");
  });

  it("reports revision problems in the body's own field names; a tool pin needs no feedback", async () => {
    const p = await atPlanReview();
    const res = await act(p.id, "revise", {
      stage: "plan_review",
      feedback: "Use another tool",
      shot_ids: ["S99"],
      pin_tool: { shot_id: "S01", tool_id: "no-such-tool" },
    });
    expect(res.status).toBe(400);
    const fields = (await json<ErrorBody>(res)).problems!.map((x) => x.field);
    expect(fields).toEqual(expect.arrayContaining(["shot_ids", "pin_tool.tool_id"]));
    const other = p.plan!.shot_plans[0]!.alternatives[0]!.tool_id;
    const pinOnly = await act(p.id, "revise", {
      stage: "plan_review",
      pin_tool: { shot_id: "S01", tool_id: other },
    });
    expect(pinOnly.status).toBe(200);
    expect((await json<Production>(pinOnly)).stage).toBe("planning");
    const replanned = await waitForStage(p.id, "plan_review");
    expect(replanned.plan!.shot_plans[0]!.tool_id).toBe(other);
    const wrongStage = await act(p.id, "revise", { stage: "script_review", feedback: "x" });
    expect(wrongStage.status).toBe(409);
    expect((await json<ErrorBody>(wrongStage)).current_stage).toBe("plan_review");
  });

  it("cancels, and a second cancel is a 409", async () => {
    const p = await start();
    const res = await act(p.id, "cancel");
    expect(res.status).toBe(200);
    expect((await json<Production>(res)).stage).toBe("cancelled");
    const again = await act(p.id, "cancel");
    expect(again.status).toBe(409);
    expect((await json<ErrorBody>(again)).current_stage).toBe("cancelled");
  });
});

describe("GET /api/productions/:id/events (SSE)", () => {
  it("streams live events in order while the production is driven, and ends at approved", async () => {
    const p = await start();
    const types: string[] = [];
    const acted = new Set<string>();
    const { status, events, comments } = await readSse(
      `${api.url}/api/productions/${p.id}/events`,
      {},
      {
        onEvent: async (frame) => {
          const event = dataOf<ProductionEvent>(frame);
          types.push(event.type);
          if (acted.has(event.stage)) return;
          if (event.stage === "clarifying") {
            acted.add(event.stage);
            // Stay a moment in a quiet stage so a heartbeat goes out.
            await new Promise((r) => setTimeout(r, 120));
            await act(p.id, "skip");
          } else if (event.stage.endsWith("_review")) {
            acted.add(event.stage);
            await act(p.id, "approve", { stage: event.stage });
          }
        },
      },
    );
    expect(status).toBe(200);
    const seqs = events.map((e) => Number(e.id));
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    for (const e of events) expect(dataOf<ProductionEvent>(e).type).toBe(e.event);
    expect(events.at(-1)!.event).toBe("approved");
    expect(dataOf<ProductionEvent>(events.at(-1)!).stage).toBe("approved");
    expect(types.slice(0, 3)).toEqual(["created", "questions", "answered"]);
    for (const stage of ["scripting", "shooting", "planning"])
      expect(
        events.filter(
          (e) => e.event === "stage_completed" && dataOf<ProductionEvent>(e).payload.stage === stage,
        ),
      ).toHaveLength(1);
    expect(comments).toBeGreaterThan(0);
  });

  it("resumes after Last-Event-ID (or ?after=) with exactly the events not yet seen", async () => {
    const p = await start();
    await act(p.id, "cancel");
    const all = (await readSse(`${api.url}/api/productions/${p.id}/events`)).events;
    expect(all.map((e) => e.event)).toEqual(["created", "questions", "cancelled"]);

    const rest = (
      await readSse(`${api.url}/api/productions/${p.id}/events`, { headers: { "last-event-id": "1" } })
    ).events;
    expect(rest.map((e) => e.id)).toEqual(["2", "3"]);
    const viaQuery = (await readSse(`${api.url}/api/productions/${p.id}/events?after=2`)).events;
    expect(viaQuery.map((e) => e.event)).toEqual(["cancelled"]);
    // Nothing after the last event of a finished production: the stream ends at once.
    const none = await readSse(`${api.url}/api/productions/${p.id}/events`, {
      headers: { "last-event-id": "3" },
    });
    expect(none.status).toBe(200);
    expect(none.events).toEqual([]);
  });

  it("resumes a live stream mid-way: replay, then new events", async () => {
    const p = await start();
    const first = await readSse(
      `${api.url}/api/productions/${p.id}/events`,
      {},
      { stop: (e) => e.event === "questions" },
    );
    expect(first.events.map((e) => e.id)).toEqual(["1", "2"]);
    setTimeout(() => void act(p.id, "cancel"), 100);
    const next = await readSse(`${api.url}/api/productions/${p.id}/events`, {
      headers: { "last-event-id": "2" },
    });
    expect(next.events.map((e) => [e.id, e.event])).toEqual([["3", "cancelled"]]);
  });

  it("404s an unknown production and 400s a bad Last-Event-ID, as JSON", async () => {
    const missing = await api.call("GET", "/api/productions/prod_nope/events");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toMatch(/json/);
    const p = await start();
    const bad = await api.call("GET", `/api/productions/${p.id}/events`, undefined, {
      "last-event-id": "abc",
    });
    expect(bad.status).toBe(400);
    expect((await json<ErrorBody>(bad)).problems![0]!.field).toBe("Last-Event-ID");
    // Too big to be an event id: a 400 up front, not a stream that fails and asks to reconnect.
    const huge = await api.call("GET", `/api/productions/${p.id}/events`, undefined, {
      "last-event-id": "99999999999999999999",
    });
    expect(huge.status).toBe(400);
    const word = await api.call("GET", `/api/productions/${p.id}/events?after=abc`);
    expect(word.status).toBe(400);
    expect((await json<ErrorBody>(word)).problems![0]).toEqual({
      field: "after",
      message: 'must be a number, got "abc"',
    });
  });

  it("an id beyond the last event still gets the events that come next", async () => {
    const p = await start();
    setTimeout(() => void act(p.id, "cancel"), 100);
    const next = await readSse(`${api.url}/api/productions/${p.id}/events`, {
      headers: { "last-event-id": "500" },
    });
    expect(next.events.map((e) => [e.id, e.event])).toEqual([["3", "cancelled"]]);
  });
});

describe("metrics after productions", () => {
  it("shows stage durations, events by type and HTTP counts", async () => {
    await atPlanReview();
    const text = await (await api.call("GET", "/metrics")).text();
    expect(text).toMatch(/greenlight_stage_duration_seconds_count\{stage="scripting"\} [1-9]/);
    expect(text).toMatch(/greenlight_stage_duration_seconds_count\{stage="planning"\} [1-9]/);
    expect(text).toMatch(/greenlight_production_events_total\{type="approved"\} [1-9]/);
    expect(text).toMatch(
      /greenlight_http_requests_total\{method="POST",route="\/api\/productions\/:id\/approve",status="200"\} [1-9]/,
    );
  });
});

/** Every model call fails for good (e.g. the key was revoked). */
const brokenLlm: StructuredLlm = {
  model: "broken-model",
  generate<S extends z.ZodType>(_request: LlmRequest<S>): Promise<LlmResult<z.output<S>>> {
    return Promise.reject(
      new UpstreamError("the model server rejected the API key (HTTP 401)", "llm", false),
    );
  },
};

describe("a failing stage", () => {
  let broken: TestApi;
  beforeAll(async () => {
    broken = await startTestApi({ db: api.db, llm: brokenLlm, makeService: realService });
  });
  afterAll(async () => {
    await broken?.close();
  });

  it("goes to failed with the message, counts the failure, ends the stream, and can be retried once", async () => {
    const res = await broken.call("POST", "/api/productions", { vrd: coffeeInput }, ANA);
    const p = await json<Production>(res);
    await broken.call("POST", `/api/productions/${p.id}/skip`, {}, ANA);
    const failed = await waitForStage(p.id, "failed", broken);
    expect(failed.error).toMatch(/API key/);

    const { events } = await readSse(`${broken.url}/api/productions/${p.id}/events`);
    expect(events.at(-1)!.event).toBe("failed");

    const metrics = await (await broken.call("GET", "/metrics")).text();
    expect(metrics).toMatch(
      /greenlight_stage_failures_total\{stage="scripting",retryable="(true|false)"\} 1\n/,
    );

    const retried = await broken.call("POST", `/api/productions/${p.id}/retry`, {}, ANA);
    expect(retried.status).toBe(200);
    expect((await json<Production>(retried)).stage).toBe("scripting");
    await waitForStage(p.id, "failed", broken);
    const cancelled = await broken.call("POST", `/api/productions/${p.id}/cancel`, {}, ANA);
    expect(cancelled.status).toBe(200);
    const retryCancelled = await broken.call("POST", `/api/productions/${p.id}/retry`, {}, ANA);
    expect(retryCancelled.status).toBe(409);
  });
});

describe("with API_KEY set", () => {
  let locked: TestApi;
  beforeAll(async () => {
    locked = await startTestApi({ db: api.db, apiKey: "k-123", makeService: realService });
  });
  afterAll(async () => {
    await locked?.close();
  });

  it("401s the production endpoints and the event stream without the key", async () => {
    expect((await locked.call("POST", "/api/productions", { vrd: coffeeInput })).status).toBe(401);
    expect((await locked.call("GET", "/api/productions")).status).toBe(401);
    expect((await locked.call("GET", "/api/productions/x/events")).status).toBe(401);
    const ok = await locked.call(
      "POST",
      "/api/productions",
      { vrd: coffeeInput },
      { authorization: "Bearer k-123" },
    );
    expect(ok.status).toBe(201);
  });
});
