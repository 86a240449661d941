import { describe, expect, it } from "vitest";
import { applyAnswers, askClarifyingQuestions, parseBudget } from "../../../src/agents/scriptsmith/index.js";
import { ClarifyingQuestion } from "../../../src/domain/clarify.js";
import { parseVrd } from "../../../src/domain/vrd.js";
import { validationProblems } from "../../support/problems.js";
import { coffee } from "./fixtures.js";

const sparse = parseVrd({
  title: "Spring sale",
  objective: "Sell more running shoes in the spring sale",
  duration_seconds: 15,
  platform: "tiktok",
  aspect_ratio: "16:9",
  key_messages: ["30% off all trail shoes", "Free returns", "Ends Sunday"],
});

describe("askClarifyingQuestions", () => {
  it("asks a sparse brief a short list, contradiction first, every question well-formed", () => {
    const qs = askClarifyingQuestions(sparse);
    expect(qs.length).toBeLessThanOrEqual(5);
    expect(qs.map((q) => q.id)).toEqual([
      "aspect_ratio",
      "key_messages",
      "audience",
      "call_to_action",
      "hero_product",
    ]);
    for (const q of qs) {
      expect(ClarifyingQuestion.parse(q)).toEqual(q);
      expect(q.options.length).toBeLessThanOrEqual(5);
      for (const o of q.options) expect(o.label.length).toBeLessThanOrEqual(75);
      expect(q.why.length).toBeGreaterThan(20);
    }
  });

  it("offers the platform's ratio, the written one and square when they contradict", () => {
    const q = askClarifyingQuestions(sparse).find((q) => q.id === "aspect_ratio")!;
    expect(q.field).toBe("aspect_ratio");
    expect(q.question).toContain("TikTok plays 9:16");
    expect(q.options.map((o) => o.value)).toEqual(["9:16", "16:9", "1:1"]);
    expect(q.default).toBe("9:16");
  });

  it("explains the seconds-per-message rule when there are too many key messages", () => {
    const q = askClarifyingQuestions(sparse).find((q) => q.id === "key_messages")!;
    expect(q.question).toMatch(/3 key messages in 15 s.*about 7 s per message.*takes in 2/);
    expect(q.options.map((o) => o.value)).toEqual(["keep_first", "keep_all", "extend"]);
  });

  it("asks the coffee brief only what it leaves open: who speaks, the product, style, captions", () => {
    const qs = askClarifyingQuestions(coffee());
    expect(qs.map((q) => q.id)).toEqual(["audio_mode", "hero_product", "style", "captions"]);
    const audio = qs[0]!;
    expect(audio.question).toBe("Does Priya speak on camera, or is all spoken copy voice-over?");
    expect(audio.why).toMatch(/lip-sync/);
    expect(audio.options.map((o) => o.value)).toEqual(["voice_over", "on_camera_dialogue", "music_only"]);
    expect(qs.find((q) => q.id === "captions")!.question).toMatch(/muted/);
  });

  it("asks nothing of a complete brief", () => {
    const complete = coffee({
      audio_mode: "voice_over",
      captions: true,
      style: "live-action, soft window light, shallow depth of field",
      products: [{ name: "The bag", description: "matte charcoal kraft coffee bag with a copper-foil logo" }],
    });
    expect(askClarifyingQuestions(complete)).toEqual([]);
  });

  it("asks for a budget when none is given, and about vague style", () => {
    const vrd = coffee({
      audio_mode: "voice_over",
      captions: true,
      style: "modern",
      products: [{ name: "Bag", description: "charcoal bag" }],
      constraints: {},
    });
    const qs = askClarifyingQuestions(vrd);
    expect(qs.map((q) => q.id)).toEqual(["style", "budget"]);
    expect(qs[0]!.question).toContain('"modern"');
    expect(qs[1]!.field).toBe("constraints.max_cost_usd");
  });
});

describe("applyAnswers", () => {
  it("applies option values, labels and free text", () => {
    const qs = askClarifyingQuestions(sparse);
    const vrd = applyAnswers(sparse, qs, {
      aspect_ratio: "9:16",
      key_messages: "1, 3",
      audience: "Trail runners 25–45 who race on weekends",
      call_to_action: "Shop the sale at stride.example",
      hero_product: "Orange trail shoe with a black sole and a white stripe",
    });
    expect(vrd.aspect_ratio).toBe("9:16");
    expect(vrd.key_messages).toEqual(["30% off all trail shoes", "Ends Sunday"]);
    expect(vrd.audience).toBe("Trail runners 25–45 who race on weekends");
    expect(vrd.call_to_action).toBe("Shop the sale at stride.example");
    expect(vrd.products).toEqual([
      { name: "Hero product", description: "Orange trail shoe with a black sole and a white stripe" },
    ]);
    const byLabel = applyAnswers(coffee(), askClarifyingQuestions(coffee()), {
      audio_mode: "Voice-over only",
    });
    expect(byLabel.audio_mode).toBe("voice_over");
  });

  it('"default" and unanswered questions take the question\'s default', () => {
    const qs = askClarifyingQuestions(sparse);
    const vrd = applyAnswers(sparse, qs, { aspect_ratio: "default" });
    expect(vrd.aspect_ratio).toBe("9:16");
    expect(vrd.key_messages).toHaveLength(2);
    expect(vrd.audience).toBe("General audience on TikTok");
    expect(vrd.call_to_action).toBe("Shop now");
    expect(vrd.products).toEqual([]);
  });

  it("reads a free-text budget", () => {
    const vrd = coffee({ constraints: {} });
    const qs = askClarifyingQuestions(vrd).filter((q) => q.id === "budget");
    expect(applyAnswers(vrd, qs, { budget: "$25" }).constraints.max_cost_usd).toBe(25);
    expect(applyAnswers(vrd, qs, { budget: "25 usd" }).constraints.max_cost_usd).toBe(25);
    expect(applyAnswers(vrd, qs, { budget: "USD 1,200.50" }).constraints.max_cost_usd).toBe(1200.5);
    expect(applyAnswers(vrd, qs, { budget: "default" }).constraints.max_cost_usd).toBeUndefined();
    expect(parseBudget("1.5k")).toBe(1500);
  });

  it("rejects a bad answer with an error naming the field", () => {
    const vrd = coffee({ constraints: {} });
    const budget = askClarifyingQuestions(vrd).filter((q) => q.id === "budget");
    const [p] = validationProblems(() => applyAnswers(vrd, budget, { budget: "lots of money" }));
    expect(p).toEqual({
      field: "answers.budget",
      message: expect.stringContaining('"lots of money"'),
    });
    expect(validationProblems(() => applyAnswers(vrd, budget, { budget: "-5" }))[0]!.field).toBe(
      "answers.budget",
    );

    const ratio = askClarifyingQuestions(sparse).filter((q) => q.id === "aspect_ratio");
    const [r] = validationProblems(() => applyAnswers(sparse, ratio, { aspect_ratio: "banana" }));
    expect(r).toEqual({ field: "answers.aspect_ratio", message: expect.stringContaining("9:16") });

    const captions = askClarifyingQuestions(coffee()).filter((q) => q.id === "captions");
    expect(validationProblems(() => applyAnswers(coffee(), captions, { captions: "maybe" }))[0]!.field).toBe(
      "answers.captions",
    );
  });
});
