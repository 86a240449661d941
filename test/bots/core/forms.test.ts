import { describe, expect, it } from "vitest";
import { decodeAction } from "../../../src/bots/core/actions.js";
import {
  answersForm,
  answersFromValues,
  placeProblems,
  reviseForm,
  revisionFromValues,
  TONE_AND_CTA,
  vrdForm,
  vrdFormFromValues,
} from "../../../src/bots/core/forms.js";
import { USE_DEFAULT } from "../../../src/domain/clarify.js";
import { ValidationError } from "../../../src/domain/errors.js";
import { vrdFromForm } from "../../../src/domain/vrd.js";
import { coffee, makeProduction } from "./fixtures.js";

describe("vrdForm", () => {
  it("Slack asks for every VRD field; Discord for the five its modal allows", () => {
    expect(vrdForm("slack").fields.map((f) => f.id)).toEqual([
      "title",
      "objective",
      "audience",
      "duration_seconds",
      "platform",
      "tone",
      "key_messages",
      "call_to_action",
      "max_cost_usd",
      "quality_priority",
      "deadline",
    ]);
    expect(vrdForm("discord").fields.map((f) => f.id)).toEqual([
      "title",
      "objective",
      "audience",
      "key_messages",
      TONE_AND_CTA,
    ]);
    expect(decodeAction(vrdForm("slack").id).kind).toBe("vrd_form");
  });

  it("pre-fills what the person typed before, so an error never loses their input", () => {
    const form = vrdForm("discord", { title: "Mine", tone: "warm", call_to_action: "Buy now" });
    expect(form.fields.find((f) => f.id === "title")!.initial).toBe("Mine");
    expect(form.fields.find((f) => f.id === TONE_AND_CTA)!.initial).toBe("warm\nBuy now");
  });
});

describe("vrdFormFromValues", () => {
  it("splits Discord's tone & call-to-action box and adds the command options", () => {
    const form = vrdFormFromValues(
      {
        title: "Ember & Oak",
        objective: "Sign-ups",
        key_messages: "Roasted to order\nPause anytime",
        [TONE_AND_CTA]: "warm, cozy\nStart your free bag\nat emberoak.example",
      },
      { duration_seconds: "30", platform: "instagram_reels" },
    );
    const vrd = vrdFromForm(form);
    expect(vrd.tone).toEqual(["warm", "cozy"]);
    expect(vrd.call_to_action).toBe("Start your free bag at emberoak.example");
    expect(vrd.key_messages).toEqual(["Roasted to order", "Pause anytime"]);
    expect(vrd.duration_seconds).toBe(30);
  });
});

describe("placeProblems", () => {
  it("puts each problem on the field that shows it, and keeps the rest named", () => {
    const error = new ValidationError([
      { field: "constraints.max_cost_usd", message: "must be greater than 0, got -5" },
      { field: "key_messages[1]", message: "must not be empty" },
      { field: "call_to_action", message: "must be at most 300 character(s)" },
      { field: "platform", message: "must be one of youtube, tiktok" },
    ]);
    const slack = placeProblems(error, vrdForm("slack"));
    expect(slack.byField.max_cost_usd).toBe("must be greater than 0, got -5");
    expect(slack.byField.key_messages).toBe("key_messages[1]: must not be empty");
    expect(slack.byField.platform).toMatch(/one of/);
    expect(slack.elsewhere).toEqual([]);
    const discord = placeProblems(error, vrdForm("discord"));
    expect(discord.byField[TONE_AND_CTA]).toMatch(/300/);
    expect(discord.elsewhere.map((p) => p.field)).toEqual(["constraints.max_cost_usd", "platform"]);
  });
});

describe("revise form", () => {
  const production = makeProduction(coffee(), { stage: "shots_review" });

  it("carries production, stage and version in its id and asks which shots for shots and plan", () => {
    const form = reviseForm(production, "shots_review");
    expect(decodeAction(form.id)).toMatchObject({
      kind: "revise",
      stage: "shots_review",
      version: production.version,
    });
    expect(form.fields.map((f) => f.id)).toEqual(["feedback", "shots"]);
    expect(reviseForm(production, "script_review").fields.map((f) => f.id)).toEqual(["feedback"]);
  });

  it("reads shot ids leniently and names the field at fault", () => {
    expect(revisionFromValues({ feedback: "warmer light", shots: "s03, S07 S03" }, "shots_review")).toEqual({
      feedback: "warmer light",
      shotIds: ["S03", "S07"],
    });
    expect(
      revisionFromValues({ feedback: "cheaper", max_cost_usd: "$25" }, "plan_review").constraints,
    ).toEqual({
      max_cost_usd: 25,
    });
    expect(() => revisionFromValues({ feedback: " ", shots: "shot three" }, "shots_review")).toThrow(
      /feedback: must not be empty; shots: not shot ids: shot, three/,
    );
  });
});

describe("answers form", () => {
  const production = makeProduction(coffee());

  it("has a menu for choice questions and a text box for free ones, and maps both back", () => {
    const form = answersForm(production);
    const menu = form.fields.find((f) => f.id === "audio_mode")!;
    expect(menu.kind).toBe("select");
    expect(form.fields.find((f) => f.id === "hero_product")!.kind).toBe("paragraph");
    const answers = answersFromValues(
      { audio_mode: menu.options![2]!.value, hero_product: "matte charcoal bag, copper logo" },
      production,
    );
    expect(answers).toEqual({ audio_mode: "music_only", hero_product: "matte charcoal bag, copper logo" });
    expect(answersFromValues({ audio_mode: "priya speaks", hero_product: USE_DEFAULT }, production)).toEqual({
      audio_mode: "on_camera_dialogue",
      hero_product: USE_DEFAULT,
    });
  });

  it("shows a bad answer on the question it answers", () => {
    const error = new ValidationError(
      [{ field: "answers.hero_product", message: "must not be empty" }],
      "answers",
    );
    const placed = placeProblems(error, answersForm(production));
    expect(placed.byField.hero_product).toBe("must not be empty");
    expect(placed.elsewhere).toEqual([]);
  });
});
