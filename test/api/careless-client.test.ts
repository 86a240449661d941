import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Production } from "../../src/domain/production.js";
import { coffeeInput } from "../agents/scriptsmith/fixtures.js";
import { realService, startTestApi, type TestApi } from "./harness.js";

/**
 * The API as a careless client uses it: headers missing or wrong, bodies empty or odd, keys reused.
 * Every answer is a 4xx with a JSON body naming what to fix, never a 500.
 */
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ makeService: realService });
});
afterAll(async () => {
  await api?.close();
});

const ANA = { "x-user-id": "ana" };
type ErrorBody = { error: string; problems?: Array<{ field: string; message: string }> };
const json = async <T = ErrorBody>(r: Response) => (await r.json()) as T;
const count = async () =>
  (await json<{ productions: unknown[] }>(await api.call("GET", "/api/productions?limit=200"))).productions
    .length;

async function start(headers: Record<string, string> = ANA, body: unknown = { vrd: coffeeInput }) {
  const res = await api.call("POST", "/api/productions", body, headers);
  expect(res.status).toBe(201);
  return json<Production>(res);
}

describe("bodies", () => {
  it("a JSON content-type with no body is no body: cancel works, approve names the missing field", async () => {
    const p = await start();
    const noBody = { ...ANA, "content-type": "application/json" };
    const approve = await api.call("POST", `/api/productions/${p.id}/approve`, undefined, noBody);
    expect(approve.status).toBe(400);
    expect((await json(approve)).problems).toEqual([
      { field: "stage", message: "must be one of script_review, shots_review, plan_review, got nothing" },
    ]);
    const cancel = await api.call("POST", `/api/productions/${p.id}/cancel`, undefined, noBody);
    expect(cancel.status).toBe(200);
    expect((await json<Production>(cancel)).stage).toBe("cancelled");
  });

  it("no body at all on start lists the missing vrd", async () => {
    const res = await api.call("POST", "/api/productions", undefined, ANA);
    expect(res.status).toBe(400);
    expect((await json(res)).problems).toEqual([{ field: "vrd", message: "is required" }]);
  });

  it("JSON sent as text/plain (fetch's default for a string) is a 415 saying to send JSON", async () => {
    const res = await api.call("POST", "/api/productions", JSON.stringify({ vrd: coffeeInput }), {
      ...ANA,
      "content-type": "text/plain;charset=UTF-8",
    });
    expect(res.status).toBe(415);
    const body = await json(res);
    expect(body.error).toMatch(/content-type: application\/json/);
    expect(body.problems).toEqual([{ field: "content-type", message: "must be application/json" }]);
  });

  it("a +json media type is JSON", async () => {
    const res = await api.call(
      "POST",
      "/api/productions",
      { vrd: coffeeInput },
      {
        ...ANA,
        "content-type": "application/vnd.api+json",
      },
    );
    expect(res.status).toBe(201);
  });

  it("broken JSON says what the parser found, not only that it is broken", async () => {
    const res = await api.call("POST", "/api/productions", '{"vrd": {"title": }', ANA);
    expect(res.status).toBe(400);
    expect((await json(res)).error).toMatch(/not valid JSON \(Unexpected token '\}'/);
  });
});

describe("answers", () => {
  it("answers sent with skip: true are kept, the defaults fill only the rest", async () => {
    const p = await start();
    const asked = p.questions.map((q) => q.id);
    expect(asked.length).toBeGreaterThan(1);
    const [first] = asked;
    const res = await api.call(
      "POST",
      `/api/productions/${p.id}/answers`,
      { answers: { [first!]: "default" }, skip: true },
      ANA,
    );
    expect(res.status).toBe(200);
    const after = await json<Production>(res);
    expect(after.stage).toBe("scripting");
    expect(after.answers[first!]).toBe("default");
    const answered = (await api.service.events(p.id)).filter((e) => e.type === "answered");
    expect(answered.map((e) => Object.keys(e.payload.answers as object).sort())).toEqual([
      [first],
      asked.filter((q) => q !== first).sort(),
    ]);
  });
});

describe("text the database cannot store", () => {
  it("a NUL character in the VRD is a 400 naming the field, and nothing is created", async () => {
    const before = await count();
    const res = await api.call("POST", "/api/productions", {
      vrd: { ...coffeeInput, title: "Ember\u0000Oak" },
    });
    expect(res.status).toBe(400);
    expect((await json(res)).problems).toEqual([
      { field: "vrd.title", message: expect.stringMatching(/NUL character/) },
    ]);
    expect(await count()).toBe(before);
  });

  it("a lone surrogate in an answer is a 400 naming the answer", async () => {
    const p = await start();
    const res = await api.call(
      "POST",
      `/api/productions/${p.id}/answers`,
      '{"answers":{"style":"\\ud800"}}',
      ANA,
    );
    expect(res.status).toBe(400);
    expect((await json(res)).problems).toEqual([
      { field: "answers.style", message: expect.stringMatching(/lone UTF-16 surrogate/) },
    ]);
  });

  it("a NUL in a query is a 400, in a production id a 404", async () => {
    const list = await api.call("GET", "/api/productions?owner_id=%00");
    expect(list.status).toBe(400);
    expect((await json(list)).problems?.[0]?.field).toBe("owner_id");
    for (const path of ["/api/productions/%00", "/api/productions/%00/events"]) {
      const res = await api.call("GET", path);
      expect(res.status).toBe(404);
      expect((await json(res)).error).toMatch(/No production/);
    }
    expect((await api.call("GET", "/health")).status).toBe(200);
  });
});

describe("URLs", () => {
  it("a trailing slash, a long unknown id and a broken escape each get a JSON answer", async () => {
    expect((await api.call("GET", "/api/productions/")).status).toBe(200);
    const long = await api.call("GET", `/api/productions/prod_${"x".repeat(200)}`);
    expect(long.status).toBe(404);
    expect((await json(long)).error).toMatch(/No production with id/);
    const broken = await api.call("GET", "/api/productions/%zz");
    expect(broken.status).toBe(400);
    expect(await json(broken)).toEqual({ error: "'/api/productions/%zz' is not a valid url component" });
  });
});

describe("Idempotency-Key", () => {
  it("reused with a different body is a 422 naming the header; the first production is untouched", async () => {
    const key = { ...ANA, "idempotency-key": "reuse-1" };
    const first = await start(key);
    const res = await api.call("POST", "/api/productions", { vrd: { ...coffeeInput, title: "Other" } }, key);
    expect(res.status).toBe(422);
    const body = await json(res);
    expect(body.error).toContain(first.id);
    expect(body.problems).toEqual([
      { field: "Idempotency-Key", message: "already used for a different request" },
    ]);
    const now = await json<Production>(await api.call("GET", `/api/productions/${first.id}`));
    expect(now).toMatchObject({ version: 1, vrd: { title: coffeeInput.title } });
  });

  it("a retried start with answers returns the first production without answering again", async () => {
    const key = { ...ANA, "idempotency-key": "reuse-2" };
    const body = { vrd: coffeeInput, answers: { style: "default" } };
    const first = await start(key, body);
    const again = await start(key, body);
    expect(again.id).toBe(first.id);
    expect(again.version).toBe(first.version);
    const events = await api.service.events(first.id);
    expect(events.filter((e) => e.type === "answered")).toHaveLength(1);
  });

  it("longer than 200 characters is a 400 naming the header, not cut to collide with another key", async () => {
    const before = await count();
    const long = { ...ANA, "idempotency-key": `${"k".repeat(200)}-a` };
    const res = await api.call("POST", "/api/productions", { vrd: coffeeInput }, long);
    expect(res.status).toBe(400);
    expect((await json(res)).problems).toEqual([
      { field: "Idempotency-Key", message: "must be at most 200 characters, got 202" },
    ]);
    expect(await count()).toBe(before);
  });
});

describe("the OpenAPI document", () => {
  /** Every endpoint of the README's table, with the request body component it takes (if any). */
  const ROUTES: Array<[method: string, path: string, body: string | null]> = [
    ["post", "/api/production/script", "ScriptRequest"],
    ["post", "/api/production/shots", "ShotsRequest"],
    ["post", "/api/production/plan", "PlanRequest"],
    ["post", "/api/production/stream", "ScriptRequest"],
    ["get", "/api/tools", null],
    ["post", "/api/productions", "StartProductionRequest"],
    ["get", "/api/productions", null],
    ["get", "/api/productions/{id}", null],
    ["post", "/api/productions/{id}/answers", "AnswersRequest"],
    ["post", "/api/productions/{id}/approve", "ApproveRequest"],
    ["post", "/api/productions/{id}/revise", "ReviseRequest"],
    ["post", "/api/productions/{id}/retry", null],
    ["post", "/api/productions/{id}/cancel", null],
    ["get", "/api/productions/{id}/events", null],
    ["get", "/health", null],
    ["get", "/metrics", null],
    ["get", "/openapi.json", null],
    ["get", "/docs", null],
  ];
  type Op = {
    requestBody?: { content: Record<string, { schema: { $ref: string } }> };
    responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
  };

  it("documents every route the server answers, the body it takes, and the errors a careless client meets", async () => {
    const doc = await json<{ paths: Record<string, Record<string, Op>> }>(
      await api.call("GET", "/openapi.json"),
    );
    for (const [method, path, body] of ROUTES) {
      // The server has the route (an unknown one is "No route …").
      const res = await api.call(
        method.toUpperCase(),
        path.replace("{id}", "prod_none"),
        method === "post" ? {} : undefined,
      );
      if (res.status === 404) expect((await json(res)).error, `${method} ${path}`).not.toMatch(/^No route/);
      else await res.body?.cancel();

      const op = doc.paths[path]?.[method];
      expect(op, `${method} ${path} is documented`).toBeDefined();
      expect(op!.requestBody?.content["application/json"]?.schema.$ref ?? null).toBe(
        body && `#/components/schemas/${body}`,
      );
      if (body)
        expect(Object.keys(op!.responses), `${method} ${path}`).toEqual(
          expect.arrayContaining(["400", "413", "415"]),
        );
    }
    expect(Object.keys(doc.paths["/api/productions"]!.post!.responses)).toContain("422");
    expect(
      doc.paths["/api/productions"]!.get!.responses["200"]!.content?.["application/json"]?.schema,
    ).toEqual({
      $ref: "#/components/schemas/ProductionList",
    });
    expect(Object.keys(doc.paths["/health"]!.get!.responses)).toEqual(["200", "503"]);
  });

  it("GET /api/tools lists the tool stack plans choose from", async () => {
    const res = await api.call("GET", "/api/tools");
    expect(res.status).toBe(200);
    const { tools } = await json<{ tools: Array<{ tool_id: string; status: string }> }>(res);
    expect(tools.length).toBeGreaterThan(0);
    for (const tool of tools) expect(["available", "candidate", "self_hosted"]).toContain(tool.status);
  });
});
