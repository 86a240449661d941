import { beforeEach, describe, expect, it } from "vitest";
import { UpstreamError } from "../../src/domain/errors.js";
import type { ProductionEvent } from "../../src/domain/production.js";
import { goodDraft } from "../agents/scriptsmith/fixtures.js";
import { testBackends, useTestDb } from "../support/db.js";
import {
  CALL_USAGE,
  completeBrief,
  gate,
  makeService,
  origin,
  owner,
  seed,
  settled,
  stubLlm,
  types,
} from "./support.js";

/** Resolves once `predicate` holds for an event of the production (polling the log). */
async function eventually(
  read: () => Promise<ProductionEvent[]>,
  predicate: (e: ProductionEvent) => boolean,
) {
  for (let i = 0; i < 200; i++) {
    if ((await read()).some(predicate)) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("event never came");
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(testBackends())("production runner (%s)", (backend) => {
  const db = useTestDb(backend);
  beforeEach(() => seed(db()));

  it("answers the caller before generating, and counts every model call's tokens", async () => {
    const paused = gate();
    const { llm } = stubLlm(async (request) => {
      if (request.name === "script_draft") {
        await paused.opened;
        return goodDraft();
      }
      return { shots: [] }; // ShotMaster keeps its template words for what the model leaves out
    });
    const rt = makeService(db(), { llm });
    const p = await rt.service.start(completeBrief(), origin);
    expect(p.stage).toBe("scripting"); // returned while the script is still being written
    await eventually(
      () => rt.service.events(p.id),
      (e) => e.type === "stage_started",
    );
    expect(rt.runner.running()).toBe(1);
    paused.open();
    let done = await settled(rt, p.id);
    expect(done.stage).toBe("script_review");
    expect(done.usage).toEqual(CALL_USAGE);

    await rt.service.approve(p.id, "script_review", owner);
    done = await settled(rt, p.id);
    expect(done.stage).toBe("shots_review");
    const events = await rt.service.events(p.id);
    const groups = events.filter((e) => e.type === "progress").map((e) => e.payload.message);
    expect(groups).toContain("ShotMaster: 1 of 4 beat groups done");
    expect(groups).toContain("ShotMaster: 4 of 4 beat groups done");
    expect(done.usage.calls).toBe(5);
    expect(done.usage.total_tokens).toBe(5 * CALL_USAGE.total_tokens);
    expect(events.filter((e) => e.type === "stage_completed").at(-1)!.payload.usage).toMatchObject({
      calls: 4,
    });
  });

  it("runs at most `concurrency` stages at once and reports the queue", async () => {
    const paused = gate();
    const { llm } = stubLlm(async () => {
      await paused.opened;
      return goodDraft();
    });
    const rt = makeService(db(), { llm, concurrency: 2 });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await rt.service.start(completeBrief(), origin)).id);
    await eventually(
      async () => (await Promise.all(ids.map((id) => rt.service.events(id)))).flat(),
      () => rt.runner.running() === 2,
    );
    expect(rt.runner.running()).toBe(2);
    expect(rt.runner.queueDepth()).toBe(3);
    paused.open();
    await rt.runner.idle();
    expect(rt.runner.queueDepth()).toBe(0);
    for (const id of ids) expect((await rt.service.get(id)).stage).toBe("script_review");
  });

  it("retries a transient failure and succeeds", async () => {
    const { llm, calls } = stubLlm((_, call) => {
      if (call === 1) throw new UpstreamError("the model server returned 503 (HTTP 503): busy", "llm", true);
      return goodDraft();
    });
    const rt = makeService(db(), { llm });
    const p = await rt.service.start(completeBrief(), origin);
    const done = await settled(rt, p.id);
    expect(done.stage).toBe("script_review");
    expect(calls()).toBe(2);
    const progress = (await rt.service.events(p.id))
      .filter((e) => e.type === "progress")
      .map((e) => e.payload.message);
    expect(progress).toContain(
      "ScriptSmith hit a problem (the model server returned 503 (HTTP 503): busy); trying again (attempt 2 of 2)…",
    );
  });

  it("fails with a message a person can act on; Retry runs the stage again", async () => {
    let down = true;
    const { llm } = stubLlm(() => {
      if (down) throw new UpstreamError("the model server returned 503 (HTTP 503): busy", "llm", true);
      return goodDraft();
    });
    const rt = makeService(db(), { llm });
    const p = await rt.service.start(completeBrief(), origin);
    const failed = await settled(rt, p.id);
    expect(failed.stage).toBe("failed");
    expect(failed.error).toBe(
      "ScriptSmith could not write the script: the model server returned 503 (HTTP 503): busy. Retry, or check OPENAI_BASE_URL.",
    );
    const event = (await rt.service.events(p.id)).at(-1)!;
    expect(event).toMatchObject({
      type: "failed",
      stage: "failed",
      payload: { stage: "scripting", message: failed.error, retryable: true },
    });

    down = false;
    const retried = await rt.service.retry(p.id, owner);
    expect(retried).toMatchObject({ stage: "scripting", error: null });
    const done = await settled(rt, p.id);
    expect(done.stage).toBe("script_review");
    expect(types(await rt.service.events(p.id)).slice(-5)).toEqual([
      "failed",
      "retried",
      "stage_started",
      "progress",
      "stage_completed",
    ]);
    await expect(rt.service.retry(p.id, owner)).rejects.toThrow(
      /Already retried by Ana — the script is waiting/,
    );
  });

  it("a stage that does not answer in time fails without waiting for the model", async () => {
    const { llm, calls } = stubLlm(() => new Promise(() => {}));
    const rt = makeService(db(), { llm, stageTimeoutMs: 40 });
    const p = await rt.service.start(completeBrief(), origin);
    const failed = await settled(rt, p.id);
    expect(calls()).toBe(2); // a timeout counts as transient: tried again once
    expect(failed.stage).toBe("failed");
    expect(failed.error).toBe(
      "The model server did not answer within 40 ms while ScriptSmith worked on the script. Retry, or check OPENAI_BASE_URL.",
    );
  });

  it("a stage that times out stops its model call instead of leaving it running", async () => {
    const signals: AbortSignal[] = [];
    const { llm } = stubLlm(
      (request) =>
        new Promise((_, reject) => {
          signals.push(request.signal!);
          request.signal!.addEventListener("abort", () => reject(request.signal!.reason));
        }),
    );
    const rt = makeService(db(), { llm, stageTimeoutMs: 40 });
    const p = await rt.service.start(completeBrief(), origin);
    expect((await settled(rt, p.id)).stage).toBe("failed");
    expect(signals).toHaveLength(2);
    expect(signals.every((s) => s.aborted)).toBe(true);
    expect(String(signals[0]!.reason)).toMatch(/40 ms/);
  });

  it("a failure that is not transient is not retried", async () => {
    const { llm, calls } = stubLlm(() => {
      throw new UpstreamError("the model server rejected the API key (HTTP 401): no", "llm", false);
    });
    const rt = makeService(db(), { llm });
    const p = await rt.service.start(completeBrief(), origin);
    const failed = await settled(rt, p.id);
    expect(calls()).toBe(1);
    expect(failed.error).toMatch(/Retry, or check OPENAI_API_KEY\.$/);
  });

  it("cancelling while a stage runs discards its result", async () => {
    const paused = gate();
    const { llm } = stubLlm(async () => {
      await paused.opened;
      return goodDraft();
    });
    const rt = makeService(db(), { llm });
    const p = await rt.service.start(completeBrief(), origin);
    await eventually(
      () => rt.service.events(p.id),
      (e) => e.type === "stage_started",
    );
    await rt.service.cancel(p.id, owner);
    paused.open();
    const after = await settled(rt, p.id);
    expect(after.stage).toBe("cancelled");
    expect(after.script).toBeNull();
    expect(types(await rt.service.events(p.id))).not.toContain("stage_completed");
  });

  it("resumes a stage a crashed process left, and completes it exactly once", async () => {
    const paused = gate();
    const slow = stubLlm(async () => {
      await paused.opened;
      return goodDraft();
    });
    const crashed = makeService(db(), { llm: slow.llm, leaseMs: 150, instanceId: "crashed" });
    const p = await crashed.service.start(completeBrief(), origin);
    await eventually(
      () => crashed.service.events(p.id),
      (e) => e.type === "stage_started",
    );
    await crashed.runner.stop({ abandon: true }); // the process dies mid-stage

    const next = makeService(db(), { instanceId: "next" });
    expect(await next.runner.resume()).toBe(0); // the dead process's lease has not expired yet
    await sleep(200);
    expect(await next.runner.resume()).toBe(1);
    const done = await settled(next, p.id);
    expect(done.stage).toBe("script_review");

    paused.open(); // the dead process's model call returns: it must write nothing
    await sleep(50);
    const events = await next.service.events(p.id);
    expect(types(events).filter((t) => t === "stage_completed")).toHaveLength(1);
    expect(events.filter((e) => e.type === "stage_started").map((e) => e.payload)).toEqual([
      { stage: "scripting", revision: false, resumed: false },
      { stage: "scripting", revision: false, resumed: true },
    ]);
    expect(events.filter((e) => e.type === "progress").map((e) => e.payload.message as string)).toContain(
      "ScriptSmith is writing the script again (the server restarted mid-way)…",
    );
    expect((await next.service.get(p.id)).version).toBe(done.version);
    expect(await next.runner.resume()).toBe(0);
  });

  it("two runners never run the same stage", async () => {
    const a = makeService(db(), { instanceId: "a" });
    const b = makeService(db(), { instanceId: "b" });
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await a.service.start(completeBrief(), origin)).id);
    await Promise.all([b.runner.resume(), a.runner.resume()]);
    await Promise.all([a.runner.idle(), b.runner.idle()]);
    for (const id of ids) {
      const events = await a.service.events(id);
      expect(types(events).filter((t) => t === "stage_completed")).toEqual(["stage_completed"]);
      expect(types(events).filter((t) => t === "stage_started")).toEqual(["stage_started"]);
    }
  });

  it("subscribers get every event once, in order", async () => {
    const rt = makeService(db());
    const seen: ProductionEvent[] = [];
    const unsubscribe = rt.service.subscribe((e) => seen.push(e));
    const p = await rt.service.start(completeBrief(), origin);
    await rt.runner.idle();
    await rt.service.approve(p.id, "script_review", owner);
    await rt.runner.idle();
    await rt.runner.stop(); // settles deliveries
    unsubscribe();
    expect(seen.map((e) => e.seq)).toEqual(seen.map((_, i) => i + 1));
    expect(seen).toEqual(await rt.service.events(p.id));
  });
});
