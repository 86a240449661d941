import { describe, expect, it } from "vitest";
import {
  generateShotList,
  readChange,
  reviseShots,
  validateShotList,
} from "../../../src/agents/shotmaster/index.js";
import { ValidationError } from "../../../src/domain/index.js";
import { coffeeScript, coffeeVrd, PRIYA } from "./fixtures.js";
import { goodReply, stubLlm } from "./stub-llm.js";

const opts = { script: coffeeScript, vrd: coffeeVrd, now: () => new Date("2026-11-03T09:00:00Z") };
const original = await generateShotList(coffeeScript, coffeeVrd, {
  now: () => new Date("2026-11-02T09:00:00Z"),
});

describe("reviseShots", () => {
  it("changes only the named shot; every other shot keeps its id and content", async () => {
    const revised = await reviseShots(original, "S02 should be tighter, from a low angle, handheld", opts);
    expect(revised.version).toBe(2);
    expect(revised.metadata.created_at).toBe("2026-11-03T09:00:00.000Z");
    expect(revised.shots.map((s) => s.id)).toEqual(original.shots.map((s) => s.id));
    for (const [i, shot] of revised.shots.entries())
      if (shot.id !== "S02") expect(shot, shot.id).toEqual(original.shots[i]);
    const before = original.shots.find((s) => s.id === "S02")!;
    const after = revised.shots.find((s) => s.id === "S02")!;
    expect(before.size).toBe("MCU");
    expect(after).toMatchObject({ size: "CU", lens_mm: 85, angle: "low", movement: "handheld" });
    expect(after.duration_s).toBe(before.duration_s);
    expect(after.storyboard.prompt).toMatch(/^Close-up, low angle, handheld, 85 mm lens, 9:16\./);
    expect(after.storyboard.prompt).toContain(PRIYA);
    expect(validateShotList(revised, coffeeScript)).toEqual([]);
  });

  it("takes shot ids from the options over the feedback", async () => {
    const revised = await reviseShots(original, "golden hour, please", { ...opts, shotIds: ["S05", "S06"] });
    const changed = revised.shots.filter((s, i) => JSON.stringify(s) !== JSON.stringify(original.shots[i]));
    expect(changed.map((s) => s.id)).toEqual(["S05", "S06"]);
    for (const s of changed)
      expect(s.lighting).toMatchObject({ preset: "golden_hour", key_fill_ratio: "2:1" });
  });

  it("revises the shots of a named beat, or of a named character", async () => {
    const byBeat = await reviseShots(original, "beat 4 needs to be darker", opts);
    const b04 = original.shots.filter((s) => s.beat_id === "B04").map((s) => s.id);
    for (const [i, shot] of byBeat.shots.entries()) {
      if (b04.includes(shot.id)) expect(shot.lighting.preset).toBe("low_key");
      else expect(shot).toEqual(original.shots[i]);
    }
    const byName = await reviseShots(original, "Priya's shots should feel warmer", opts);
    for (const [i, shot] of byName.shots.entries()) {
      const was = original.shots[i]!;
      if (shot.subjects.includes("Priya"))
        expect(shot.lighting.color_temperature_k).toBeLessThan(was.lighting.color_temperature_k);
      else expect(shot).toEqual(was);
    }
  });

  it("keeps the continuity bible, so revised prompts still quote it", async () => {
    const revised = await reviseShots(original, "make everything wider", opts);
    expect(revised.continuity_bible).toEqual(original.continuity_bible);
    for (const shot of revised.shots)
      if (shot.subjects.includes("Priya")) expect(shot.storyboard.prompt).toContain(PRIYA);
  });

  it("says so when template mode finds nothing to change", async () => {
    const revised = await reviseShots(original, "S03 feels off somehow", opts);
    expect(revised.shots).toEqual(original.shots);
    expect(revised.metadata.warnings[0]).toMatch(/found no camera or lighting change/);
  });

  it("rejects unknown shot ids and empty feedback with field errors", async () => {
    await expect(reviseShots(original, "tighter", { ...opts, shotIds: ["S77"] })).rejects.toThrow(
      /shotIds: no such shot: S77/,
    );
    await expect(reviseShots(original, "  ", opts)).rejects.toBeInstanceOf(ValidationError);
  });

  it("asks the model once for the named shots and repairs its continuity", async () => {
    const llm = stubLlm((shots) => {
      const reply = goodReply(shots);
      for (const s of reply.shots) {
        s.prompt = "A woman in a cardigan, 9:16.";
        s.duration_s = 9;
      }
      return reply;
    });
    const revised = await reviseShots(original, "S01 and S02: more tension", { ...opts, llm });
    expect(llm.calls).toHaveLength(1);
    expect(revised.metadata).toMatchObject({ generator: "llm", model: "stub-model", usage: { calls: 1 } });
    for (const id of ["S01", "S02"]) {
      const shot = revised.shots.find((s) => s.id === id)!;
      expect(shot.description).toBe(`Model description of ${id}.`);
      expect(shot.storyboard.prompt).toContain(PRIYA);
      expect(shot.duration_s).toBe(original.shots.find((s) => s.id === id)!.duration_s);
    }
    expect(revised.shots.slice(2)).toEqual(original.shots.slice(2));
    expect(revised.metadata.repairs.join(" ")).toMatch(/continuity bible/);
  });

  it("reads camera and light changes from plain words", () => {
    expect(readChange("Make it a close-up with a slow push-in")).toMatchObject({
      size: "CU",
      movement: "push_in",
    });
    expect(readChange("wider and from above")).toMatchObject({ sizeStep: -1, angle: "high" });
    expect(readChange("moodier and cooler")).toMatchObject({
      lightingPreset: "low_key",
      temperatureShiftK: 800,
    });
    expect(readChange("nice")).toEqual({});
  });
});
