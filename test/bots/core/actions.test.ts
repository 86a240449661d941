import { describe, expect, it } from "vitest";
import {
  ACTION_KINDS,
  answerFromAction,
  type BotAction,
  decodeAction,
  encodeAction,
  MAX_ENCODED_ACTION,
} from "../../../src/bots/core/actions.js";
import { USE_DEFAULT } from "../../../src/domain/clarify.js";
import { ValidationError } from "../../../src/domain/errors.js";
import { PRODUCTION_ID, questions } from "./fixtures.js";

describe("encodeAction / decodeAction", () => {
  const samples: BotAction[] = [
    { kind: "approve", productionId: PRODUCTION_ID, stage: "script_review", version: 7 },
    { kind: "revise", productionId: PRODUCTION_ID, stage: "shots_review", version: 12 },
    { kind: "download", productionId: PRODUCTION_ID, stage: "plan_review" },
    { kind: "answer", productionId: PRODUCTION_ID, version: 3, questionId: "audio_mode", value: "2" },
    { kind: "answer", productionId: PRODUCTION_ID, questionId: "audio_mode", value: "default" },
    { kind: "answer_all", productionId: PRODUCTION_ID, version: 3 },
    { kind: "skip", productionId: PRODUCTION_ID, version: 3 },
    { kind: "retry", productionId: PRODUCTION_ID, version: 9 },
    { kind: "cancel", productionId: PRODUCTION_ID },
    { kind: "vrd_form" },
    { kind: "repost", productionId: PRODUCTION_ID },
  ];

  it("round-trips every kind of action exactly", () => {
    expect(new Set(samples.map((s) => s.kind))).toEqual(new Set(ACTION_KINDS));
    for (const action of samples) {
      const id = encodeAction(action);
      expect(decodeAction(id)).toEqual(action);
    }
  });

  it("fits Discord's 100-character custom_id even with the longest ids it accepts", () => {
    const id = encodeAction({
      kind: "answer",
      productionId: "p".repeat(36),
      version: 999_999,
      questionId: "q".repeat(40),
      value: "default",
    });
    expect(id.length).toBeLessThanOrEqual(MAX_ENCODED_ACTION);
    expect(decodeAction(id).questionId).toBe("q".repeat(40));
  });

  it("carries the version the user saw in Approve, so an old message can be told apart", () => {
    const old = decodeAction(
      encodeAction({ kind: "approve", productionId: "p1", stage: "plan_review", version: 4 }),
    );
    const fresh = decodeAction(
      encodeAction({ kind: "approve", productionId: "p1", stage: "plan_review", version: 5 }),
    );
    expect(old.version).toBe(4);
    expect(fresh.version).toBe(5);
  });

  it("refuses to encode what could not be decoded safely", () => {
    expect(() => encodeAction({ kind: "approve", productionId: "has:colon", stage: "plan_review" })).toThrow(
      ValidationError,
    );
    expect(() => encodeAction({ kind: "approve", productionId: "p1" })).toThrow(/stage/);
    expect(() =>
      encodeAction({ kind: "answer", productionId: "p1", questionId: "q", value: "VO only" }),
    ).toThrow(/option index/);
  });

  it.each([
    ["empty", ""],
    ["not a string", 42],
    ["foreign id", "approve_button"],
    ["wrong prefix", "gl9:ap:p1:s:1"],
    ["unknown kind", "gl1:zz:p1"],
    ["unknown stage", "gl1:ap:p1:x:1"],
    ["non-numeric version", "gl1:ap:p1:s:1e3"],
    ["missing stage", "gl1:ap:p1"],
    ["missing production", "gl1:rt"],
    ["missing question", "gl1:an:p1::3"],
    ["free text smuggled in the value", "gl1:an:p1::3:audio_mode:<!channel>"],
    ["extra parts", "gl1:ap:p1:s:1:::extra"],
    ["too long", `gl1:ap:${"p".repeat(200)}:s:1`],
    ["injection in the id", "gl1:ap:p1; DROP TABLE:s:1"],
  ])("decodes a forged or garbled id (%s) to a clear error, never a crash", (_why, id) => {
    expect(() => decodeAction(id)).toThrow(ValidationError);
    try {
      decodeAction(id);
    } catch (err) {
      expect((err as ValidationError).message).toMatch(/^Invalid (button|action)/);
    }
  });
});

describe("answerFromAction", () => {
  const production = { questions };

  it("maps an option index back to the option's full value", () => {
    const action = decodeAction(
      encodeAction({ kind: "answer", productionId: "p1", questionId: "audio_mode", value: "1" }),
    );
    expect(answerFromAction(production, action)).toEqual({ audio_mode: "on_camera_dialogue" });
  });

  it("maps the default button to the question's default marker", () => {
    const action = decodeAction(
      encodeAction({ kind: "answer", productionId: "p1", questionId: "hero_product", value: "default" }),
    );
    expect(answerFromAction(production, action)).toEqual({ hero_product: USE_DEFAULT });
  });

  it("rejects an index the question does not have and a question that is not asked", () => {
    expect(() =>
      answerFromAction(production, {
        kind: "answer",
        productionId: "p1",
        questionId: "audio_mode",
        value: "7",
      }),
    ).toThrow(/no option 7/);
    expect(() =>
      answerFromAction(production, { kind: "answer", productionId: "p1", questionId: "nope", value: "0" }),
    ).toThrow(/not asked/);
  });
});
