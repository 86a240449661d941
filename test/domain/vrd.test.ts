import { describe, expect, it } from "vitest";
import { parseVrd, parseVrdText, resolvedAspectRatio, vrdFromForm } from "../../src/domain/vrd.js";
import { validationProblems } from "../support/problems.js";

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
    const found = validationProblems(() =>
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
    const found = validationProblems(() =>
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
    expect(validationProblems(() => parseVrdText("{oops"))[0]?.message).toMatch(/not valid JSON or YAML/);
    expect(validationProblems(() => parseVrdText("- a\n- b"))[0]?.message).toMatch(/object/);
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
      validationProblems(() =>
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

  it("normalises what a careless user types: durations, platform names, ratios, yes/no, $ amounts", () => {
    const seconds = (d: unknown) => parseVrd({ ...good, duration_seconds: d }).duration_seconds;
    expect([seconds("30s"), seconds("30 sec"), seconds("45 seconds"), seconds(" 30 ")]).toEqual([
      30, 30, 45, 30,
    ]);
    expect([seconds("1:30"), seconds("1m30s"), seconds("2 min"), seconds("1.5 minutes")]).toEqual([
      90, 90, 120, 90,
    ]);
    const platform = (p: string) => parseVrd({ ...good, platform: p }).platform;
    expect(platform("Instagram Reels")).toBe("instagram_reels");
    expect(platform("IG reels")).toBe("instagram_reels");
    expect(platform("YouTube")).toBe("youtube");
    expect(platform("YouTube Shorts")).toBe("youtube_shorts");
    expect(platform("Twitter")).toBe("x");
    const vrd = parseVrd({
      ...good,
      aspect_ratio: "9x16",
      captions: "yes",
      audio_mode: "Voice over",
      constraints: { max_cost_usd: "$1,200", quality_priority: "High" },
    });
    expect(vrd.aspect_ratio).toBe("9:16");
    expect(vrd.captions).toBe(true);
    expect(vrd.audio_mode).toBe("voice_over");
    expect(vrd.constraints).toMatchObject({ max_cost_usd: 1200, quality_priority: "high" });
    expect(parseVrd({ ...good, aspect_ratio: "square" }).aspect_ratio).toBe("1:1");
  });

  it("still rejects, naming the field and showing what was typed, what cannot be normalised", () => {
    expect(validationProblems(() => parseVrd({ ...good, duration_seconds: "half a minute" }))).toEqual([
      { field: "duration_seconds", message: 'must be a number, got "half a minute"' },
    ]);
    expect(validationProblems(() => parseVrd({ ...good, duration_seconds: "10:30" }))[0]).toEqual({
      field: "duration_seconds",
      message: "must be between 5 and 600, got 630",
    });
    expect(validationProblems(() => parseVrd({ ...good, platform: "MySpace" }))[0]?.message).toMatch(
      /must be one of youtube, .* got "MySpace"/,
    );
    expect(validationProblems(() => parseVrd({ ...good, aspect_ratio: "portrait" }))[0]?.field).toBe(
      "aspect_ratio",
    );
  });

  it("reads YAML indented with tabs, and says a list is not one VRD", () => {
    const yaml =
      "title: T\nobjective: O\nduration_seconds: 30s\nplatform: TikTok\nkey_messages:\n\t- Warm\n\t- Light\n";
    const vrd = parseVrdText(yaml);
    expect(vrd.key_messages).toEqual(["Warm", "Light"]);
    expect(vrd.duration_seconds).toBe(30);
    expect(validationProblems(() => parseVrdText(JSON.stringify([good])))).toEqual([
      { field: "", message: "must be one VRD (an object of fields), got a list of 1" },
    ]);
  });

  it("reads field names as people write them, and moves constraints written at the top level", () => {
    const yaml = [
      "Title: Ember & Oak",
      "Objective: Sign-ups",
      "Duration: 30s",
      "Platform: Instagram Reels",
      "Key Messages: [Roasted to order, First bag free]",
      "CTA: Start your free bag",
      "budget: $40",
      "deadline: 2026-12-20",
      "brand: { name: Ember & Oak, colours: [amber, cream] }",
      "constraints: { quality: high }",
    ].join("\n");
    const vrd = parseVrdText(yaml);
    expect(vrd).toMatchObject({
      title: "Ember & Oak",
      duration_seconds: 30,
      platform: "instagram_reels",
      key_messages: ["Roasted to order", "First bag free"],
      call_to_action: "Start your free bag",
      brand: { name: "Ember & Oak", colors: ["amber", "cream"] },
      constraints: { max_cost_usd: 40, deadline: "2026-12-20", quality_priority: "high" },
    });
  });

  it("refuses a misspelt field instead of dropping it, with the other problems, naming the likely field", () => {
    const found = validationProblems(() =>
      parseVrd({
        ...good,
        call_to_action: undefined,
        call_to_acton: "Buy now",
        duration_seconds: 0,
        constraints: { max_cost_usdd: 20 },
        characters: [{ name: "Maya", descripton: "barista" }],
      }),
    );
    expect(found).toEqual(
      expect.arrayContaining([
        { field: "call_to_acton", message: "unknown field; did you mean call_to_action?" },
        { field: "constraints.max_cost_usdd", message: "unknown field; did you mean max_cost_usd?" },
        { field: "characters[0].descripton", message: "unknown field; did you mean description?" },
        { field: "characters[0].description", message: "is required" },
        { field: "duration_seconds", message: "must be between 5 and 600, got 0" },
      ]),
    );
    expect(found).toHaveLength(5);
  });

  it("leaves unrelated extra fields alone (a brief may carry its own metadata)", () => {
    const vrd = parseVrd({ ...good, id: "brief-17", created_by: "ana", notes_for_legal: "ok" });
    expect(vrd.title).toBe(good.title);
    expect(vrd).not.toHaveProperty("created_by");
  });

  it("names a misspelt field inside an API body by its full path", () => {
    const found = validationProblems(() =>
      parseVrdText(JSON.stringify({ vrd: { ...good, audiance: "baristas" } })),
    );
    expect(found).toEqual([{ field: "audiance", message: "unknown field; did you mean audience?" }]);
  });
});
