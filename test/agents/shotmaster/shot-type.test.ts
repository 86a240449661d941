import { describe, expect, it } from "vitest";
import {
  designLighting,
  determineShotType,
  generateShotList,
  shotLibrary,
  validateShotList,
} from "../../../src/agents/shotmaster/index.js";
import { shotTypeFor } from "../../../src/agents/shotmaster/library.js";
import type { Beat } from "../../../src/domain/index.js";
import { buildScript, coffeeScript, coffeeVrd } from "./fixtures.js";

const beatOf = (
  over: Partial<Beat["look"]> & { emotion?: string; purpose?: string; parts?: Beat["parts"] },
) =>
  buildScript([
    {
      parts: over.parts ?? ["search"],
      seconds: 6,
      action: over.action ?? "Priya reads the label",
      setting: over.setting ?? "Priya's kitchen",
      mood: over.mood ?? "curious",
      emotion: over.emotion ?? "curious",
      purpose: over.purpose ?? "learn",
      characters: over.characters ?? ["Priya"],
    },
  ]).beats[0]!;

describe("shot library", () => {
  it("is data: every size has a type with when-to-use and composition; every named preset exists", () => {
    const library = shotLibrary();
    const sizes = library.shot_types.map((t) => t.size).sort();
    expect(sizes).toEqual(["CU", "ECU", "EWS", "FS", "INSERT", "MCU", "MLS", "MS", "OTS", "POV", "WS"]);
    for (const t of library.shot_types) {
      expect(t.use_when.length).toBeGreaterThan(20);
      expect(t.composition.length).toBeGreaterThan(20);
    }
    const presets = library.lighting_presets.map((p) => p.id);
    expect(presets).toEqual(
      expect.arrayContaining([
        "three_point",
        "high_key",
        "low_key",
        "natural",
        "golden_hour",
        "silhouette",
        "practical_neon",
        "product_tabletop",
      ]),
    );
  });
});

describe("determineShotType", () => {
  it("opens a new location on an establishing shot", async () => {
    expect(["WS", "EWS"]).toContain(determineShotType(beatOf({}), { newLocation: true }).size);
    const list = await generateShotList(coffeeScript, coffeeVrd);
    const seen = new Set<string>();
    for (const shot of list.shots) {
      if (shot.location && !seen.has(shot.location)) {
        expect(["WS", "EWS"], `${shot.id} opens ${shot.location}`).toContain(shot.size);
        expect(shot.description).toMatch(/^Establishing/);
      }
      if (shot.location) seen.add(shot.location);
    }
  });

  it("picks by purpose and emotion: a face for a realisation, a cutaway for a phone screen", () => {
    const realisation = beatOf({
      action: "Priya smiles, relief on her face",
      emotion: "relief",
      parts: ["find"],
    });
    expect(determineShotType(realisation).size).toBe("CU");
    const phone = beatOf({ action: "Priya scrolls the app on her phone screen", parts: ["need"] });
    expect(["INSERT", "POV"]).toContain(determineShotType(phone).size);
    const talk = {
      ...beatOf({ action: "Priya talks to camera" }),
      audio: { voice_over: null, dialogue: [{ character: "Priya", line: "Hi." }], music: null, sfx: [] },
    };
    expect(determineShotType(talk).size).toBe("MCU");
    const noPeople = beatOf({ action: "Beans tumble in a roaster drum", characters: [] });
    expect(
      shotLibrary().shot_types.find((t) => t.size === determineShotType(noPeople).size)?.requires_character,
    ).toBe(false);
  });

  it("never runs the same size three times, unless the beat asks for it by name", () => {
    const beat = beatOf({ action: "Priya smiles, relief on her face", emotion: "relief", parts: ["find"] });
    const first = determineShotType(beat).size;
    expect(determineShotType(beat, { previousSizes: [first] }).size).toBe(first);
    expect(determineShotType(beat, { previousSizes: [first, first] }).size).not.toBe(first);
    const asked = beatOf({ action: "Extreme close-up on Priya's eyes", emotion: "relief" });
    expect(determineShotType(asked, { previousSizes: ["ECU", "ECU"] }).size).toBe("ECU");
  });

  it("keeps a whole sequence of near-identical beats free of triple repeats", async () => {
    const same = Array.from({ length: 8 }, () => ({
      parts: ["find" as const],
      seconds: 2,
      action: "Priya smiles, relief on her face",
      setting: "Priya's kitchen",
      mood: "warm",
      emotion: "relief",
      purpose: "payoff",
      characters: ["Priya"],
    }));
    const script = buildScript(same);
    const list = await generateShotList(script, coffeeVrd);
    const sizes = list.shots.map((s) => s.size);
    for (let i = 2; i < sizes.length; i++)
      expect(sizes[i] === sizes[i - 1] && sizes[i] === sizes[i - 2], sizes.join(" ")).toBe(false);
    expect(validateShotList(list, script)).toEqual([]);
  });

  it("does not repeat a size inside one beat", async () => {
    const list = await generateShotList(coffeeScript, coffeeVrd);
    for (const beat of coffeeScript.beats) {
      const sizes = list.shots.filter((s) => s.beat_id === beat.id).map((s) => s.size);
      expect(new Set(sizes).size, `${beat.id}: ${sizes.join(" ")}`).toBe(sizes.length);
    }
  });
});

describe("designLighting", () => {
  it("chooses the preset by the beat's words and takes colour temperature from the light described", () => {
    const dawn = designLighting(
      beatOf({
        setting: "Priya's kitchen at 6:58 AM, blue morning light",
        emotion: "frustrated",
        mood: "sleepy",
      }),
    );
    expect(dawn).toMatchObject({ preset: "low_key", key_fill_ratio: "4:1", color_temperature_k: 6500 });
    const sunset = designLighting(
      beatOf({ setting: "a rooftop at sunset", emotion: "nostalgic", mood: "warm" }),
    );
    expect(sunset).toMatchObject({ preset: "golden_hour", color_temperature_k: 3500 });
    const bar = designLighting(beatOf({ setting: "a neon bar at night", mood: "electric" }));
    expect(bar.preset).toBe("practical_neon");
    const joy = designLighting(
      beatOf({ setting: "a white studio", emotion: "joy", mood: "bright, playful", parts: ["find"] }),
    );
    expect(joy).toMatchObject({ preset: "high_key", key_fill_ratio: "1.5:1" });
    const backlit = designLighting(
      beatOf({ action: "Priya in silhouette against the window", mood: "mysterious" }),
    );
    expect(backlit.preset).toBe("silhouette");
  });

  it("lights a product insert as a tabletop packshot", async () => {
    const plain = beatOf({ action: "The bag stands on the counter", characters: [] });
    expect(designLighting(plain, { productShot: true }).preset).toBe("product_tabletop");
    const list = await generateShotList(coffeeScript, coffeeVrd);
    const productOnly = list.shots.filter(
      (s) => s.beat_id === "B08" && s.subjects.length === 0 && s.props.length > 0,
    );
    const packshots = productOnly.filter((s) => shotTypeFor(s.size).frames !== "scene");
    expect(packshots.length).toBeGreaterThan(0);
    for (const s of packshots) expect(s.lighting.preset).toBe("product_tabletop");
    // A wide of the room with the bag in it keeps the beat's own light (warm, like the example's end card).
    const wides = productOnly.filter((s) => shotTypeFor(s.size).frames === "scene");
    for (const s of wides) expect(s.lighting.preset, s.id).not.toBe("product_tabletop");
  });
});
