import { describe, expect, it } from "vitest";
import { ValidationError } from "../../src/domain/errors.js";
import { parseVrd, parseVrdText, resolvedAspectRatio, vrdFromForm } from "../../src/domain/vrd.js";

const good = {
  title: "Ember & Oak — never run out",
  objective: "Sign-ups for a coffee subscription",
  audience: "Urban professionals 25–40 who brew at home",
  duration_seconds: 30,
  platform: "instagram_reels",
  tone: ["warm", "cozy"],
  key_messages: ["Roasted to order", "Pause or skip anytime", "First bag free"],
  call_to_action: "Start your free bag at emberoak.example",
};

function problems(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).problems;
  }
  throw new Error("expected a ValidationError");
}

describe("VRD schema", () => {
  it("accepts a complete brief and fills defaults", () => {
    const vrd = parseVrd(good);
    expect(vrd.constraints.quality_priority).toBe("medium");
    expect(vrd.language).toBe("en");
    expect(resolvedAspectRatio(vrd)).toBe("9:16");
  });

  it("platform implies the aspect ratio unless one is given", () => {
    expect(resolvedAspectRatio(parseVrd({ ...good, platform: "youtube" }))).toBe("16:9");
    expect(resolvedAspectRatio(parseVrd({ ...good, platform: "linkedin" }))).toBe("1:1");
    expect(resolvedAspectRatio(parseVrd({ ...good, platform: "youtube", aspect_ratio: "1:1" }))).toBe("1:1");
  });

  it("reports every problem at once, each naming its field in plain words", () => {
    const found = problems(() =>
      parseVrd({ ...good, title: "", duration_seconds: 0, platform: "myspace", key_messages: [] }),
    );
    expect(found).toEqual(
      expect.arrayContaining([
        { field: "title", message: "must not be empty" },
        { field: "duration_seconds", message: "must be between 5 and 600, got 0" },
        expect.objectContaining({ field: "platform", message: expect.stringContaining('got "myspace"') }),
        { field: "key_messages", message: "must have at least 1 item, got 0 items" },
      ]),
    );
    expect(found).toHaveLength(4);
  });

  it("names nested fields with their path", () => {
    const found = problems(() =>
      parseVrd({
        ...good,
        key_messages: Array(11).fill("x"),
        constraints: { max_cost_usd: -5, quality_priority: "ultra" },
      }),
    );
    expect(found.map((p) => p.field).sort()).toEqual([
      "constraints.max_cost_usd",
      "constraints.quality_priority",
      "key_messages",
    ]);
    expect(found.find((p) => p.field === "constraints.max_cost_usd")?.message).toBe(
      "must be greater than 0, got -5",
    );
  });

  it("reads JSON and YAML text, and says plainly when it is neither", () => {
    expect(parseVrdText(JSON.stringify(good)).title).toBe(good.title);
    const yaml =
      "title: Teaser\nobjective: Awareness\nduration_seconds: 15\nplatform: tiktok\nkey_messages:\n  - New flavour\ntone: bold, playful\n";
    const vrd = parseVrdText(yaml);
    expect(vrd.tone).toEqual(["bold", "playful"]);
    expect(vrd.key_messages).toEqual(["New flavour"]);
    expect(problems(() => parseVrdText("{oops"))[0]?.message).toMatch(/not valid JSON or YAML/);
    expect(problems(() => parseVrdText("- a\n- b"))[0]?.message).toMatch(/object/);
  });

  it("takes the flat modal form with key messages one per line", () => {
    const vrd = vrdFromForm({
      title: "Launch",
      objective: "Pre-orders",
      duration_seconds: "30",
      platform: "TikTok",
      key_messages: "Fast\n\nCheap\n",
      max_cost_usd: "25",
    });
    expect(vrd.key_messages).toEqual(["Fast", "Cheap"]);
    expect(vrd.platform).toBe("tiktok");
    expect(vrd.constraints.max_cost_usd).toBe(25);
    expect(
      problems(() =>
        vrdFromForm({
          title: "x",
          objective: "y",
          duration_seconds: "abc",
          platform: "x",
          key_messages: "a",
        }),
      )[0],
    ).toEqual({
      field: "duration_seconds",
      message: 'must be a number, got "abc"',
    });
  });
});
