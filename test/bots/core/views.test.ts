import { describe, expect, it } from "vitest";
import { answerFromAction, decodeAction } from "../../../src/bots/core/actions.js";
import { errorView } from "../../../src/bots/core/error-view.js";
import { homeView } from "../../../src/bots/core/home-view.js";
import { planView } from "../../../src/bots/core/plan-view.js";
import { progressView } from "../../../src/bots/core/progress-view.js";
import { questionsView } from "../../../src/bots/core/questions-view.js";
import { resolvedView } from "../../../src/bots/core/resolved-view.js";
import { CANCEL_LABEL, rootCardAfter, rootCardView } from "../../../src/bots/core/root-card.js";
import { scriptView } from "../../../src/bots/core/script-view.js";
import { shotsView } from "../../../src/bots/core/shots-view.js";
import { type Button, type Element, plainText, type View } from "../../../src/bots/core/view.js";
import { ConflictError, ForbiddenError, UpstreamError, ValidationError } from "../../../src/domain/errors.js";
import type { ProductionEvent } from "../../../src/domain/production.js";
import { coffee, coffeeProduction, makeProduction, PRODUCTION_ID } from "./fixtures.js";

/** All text of a view, as a person would read it (ignoring platform markup). */
function textOf(view: View): string {
  const parts: string[] = [];
  const walk = (e: Element) => {
    if (e.type === "header") parts.push(e.text);
    if (e.type === "text" || e.type === "context") parts.push(plainText(e.spans));
    if (e.type === "fields") for (const f of e.fields) parts.push(f.label, plainText(f.value));
    if (e.type === "table")
      parts.push(e.columns.map((c) => c.label).join(" "), ...e.rows.map((r) => r.join(" ")));
    if (e.type === "actions")
      for (const i of e.items) parts.push(i.type === "button" ? i.label : i.placeholder);
  };
  view.elements.forEach(walk);
  if (view.resolved) parts.push(plainText(view.resolved.spans));
  return parts.join("\n");
}

const buttons = (view: View): Button[] =>
  view.elements.flatMap((e) =>
    e.type === "actions" ? e.items.filter((i): i is Button => i.type === "button") : [],
  );

describe("rootCardView", () => {
  it("shows title, duration, platform with its aspect ratio, the starter and the stage", () => {
    const text = textOf(rootCardView(makeProduction(coffee()), { startedByName: "Ana" }));
    expect(text).toContain("Ember & Oak — never run out");
    expect(text).toContain("30 s");
    expect(text).toContain("Instagram Reels (9:16)");
    expect(text).toContain("Ana");
    expect(text).toContain("Waiting for answers");
  });

  it("offers Cancel production (danger) until the production is approved or cancelled", () => {
    const open = rootCardView(makeProduction(coffee(), { stage: "script_review" }));
    const [cancel] = buttons(open);
    expect(cancel).toMatchObject({ label: CANCEL_LABEL, style: "danger" });
    expect(decodeAction(cancel!.id)).toMatchObject({ kind: "cancel", productionId: PRODUCTION_ID });
    for (const stage of ["approved", "cancelled"] as const)
      expect(buttons(rootCardView(makeProduction(coffee(), { stage })))).toEqual([]);
  });

  it("says who cancelled once cancelled, and is not redrawn without it by a later event", () => {
    const cancelled = makeProduction(coffee(), { stage: "cancelled" });
    const event = (type: string): ProductionEvent => ({
      seq: 9,
      production_id: cancelled.id,
      type,
      stage: "cancelled",
      actor: "U0ANA",
      payload: { by: "Ana", from: "script_review" },
      created_at: "2026-11-25T14:02:00.000Z",
    });
    const card = rootCardAfter(cancelled, event("cancelled"))!;
    expect(plainText(card.resolved!.spans)).toBe("✗ Cancelled by Ana at 14:02 UTC");
    expect(textOf(card)).toContain("Cancelled");
    expect(rootCardAfter(cancelled, event("stage_completed"))).toBeNull();
  });
});

describe("questionsView", () => {
  const production = makeProduction(coffee());

  it("offers each option as a button whose click answers with that option's value", () => {
    const view = questionsView(production, { threadReplies: true });
    const priyaSpeaks = buttons(view).find((b) => b.label === "Priya speaks")!;
    expect(answerFromAction(production, decodeAction(priyaSpeaks.id))).toEqual({
      audio_mode: "on_camera_dialogue",
    });
    const labels = buttons(view).map((b) => b.label);
    expect(labels).toContain("Answer all");
    expect(labels).toContain("Skip — use defaults");
    expect(labels.filter((l) => l === "You decide")).toHaveLength(2);
  });

  it("promises thread replies only where the platform delivers them", () => {
    const slack = textOf(questionsView(production, { threadReplies: true }));
    expect(slack).toContain("click an option, type a reply in this thread, or use Answer all");
    const discord = textOf(questionsView(production, { threadReplies: false }));
    expect(discord).toContain("click an option or use Answer all");
    expect(discord).not.toMatch(/reply in (this|the) thread/);
  });

  it("shows an answered question as answered, without its buttons", () => {
    const view = questionsView(
      { ...production, answers: { audio_mode: "voice_over" } },
      { threadReplies: true },
    );
    expect(textOf(view)).toContain("✓ Answered: VO only");
    expect(buttons(view).map((b) => b.label)).not.toContain("Priya speaks");
  });
});

describe("progressView", () => {
  it("reads as working, then done with numbers, then failed with a Retry", async () => {
    const done = await coffeeProduction();
    expect(textOf(progressView({ ...done, stage: "scripting" }, "script"))).toContain(
      "ScriptSmith is writing the script…",
    );
    const ready = textOf(progressView({ ...done, stage: "script_review" }, "script"));
    expect(ready).toMatch(/✓ Script ready — \d+ beats, 30 s/);
    const failed = progressView({ ...done, stage: "failed", error: "model timed out" }, "shots");
    expect(textOf(failed)).toContain("✗ ShotMaster could not finish");
    expect(textOf(failed)).toContain("model timed out");
    expect(decodeAction(buttons(failed)[0]!.id).kind).toBe("retry");
  });
});

describe("review views", () => {
  it("script view shows the logline, every beat with its time range and its A, L and T layers", async () => {
    const p = await coffeeProduction();
    const text = textOf(scriptView(p));
    expect(text).toContain(p.script!.logline);
    for (const beat of p.script!.beats) {
      expect(text).toContain(`${beat.id} · `);
      expect(text).toContain(`${beat.start_s.toFixed(1)}–${beat.end_s.toFixed(1)} s`);
      if (beat.audio.voice_over) expect(text).toContain(beat.audio.voice_over);
      expect(text).toContain(beat.look.action);
    }
  });

  it("shots view groups shots under their beat and shows the continuity bible", async () => {
    const p = await coffeeProduction();
    const view = shotsView(p);
    const text = textOf(view);
    const firstShot = p.shot_list!.shots[0]!;
    expect(text.indexOf(`Beat ${firstShot.beat_id}`)).toBeLessThan(text.indexOf(firstShot.id));
    expect(text).toContain(`${firstShot.lens_mm} mm`);
    expect(text).toContain("Continuity bible");
  });

  it("plan view says unknown for an unknown price, never $0.00, and totals against the budget", async () => {
    const p = await coffeeProduction();
    const plan = p.plan!;
    const sp = plan.shot_plans[0]!;
    const unpriced = {
      ...plan,
      shot_plans: [
        { ...sp, cost_usd: 0, cost_complete: false, steps: sp.steps.map((s) => ({ ...s, cost_usd: null })) },
        ...plan.shot_plans.slice(1),
      ],
    };
    const view = planView({ ...p, plan: unpriced });
    const table = view.elements.find((e) => e.type === "table")!;
    expect(table.type === "table" && table.rows[0]![2]).toBe("unknown");
    expect(textOf(view)).toContain("budget $20.00");
  });

  it("each review view ends with Approve, Revise and Download JSON carrying its stage", async () => {
    const p = await coffeeProduction();
    for (const [view, stage] of [
      [scriptView(p), "script_review"],
      [shotsView(p), "shots_review"],
      [planView(p), "plan_review"],
    ] as const) {
      const last = view.elements[view.elements.length - 1]!;
      expect(last.type).toBe("actions");
      const actions = buttons({ ...view, elements: [last] }).map((b) => decodeAction(b.id));
      expect(actions.map((a) => a.kind)).toEqual(["approve", "revise", "download"]);
      expect(actions.every((a) => a.stage === stage)).toBe(true);
      expect(actions[0]!.version).toBe(p.version);
    }
  });
});

describe("resolvedView", () => {
  it("keeps the body and swaps the buttons for who decided and when", async () => {
    const p = await coffeeProduction();
    const view = scriptView(p);
    const done = resolvedView(
      view,
      "approved",
      { user_id: "U1", display_name: "Ana" },
      new Date("2026-11-25T14:02:00Z"),
    );
    expect(buttons(done)).toHaveLength(0);
    expect(done.elements).toEqual(view.elements.filter((e) => e.type !== "actions"));
    expect(plainText(done.resolved!.spans)).toBe("✓ Approved by Ana at 14:02 UTC");
    const revised = resolvedView(
      view,
      "revision_requested",
      { user_id: "U2" },
      new Date("2026-11-25T09:30:00Z"),
    );
    expect(plainText(revised.resolved!.spans)).toBe("↺ Revision requested by U2 at 09:30 UTC");
  });
});

describe("errorView", () => {
  it("lists every invalid field in plain words, without a pointless Retry", () => {
    const view = errorView(
      new ValidationError(
        [
          { field: "duration_seconds", message: "must be between 5 and 600, got 0" },
          { field: "key_messages", message: "must have at least 1 item" },
        ],
        "VRD",
      ),
      { productionId: "p1" },
    );
    const text = textOf(view);
    expect(text).toContain("duration_seconds: must be between 5 and 600, got 0");
    expect(text).toContain("key_messages");
    expect(buttons(view)).toHaveLength(0);
  });

  it("offers Retry when an upstream service is briefly unavailable", () => {
    const view = errorView(new UpstreamError("503 from the model", "OpenAI"), {
      productionId: "p1",
      version: 3,
    });
    expect(textOf(view)).toContain("OpenAI is not answering right now");
    expect(decodeAction(buttons(view)[0]!.id)).toMatchObject({
      kind: "retry",
      productionId: "p1",
      version: 3,
    });
  });

  it("explains a double click as already handled, naming where the production is now", () => {
    const view = errorView(new ConflictError("the script was already approved", { stage: "shooting" }), {
      productionId: "p1",
    });
    expect(textOf(view)).toContain("Already handled: the script was already approved");
    expect(textOf(view)).toContain("Breaking the script into shots");
    expect(buttons(view)).toHaveLength(0);
  });
});

describe("errorView for a refusal", () => {
  const mentions = (view: View) =>
    view.elements.flatMap((e) => (e.type === "text" ? e.spans.filter((s) => s.mention) : []));

  it("builds the sentence from the refusal, the owner as a mention, and never offers Retry", () => {
    const error = new ForbiddenError("Only <@U0OWNER> or someone they allowed can cancel this production.", {
      owner_id: "U0OWNER",
      action: "cancel",
    });
    const view = errorView(error, { productionId: "p1", version: 2 });
    expect(textOf(view)).toContain(
      "Not yours to decide. Only U0OWNER or someone they allowed can cancel this production.",
    );
    expect(mentions(view)).toEqual([expect.objectContaining({ mention: "U0OWNER" })]);
    expect(textOf(view)).not.toContain("<@");
    expect(buttons(view)).toEqual([]);
  });

  it("makes the <@id> of a plain refusal message a mention, the rest escaped text", () => {
    const view = errorView(new ForbiddenError("Only <@123456789012345678> can approve this production."));
    expect(mentions(view).map((s) => s.mention)).toEqual(["123456789012345678"]);
    expect(textOf(view)).toBe("🔒 Only 123456789012345678 can approve this production.");
  });
});

describe("homeView", () => {
  it("lists productions newest first with their state, and says when some are not shown", () => {
    const older = makeProduction(coffee({ title: "Older one" }), {
      id: "a",
      updated_at: "2026-11-01T00:00:00Z",
      stage: "approved",
    });
    const newer = makeProduction(coffee({ title: "Newer one" }), {
      id: "b",
      updated_at: "2026-11-20T00:00:00Z",
    });
    const text = textOf(homeView([older, newer]));
    expect(text.indexOf("Newer one")).toBeLessThan(text.indexOf("Older one"));
    expect(text).toContain("Approved");
    expect(textOf(homeView([older, newer], { limit: 1 }))).toContain("1 older productions not shown");
    expect(textOf(homeView([]))).toContain("/vrd");
  });
});
