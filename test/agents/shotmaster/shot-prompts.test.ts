import { describe, expect, it } from "vitest";
import { generateAltBeats } from "../../../src/agents/scriptsmith/index.js";
import { generateShotList } from "../../../src/agents/shotmaster/index.js";
import { shotTypeFor } from "../../../src/agents/shotmaster/library.js";
import { parseVrd } from "../../../src/domain/index.js";
import { BAG, buildScript, coffeeVrd, KITCHEN, PRIYA } from "./fixtures.js";

/** Each shot's prompt says what that shot frames, while quoting the continuity bible. */
const script = buildScript([
  {
    parts: ["you", "need"],
    seconds: 7,
    action: "Priya shakes an empty coffee tin in the kitchen; then close on her sleepy frown",
    setting: "Priya's kitchen at 6:58 AM",
    mood: "sleepy",
    emotion: "frustrated",
    purpose: "introduce Priya and her problem",
    characters: ["Priya"],
  },
  {
    parts: ["go", "search", "find", "take", "return"],
    seconds: 8,
    action: "Close on the Ember & Oak coffee bag as Priya tears it open",
    setting: "Priya's kitchen",
    mood: "warm",
    emotion: "delight",
    purpose: "the answer",
    characters: ["Priya"],
  },
  {
    parts: ["change"],
    seconds: 5,
    action: "The bag on an oak table, end card",
    setting: "Priya's kitchen",
    mood: "warm",
    emotion: "resolve",
    purpose: "call to action",
    text: "Start your free bag at emberoak.example",
    textStyle: "end_card",
    cta: true,
  },
]);

/** The sentences of a prompt after its camera line and the bible's descriptions. */
const framingOf = (prompt: string) => prompt.replace(PRIYA, "").replace(BAG, "").replace(KITCHEN, "");

describe("shot prompts (template mode)", () => {
  it("never carries the beat's camera direction into a shot of another size", async () => {
    const list = await generateShotList(script, coffeeVrd);
    const wide = list.shots.filter((s) => shotTypeFor(s.size).frames === "scene");
    expect(wide.length).toBeGreaterThan(0);
    for (const shot of wide) {
      expect(framingOf(shot.storyboard.prompt), shot.id).not.toMatch(/close[\s-]?(on|up)/i);
      expect(shot.description, shot.id).not.toMatch(/\bclose on\b/i);
    }
  });

  it("gives each shot of a beat its own framing and, when the beat has two moments, its own moment", async () => {
    const list = await generateShotList(script, coffeeVrd);
    const b01 = list.shots.filter((s) => s.beat_id === "B01");
    expect(b01.length).toBeGreaterThanOrEqual(2);
    expect(b01[0]!.storyboard.prompt).toContain("shakes an empty coffee tin");
    expect(b01[0]!.storyboard.prompt).not.toContain("sleepy frown");
    expect(b01.at(-1)!.storyboard.prompt).toContain("sleepy frown");
    // Shots of one beat never read the same once the camera line is set aside.
    const bodies = b01.map((s) => s.storyboard.prompt.split(". ").slice(1).join(". "));
    expect(new Set(bodies).size).toBe(bodies.length);
  });

  it("keeps the continuity anchors in every prompt that shows them", async () => {
    const list = await generateShotList(script, coffeeVrd);
    for (const shot of list.shots) {
      if (shot.subjects.includes("Priya")) expect(shot.storyboard.prompt).toContain(PRIYA);
      if (shot.props.includes("Ember & Oak coffee bag")) expect(shot.storyboard.prompt).toContain(BAG);
      if (shot.location === "Priya's kitchen") expect(shot.storyboard.prompt).toContain(KITCHEN);
    }
  });

  it("template scripts reach the shot list without a close-up direction on wide shots", async () => {
    const vrd = parseVrd({
      ...coffeeVrd,
      locations: [
        { name: "Kitchen", description: KITCHEN },
        { name: "Café", description: "busy café, oak counter" },
      ],
    });
    const template = await generateAltBeats(vrd, {}, {});
    const list = await generateShotList(template, vrd);
    for (const shot of list.shots.filter((s) => shotTypeFor(s.size).frames === "scene"))
      expect(framingOf(shot.storyboard.prompt), shot.id).not.toMatch(/close[\s-]?(on|up)/i);
    // The story comes home for "return": the cut into it matches the opening image.
    const back = template.beats.find((b) => b.parts.includes("return"))!;
    const before = list.shots.filter((s) => s.beat_id < back.id).at(-1)!;
    expect(before.transition).toBe("match_cut");
  });
});
