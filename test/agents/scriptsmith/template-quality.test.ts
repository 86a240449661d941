import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateAltBeats, validateScript } from "../../../src/agents/scriptsmith/index.js";
import type { Script } from "../../../src/domain/script.js";
import { parseVrdText, type Vrd } from "../../../src/domain/vrd.js";
import { coffee, examplesDir, fixedNow } from "./fixtures.js";

/** Template-mode output as a reader of the script sees it: spoken copy, places, logline, pacing. */
const opts = { now: fixedNow };
const RATE = 2.5;

/** An example brief at another length, with every key message kept (no clarifying step). */
function example(file: string, seconds?: number): Vrd {
  const text = readFileSync(join(examplesDir, file), "utf8");
  return parseVrdText(
    seconds ? text.replace(/^duration_seconds: .*$/m, `duration_seconds: ${seconds}`) : text,
  );
}

const spoken = (script: Script) =>
  script.beats.map((b) =>
    [b.audio.voice_over ?? "", ...b.audio.dialogue.map((d) => d.line)].join(" ").trim(),
  );
const words = (text: string) => text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
const settingOf = (script: Script, i: number) => script.beats[i]!.look.setting.split(/[:;]/)[0]!.trim();

describe("template copy in short videos", () => {
  it.each([5, 6, 8, 10, 12, 15])(
    "%i s: every spoken line is whole sentences; a key message or CTA that is not said is on screen",
    async (seconds) => {
      const vrd = example("product-launch-30s.yaml", seconds);
      const script = await generateAltBeats(vrd, {}, opts);
      expect(validateScript(script, vrd)).toEqual([]);
      for (const copy of spoken(script)) {
        if (!copy) continue;
        expect(copy).not.toContain("…");
        expect(copy).toMatch(/[.!?]$/);
      }
      for (const beat of script.beats) {
        const said = spoken({ ...script, beats: [beat] })[0]!;
        for (const km of beat.key_messages) {
          // Said whole, or shown whole: never a fragment of it.
          if (!said.includes(km)) expect(beat.text.on_screen, `${beat.id} shows "${km}"`).toContain(km);
          for (let n = 2; n < words(km); n++) {
            const start = km.split(/\s+/).slice(0, n).join(" ");
            if (said.includes(start)) expect(said, `${beat.id} says "${km}" whole`).toContain(km);
          }
        }
      }
      const last = script.beats.at(-1)!;
      expect(last.text.on_screen).toContain(vrd.call_to_action);
    },
  );
});

describe("template locations follow the story", () => {
  it("establishes the first location, moves once when the story moves, and comes back for the end card", async () => {
    for (const seconds of [8, 15, 30, 90]) {
      const script = await generateAltBeats(example("product-launch-30s.yaml", seconds), {}, opts);
      const places = script.beats.map((_, i) => settingOf(script, i));
      const changes = places.filter((p, i) => i > 0 && p !== places[i - 1]).length;
      expect(changes, `${seconds} s: ${places.join(" → ")}`).toBe(2);
      expect(places[0]).toBe("Home desk");
      expect(places.at(-1), "the end card is where the story started").toBe(places[0]);
      const back = script.beats.findIndex((b) => b.parts.includes("return"));
      expect(places[back]).toBe(places[0]);
    }
  });

  it("with three locations, visits the others in order without going back and forth", async () => {
    const vrd = coffee({
      locations: [
        { name: "Kitchen", description: "small apartment kitchen, white subway tiles" },
        { name: "Roastery", description: "drum roaster, burlap sacks, warm glow" },
        { name: "Doorstep", description: "apartment doorstep, a box on the mat" },
      ],
    });
    const script = await generateAltBeats(vrd, {}, opts);
    const places = script.beats.map((_, i) => settingOf(script, i));
    const runs = places.filter((p, i) => i === 0 || p !== places[i - 1]);
    expect(runs).toEqual(["Kitchen", "Roastery", "Doorstep", "Kitchen"]);
  });
});

describe("template logline", () => {
  it("is one sentence about who, what they struggle with, what changes and the payoff", async () => {
    const vrd = example("product-launch-30s.yaml");
    const { logline } = await generateAltBeats(vrd, {}, opts);
    expect(logline).not.toMatch(/template|beats?\b|story circle|key messages?/i);
    expect(logline.split(/[.!?](?:\s|$)/).filter(Boolean)).toHaveLength(1);
    expect(logline).toContain("Maya");
    expect(logline).toContain("forget to drink water"); // the audience's own problem
    expect(logline).toContain("Tidewell Flow");
    expect(logline.toLowerCase()).toContain(vrd.key_messages[0]!.toLowerCase());
  });

  it("follows the audience when the brief has no character", async () => {
    const vrd = example("brand-teaser-15s.yaml");
    const { logline } = await generateAltBeats(vrd, {}, opts);
    expect(logline).toMatch(/^Weekend hikers/);
    expect(logline).toContain("Northvale Ridge Parka");
    expect(logline.split(/[.!?](?:\s|$)/).filter(Boolean)).toHaveLength(1);
  });
});

describe("template pacing in long videos", () => {
  it.each([
    ["explainer-90s.yaml", 600],
    ["product-launch-30s.yaml", 600],
    ["explainer-90s.yaml", 300],
  ] as const)(
    "%s at %i s: beats of sensible length, filled with spoken copy from the brief",
    async (file, seconds) => {
      const vrd = example(file, seconds);
      const script = await generateAltBeats(vrd, {}, opts);
      expect(validateScript(script, vrd)).toEqual([]);
      const lengths = script.beats.map((b) => b.end_s - b.start_s);
      expect(Math.max(...lengths)).toBeLessThanOrEqual(15);
      expect(script.beats.length).toBeGreaterThanOrEqual(Math.ceil(seconds / 15));
      // Enough to fill the time at the speaking rate, with room to breathe: no dead air anywhere.
      expect(script.metadata.word_count).toBeGreaterThanOrEqual(0.5 * seconds * RATE);
      const copy = spoken(script);
      copy.forEach((c, i) => {
        expect(words(c), script.beats[i]!.id).toBeGreaterThanOrEqual(0.2 * lengths[i]! * RATE);
        if (i > 0) expect(c, `${script.beats[i]!.id} repeats the beat before`).not.toBe(copy[i - 1]);
      });
      // Nothing invented: every number said is one the brief gives.
      const brief = JSON.stringify(vrd);
      for (const n of copy.join(" ").match(/\d+/g) ?? []) expect(brief).toContain(n);
      // The middle of the story (how it works, the payoff, the objection) gets most of the beats.
      const middle = script.beats.filter((b) => b.parts.some((p) => ["search", "find", "take"].includes(p)));
      expect(middle.length).toBeGreaterThan(script.beats.length / 2);
    },
  );
});
