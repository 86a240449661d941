import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateAltBeats } from "../../../src/agents/scriptsmith/index.js";
import { designLighting, generateShotList } from "../../../src/agents/shotmaster/index.js";
import { sharedLookFragments } from "../../../src/agents/shotmaster/look.js";
import { parseVrdText } from "../../../src/domain/index.js";

/**
 * The template script repeats the film's tone and style in every beat; the shot list must still light
 * and describe each beat by its own emotion and purpose, while the people and products stay the same.
 */
const vrd = parseVrdText(
  readFileSync(join(import.meta.dirname, "../../../examples/product-launch-30s.yaml"), "utf8"),
);
const MAYA = vrd.characters[0]!.description;
const BOTTLE = vrd.products[0]!.description;

async function launchShots() {
  const script = await generateAltBeats(vrd, {}, {});
  return { script, list: await generateShotList(script, vrd) };
}

describe("per-beat look in template mode", () => {
  it("lights each beat by its emotion, not by the tone every beat shares", async () => {
    const { script, list } = await launchShots();
    const presetOf = (part: string) => {
      const beat = script.beats.find((b) => b.parts.includes(part as never))!;
      return list.shots.filter((s) => s.beat_id === beat.id).map((s) => s.lighting.preset);
    };
    expect(presetOf("need")).toContain("low_key"); // frustration
    expect(presetOf("find")).toContain("high_key"); // delight
    expect(presetOf("need")).not.toEqual(presetOf("find"));
    const presets = new Set(list.shots.map((s) => s.lighting.preset));
    expect(presets.size).toBeGreaterThanOrEqual(4);
    const temperatures = new Set(list.shots.map((s) => s.lighting.color_temperature_k));
    expect(temperatures.size).toBeGreaterThanOrEqual(3);
  });

  it("writes the beat's own mood into prompts, never a bright tone on a low-key shot", async () => {
    const { list } = await launchShots();
    const lowKey = list.shots.filter((s) => s.lighting.preset === "low_key");
    expect(lowKey.length).toBeGreaterThan(0);
    for (const shot of lowKey) {
      expect(shot.storyboard.prompt).toMatch(
        /Low-key lighting \(moody, with deep shadows\).*frustration mood\./,
      );
      expect(shot.storyboard.prompt).not.toMatch(/bright, upbeat/);
    }
    const moods = new Set(list.shots.map((s) => /; ([^;]+) mood\./.exec(s.storyboard.prompt)?.[1]));
    expect(moods.size).toBeGreaterThanOrEqual(5);
  });

  it("keeps continuity while the light changes: the same Maya and the same bottle in every prompt", async () => {
    const { list } = await launchShots();
    for (const shot of list.shots) {
      if (shot.subjects.includes("Maya")) expect(shot.storyboard.prompt).toContain(MAYA);
      if (shot.props.includes("Tidewell Flow")) expect(shot.storyboard.prompt).toContain(BOTTLE);
    }
    expect(list.shots.filter((s) => s.subjects.includes("Maya")).length).toBeGreaterThanOrEqual(4);
  });

  it("opens a new location with people on an establishing shot, then goes closer within the beat", async () => {
    const { script, list } = await launchShots();
    // The opening beat brings Maya into the first location (the story stays there for "need").
    const opening = script.beats[0]!;
    expect(opening.look.characters).toContain("Maya");
    const shots = list.shots.filter((s) => s.beat_id === opening.id);
    expect(shots.length).toBeGreaterThanOrEqual(2);
    expect(["EWS", "WS"]).toContain(shots[0]!.size);
    expect(["MCU", "CU", "ECU", "MS"]).toContain(shots[1]!.size);
  });

  it("finds the fragments every beat shares and scores them only as house style", () => {
    const beat = (mood: string, setting = "Café; natural daylight, pops of teal") =>
      ({
        id: "B01",
        parts: ["you"],
        start_s: 0,
        end_s: 3,
        audio: { voice_over: null, dialogue: [], music: null, sfx: [] },
        look: { action: "She looks at her phone", setting, characters: [], mood },
        text: { on_screen: null, style: null },
        emotion: mood.split(",")[0]!,
        purpose: "story",
        key_messages: [],
        carries_cta: false,
      }) as const;
    const beats = [
      beat("calm, bright, clean, upbeat", "Kitchen; natural daylight, pops of teal"),
      beat("frustration, bright, clean, upbeat"),
      beat("joy, bright, clean, upbeat", "Park; natural daylight, pops of teal"),
    ];
    expect(sharedLookFragments(beats as never).sort()).toEqual(
      ["bright", "clean", "natural daylight", "pops of teal", "upbeat"].sort(),
    );
    const shared = sharedLookFragments(beats as never);
    // Read alone, "bright" wins high-key for a frustrated beat; as house style it no longer does.
    expect(designLighting(beats[1] as never).preset).toBe("high_key");
    expect(designLighting(beats[1] as never, { sharedLook: shared }).preset).toBe("low_key");
  });
});
