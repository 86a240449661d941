import { beforeEach, describe, expect, it } from "vitest";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../../src/domain/errors.js";
import type { ReviewStage } from "../../src/domain/production.js";
import { testBackends, useTestDb } from "../support/db.js";
import {
  admin,
  briefWithoutBudget,
  completeBrief,
  makeService,
  origin,
  owner,
  productionAt,
  seed,
  settled,
  stranger,
  types,
} from "./support.js";

describe.each(testBackends())("production service (%s)", (backend) => {
  const db = useTestDb(backend);
  beforeEach(() => seed(db()));

  describe("the happy path", () => {
    it("goes draft → clarifying → scripting → … → approved, one event trail", async () => {
      const rt = makeService(db());
      const started = await rt.service.start(briefWithoutBudget(), origin);
      expect(started).toMatchObject({ stage: "clarifying", version: 1, owner_id: "U_OWNER", script: null });
      expect(started.questions.map((q) => q.id)).toContain("budget");

      const answered = await rt.service.answer(started.id, { budget: "$25" }, owner);
      expect(answered.stage).toBe("clarifying"); // other questions still open
      expect(answered.answers).toEqual({ budget: "$25" });

      const scripting = await rt.service.skipQuestions(started.id, owner);
      expect(scripting.stage).toBe("scripting");
      expect(scripting.vrd.constraints.max_cost_usd).toBe(25);

      let p = await settled(rt, started.id);
      expect(p.stage).toBe("script_review");
      expect(p.script?.beats.length).toBeGreaterThan(0);

      p = await rt.service.approve(p.id, "script_review", owner, p.version);
      expect(p.stage).toBe("shooting");
      p = await settled(rt, p.id);
      expect(p.stage).toBe("shots_review");
      expect(p.shot_list?.shots.length).toBeGreaterThan(0);

      p = await rt.service.approve(p.id, "shots_review", owner, p.version);
      expect(p.stage).toBe("planning");
      p = await settled(rt, p.id);
      expect(p.stage).toBe("plan_review");
      expect(p.plan?.shot_plans).toHaveLength(p.shot_list!.shots.length);

      p = await rt.service.approve(p.id, "plan_review", owner, p.version);
      expect(p.stage).toBe("approved");

      const events = await rt.service.events(p.id);
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
      expect(types(events)).toEqual([
        "created",
        "questions",
        "answered",
        "answered",
        "stage_started",
        "progress",
        "stage_completed",
        "approved",
        "stage_started",
        "progress",
        "stage_completed",
        "approved",
        "stage_started",
        "progress",
        "stage_completed",
        "approved",
      ]);
      expect(events.map((e) => e.stage)).toEqual([
        "draft",
        "clarifying",
        "clarifying",
        "scripting",
        "scripting",
        "scripting",
        "script_review",
        "shooting",
        "shooting",
        "shooting",
        "shots_review",
        "planning",
        "planning",
        "planning",
        "plan_review",
        "approved",
      ]);
      expect(events[0]!.payload).toEqual({ title: completeBrief().title });
      expect(events[2]!.payload).toMatchObject({ answers: { budget: "$25" }, by: "Ana" });
      expect(events[2]!.actor).toBe("U_OWNER");
      expect(events[5]!.payload).toEqual({ message: "ScriptSmith is writing the script…" });
      expect(events[6]!.payload).toMatchObject({ stage: "scripting", usage: { calls: 0 } });
      expect(events[6]!.payload.duration_ms).toEqual(expect.any(Number));
      expect(events[7]!.payload).toEqual({ stage: "script_review", by: "Ana" });
      expect(p.usage.calls).toBe(0); // template mode
    });

    it("starts at scripting when the brief leaves nothing to ask", async () => {
      const rt = makeService(db());
      const p = await rt.service.start(completeBrief(), origin);
      expect(p.stage).toBe("scripting");
      expect(p.questions).toEqual([]);
      expect((await settled(rt, p.id)).stage).toBe("script_review");
    });

    it("returns the first production for a repeated request key", async () => {
      const rt = makeService(db());
      const [a, b] = await Promise.all([
        rt.service.start(completeBrief(), origin, { requestKey: "trigger-1" }),
        rt.service.start(completeBrief(), origin, { requestKey: "trigger-1" }),
      ]);
      const c = await rt.service.start(completeBrief(), origin, { requestKey: "trigger-1" });
      expect(b.id).toBe(a.id);
      expect(c.id).toBe(a.id);
      expect(await rt.service.list()).toHaveLength(1);
      await rt.runner.idle();
      expect(types(await rt.service.events(a.id)).filter((t) => t === "created")).toHaveLength(1);
    });
  });

  describe("illegal actions name the stage", () => {
    it("refuses approving or revising a stage the production is not in", async () => {
      const rt = makeService(db());
      const p = await rt.service.start(briefWithoutBudget(), origin);
      await expect(rt.service.approve(p.id, "script_review", owner)).rejects.toThrow(
        "Cannot approve the script now (stage clarifying): the clarifying questions are waiting for answers.",
      );
      await expect(rt.service.revise(p.id, "plan_review", { feedback: "cheaper" }, owner)).rejects.toThrow(
        /^Cannot revise the production plan now/,
      );
      await expect(rt.service.retry(p.id, owner)).rejects.toThrow(
        /^Cannot retry this production now \(stage clarifying\)/,
      );
      const error = await rt.service.approve(p.id, "shots_review", owner).catch((e) => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect(error.current).toMatchObject({ id: p.id, stage: "clarifying" });
    });

    it("refuses answers once the questions are answered, saying by whom", async () => {
      const rt = makeService(db());
      const p = await rt.service.start(briefWithoutBudget(), origin);
      await rt.service.skipQuestions(p.id, owner);
      await expect(rt.service.answer(p.id, { budget: "10" }, owner)).rejects.toThrow(
        /Already answered by Ana — the script is (being written|waiting for review)/,
      );
      await expect(rt.service.skipQuestions(p.id, owner)).rejects.toBeInstanceOf(ConflictError);
    });

    it("cancels from any non-final stage and never after", async () => {
      const rt = makeService(db());
      const clarifying = await rt.service.start(briefWithoutBudget(), origin);
      expect((await rt.service.cancel(clarifying.id, owner)).stage).toBe("cancelled");
      await expect(rt.service.cancel(clarifying.id, owner)).rejects.toThrow(
        "This production was cancelled by Ana.",
      );
      await expect(rt.service.approve(clarifying.id, "script_review", owner)).rejects.toThrow(
        /cancelled by Ana/,
      );

      const review = await productionAt(rt, "shots_review");
      expect((await rt.service.cancel(review.id, owner)).stage).toBe("cancelled");

      const approved = await productionAt(rt, "approved");
      await expect(rt.service.cancel(approved.id, owner)).rejects.toThrow(
        "Cannot cancel this production now (stage approved): the production plan is approved.",
      );
      const events = await rt.service.events(clarifying.id);
      expect(events.at(-1)).toMatchObject({ type: "cancelled", stage: "cancelled", payload: { by: "Ana" } });
    });

    it("unknown ids are NotFoundError, bad stages ValidationError", async () => {
      const rt = makeService(db());
      await expect(rt.service.get("prod_nope")).rejects.toBeInstanceOf(NotFoundError);
      await expect(rt.service.approve("prod_nope", "script_review", owner)).rejects.toBeInstanceOf(
        NotFoundError,
      );
      await expect(rt.service.events("prod_nope")).rejects.toBeInstanceOf(NotFoundError);
      const p = await rt.service.start(completeBrief(), origin);
      await expect(rt.service.approve(p.id, "scripting" as ReviewStage, owner)).rejects.toBeInstanceOf(
        ValidationError,
      );
    });
  });

  describe("answers", () => {
    it("a bad budget is a ValidationError naming the field, and changes nothing", async () => {
      const rt = makeService(db());
      const p = await rt.service.start(briefWithoutBudget(), origin);
      const error = await rt.service.answer(p.id, { budget: "lots" }, owner).catch((e) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.problems).toEqual([
        { field: "answers.budget", message: expect.stringMatching(/US dollars/) },
      ]);
      await expect(rt.service.answer(p.id, { mood: "sad" }, owner)).rejects.toThrow(
        /answers\.mood: no such question/,
      );
      expect(await rt.service.get(p.id)).toMatchObject({ version: 1, answers: {} });
    });

    it("answering every question starts the script with the answers applied", async () => {
      const rt = makeService(db());
      const p = await rt.service.start(briefWithoutBudget(), origin);
      const all = Object.fromEntries(p.questions.map((q) => [q.id, q.id === "budget" ? "40" : "default"]));
      const next = await rt.service.answer(p.id, all, owner);
      expect(next.stage).toBe("scripting");
      expect(next.vrd.constraints.max_cost_usd).toBe(40);
    });
  });

  describe("double approval", () => {
    it("the same Approve twice: one transition, then 'Already approved by …'", async () => {
      const rt = makeService(db());
      const p = await productionAt(rt, "script_review");
      await rt.service.approve(p.id, "script_review", owner, p.version);
      const error = await rt.service.approve(p.id, "script_review", admin, p.version).catch((e) => e);
      expect(error).toBeInstanceOf(ConflictError);
      // The shot list may already be written by the time the second click arrives (template mode).
      expect(error.message).toMatch(
        /^Already approved by Ana — the shot list is (being written|waiting for review)\.$/,
      );
      expect(error.current).toMatchObject({ id: p.id });
      const approvals = (await rt.service.events(p.id)).filter((e) => e.type === "approved");
      expect(approvals).toHaveLength(1);
    });

    it("two concurrent approves: exactly one wins", async () => {
      const rt = makeService(db());
      const p = await productionAt(rt, "shots_review");
      const results = await Promise.allSettled([
        rt.service.approve(p.id, "shots_review", owner, p.version),
        rt.service.approve(p.id, "shots_review", admin, p.version),
        rt.service.approve(p.id, "shots_review", owner),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const losers = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(losers).toHaveLength(2);
      for (const l of losers) {
        expect(l.reason).toBeInstanceOf(ConflictError);
        expect(l.reason.message).toMatch(/^Already approved by (Ana|Cy) — /);
      }
      await rt.runner.idle();
      const events = await rt.service.events(p.id);
      expect(events.filter((e) => e.type === "approved" && e.payload.stage === "shots_review")).toHaveLength(
        1,
      );
      expect(
        events.filter((e) => e.type === "stage_completed" && e.payload.stage === "planning"),
      ).toHaveLength(1);
    });

    it("a button from before a revision is stale", async () => {
      const rt = makeService(db());
      const seen = await productionAt(rt, "script_review");
      await rt.service.revise(seen.id, "script_review", { feedback: "Make beat 3 punchier" }, owner);
      await expect(rt.service.approve(seen.id, "script_review", owner, seen.version)).rejects.toThrow(
        /Already sent back for changes by Ana — the script is being written|This script has changed since you saw it/,
      );
      await rt.runner.idle();
      await expect(rt.service.approve(seen.id, "script_review", owner, seen.version)).rejects.toThrow(
        /This script has changed since you saw it/,
      );
    });
  });

  describe("revise loops", () => {
    it("script: back to scripting, then a new version keeping untouched beats", async () => {
      const rt = makeService(db());
      const p = await productionAt(rt, "script_review");
      const sent = await rt.service.revise(
        p.id,
        "script_review",
        { feedback: "Make beat 3 punchier" },
        owner,
        p.version,
      );
      expect(sent.stage).toBe("scripting");
      const revised = await settled(rt, p.id);
      expect(revised.stage).toBe("script_review");
      expect(revised.script!.version).toBe(p.script!.version + 1);
      const before = p.script!.beats;
      const after = revised.script!.beats;
      expect(after.map((b) => b.id)).toEqual(before.map((b) => b.id));
      for (const i of before.keys()) if (i !== 2) expect(after[i]!.audio).toEqual(before[i]!.audio);
      const events = await rt.service.events(p.id);
      expect(events.find((e) => e.type === "revised")).toMatchObject({
        stage: "scripting",
        payload: { stage: "script_review", feedback: "Make beat 3 punchier", by: "Ana" },
      });
      expect(events.filter((e) => e.type === "progress").at(-1)!.payload.message).toBe(
        "ScriptSmith is revising the script…",
      );
    });

    it("shots: only the named shots change", async () => {
      const rt = makeService(db());
      const p = await productionAt(rt, "shots_review");
      const first = p.shot_list!.shots[0]!;
      await rt.service.revise(p.id, "shots_review", { feedback: "low angle", shotIds: [first.id] }, owner);
      const revised = await settled(rt, p.id);
      expect(revised.stage).toBe("shots_review");
      expect(revised.shot_list!.version).toBe(2);
      expect(revised.shot_list!.shots[0]!.angle).toBe("low");
      expect(revised.shot_list!.shots.slice(1)).toEqual(p.shot_list!.shots.slice(1));
      expect(revised.script).toEqual(p.script); // a later artefact's change touches nothing earlier
    });

    it("plan: a pinned tool is used for that shot", async () => {
      const rt = makeService(db());
      const p = await productionAt(rt, "plan_review");
      const shot = p.plan!.shot_plans[0]!;
      const other = shot.alternatives[0]!.tool_id;
      await rt.service.revise(
        p.id,
        "plan_review",
        { feedback: "", pinTool: { shotId: shot.shot_id, toolId: other } },
        owner,
        p.version,
      );
      const revised = await settled(rt, p.id);
      expect(revised.stage).toBe("plan_review");
      expect(revised.plan!.version).toBe(2);
      expect(revised.plan!.shot_plans[0]!.tool_id).toBe(other);
      expect(revised.plan!.revisions?.pinned).toEqual({ [shot.shot_id]: other });
      expect(revised.shot_list).toEqual(p.shot_list);
    });

    it("a revision naming what does not exist is refused before anything changes", async () => {
      const rt = makeService(db());
      const p = await productionAt(rt, "plan_review");
      const error = await rt.service
        .revise(p.id, "plan_review", { feedback: "", pinTool: { shotId: "S99", toolId: "nope" } }, owner)
        .catch((e) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.problems.map((x: { field: string }) => x.field)).toEqual([
        "pinTool.shotId",
        "pinTool.toolId",
      ]);
      await expect(rt.service.revise(p.id, "plan_review", { feedback: "  " }, owner)).rejects.toThrow(
        /feedback/,
      );
      expect((await rt.service.get(p.id)).version).toBe(p.version);
    });

    it("a pin the tool cannot honour, or a retired tool, is refused up front, not failed in planning", async () => {
      const rt = makeService(db());
      const p = await productionAt(rt, "plan_review");
      const shotId = p.plan!.shot_plans[0]!.shot_id;
      const refusal = (toolId: string) =>
        rt.service
          .revise(p.id, "plan_review", { feedback: "", pinTool: { shotId, toolId } }, owner)
          .catch((e) => e);
      // An aggregator and a step tool exist in the tool stack but cannot generate a shot.
      for (const toolId of ["fal-ai", "flux-1-dev"]) {
        const error = await refusal(toolId);
        expect(error).toBeInstanceOf(ValidationError);
        expect(error.problems[0]).toMatchObject({ field: "pinTool.toolId" });
        expect(error.problems[0].message).toMatch(toolId);
      }
      const retired = await refusal("openai-sora-2");
      expect(retired.problems[0].field).toBe("pinTool.toolId");
      expect(retired.problems[0].message).toMatch(/is retired/);
      const still = await rt.service.get(p.id);
      expect(still.stage).toBe("plan_review");
      expect(still.version).toBe(p.version);
    });

    it("plan-only fields on an earlier review are refused instead of silently ignored", async () => {
      const rt = makeService(db());
      const p = await productionAt(rt, "script_review");
      const error = await rt.service
        .revise(
          p.id,
          "script_review",
          { feedback: "shorter", shotIds: ["S01"], pinTool: { shotId: "S01", toolId: "luma-ray2" } },
          owner,
        )
        .catch((e) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.problems.map((x: { field: string }) => x.field)).toEqual(["pinTool", "shotIds"]);
      expect((await rt.service.get(p.id)).version).toBe(p.version);
    });
  });

  describe("authorisation", () => {
    it("the owner may act; a stranger is refused politely and nothing changes", async () => {
      const rt = makeService(db());
      const p = await productionAt(rt, "script_review");
      const error = await rt.service.approve(p.id, "script_review", stranger).catch((e) => e);
      expect(error).toBeInstanceOf(ForbiddenError);
      expect(error.message).toBe(
        "Only <@U_OWNER> or someone they allowed can approve this production. A workspace admin can allow more people.",
      );
      await expect(
        rt.service.revise(p.id, "script_review", { feedback: "x" }, stranger),
      ).rejects.toBeInstanceOf(ForbiddenError);
      await expect(rt.service.cancel(p.id, stranger)).rejects.toBeInstanceOf(ForbiddenError);
      // Same user id on another platform is somebody else.
      await expect(rt.service.cancel(p.id, { ...owner, platform: "discord" })).rejects.toBeInstanceOf(
        ForbiddenError,
      );
      expect((await rt.service.get(p.id)).version).toBe(p.version);
      expect((await rt.service.approve(p.id, "script_review", owner)).stage).toBe("shooting");
    });

    it("a privileged member of the workspace may act, one of another workspace may not", async () => {
      const rt = makeService(db());
      const p = await productionAt(rt, "script_review");
      await expect(rt.service.cancel(p.id, { ...admin, workspace_id: "T2" })).rejects.toBeInstanceOf(
        ForbiddenError,
      );
      const done = await rt.service.approve(p.id, "script_review", admin);
      expect(done.stage).toBe("shooting");
      const approved = (await rt.service.events(p.id)).find((e) => e.type === "approved");
      expect(approved).toMatchObject({ actor: "U_ADMIN", payload: { by: "Cy" } });
    });

    it("a member an admin allowed may act until revoked; only admins may allow", async () => {
      const rt = makeService(db());
      const p = await rt.service.start(briefWithoutBudget(), origin);
      await expect(rt.service.allowApprover("T1", stranger.user_id, owner)).rejects.toThrow(
        /Only a workspace admin can change who may approve/,
      );
      await rt.service.allowApprover("T1", stranger.user_id, admin);
      expect(await rt.service.listApprovers("slack", "T1")).toMatchObject([
        { user_id: "U_OTHER", allowed_by: "U_ADMIN" },
      ]);
      const answered = await rt.service.answer(p.id, { budget: "30" }, stranger);
      expect(answered.answers).toEqual({ budget: "30" });
      expect(await rt.service.revokeApprover("T1", stranger.user_id, admin)).toBe(true);
      await expect(rt.service.skipQuestions(p.id, stranger)).rejects.toBeInstanceOf(ForbiddenError);
    });
  });

  it("lists productions by origin, owner and stage, newest first", async () => {
    const rt = makeService(db());
    const a = await rt.service.start(briefWithoutBudget(), origin);
    const b = await rt.service.start(briefWithoutBudget(), {
      ...origin,
      channel_id: "C2",
      user_id: "U_OTHER",
    });
    await rt.service.start(briefWithoutBudget(), { ...origin, platform: "discord", workspace_id: "G1" });
    expect(
      (await rt.service.list({ platform: "slack", workspace_id: "T1" })).map((p) => p.id).sort(),
    ).toEqual([a.id, b.id].sort());
    expect((await rt.service.list({ channel_id: "C2" })).map((p) => p.id)).toEqual([b.id]);
    expect((await rt.service.list({ owner_id: "U_OWNER", platform: "slack" })).map((p) => p.id)).toEqual([
      a.id,
    ]);
    await rt.service.cancel(a.id, owner);
    expect((await rt.service.list({ stage: ["cancelled"] })).map((p) => p.id)).toEqual([a.id]);
    expect(await rt.service.list({ limit: 1 })).toHaveLength(1);
  });
});
