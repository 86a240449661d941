import { describe, expect, it } from "vitest";
import {
  generateAltBeats,
  renderScriptMarkdown,
  validateScript,
} from "../../../src/agents/scriptsmith/index.js";
import { STORY_PARTS } from "../../../src/domain/script.js";
import { coffee, exampleVrds, fixedNow } from "./fixtures.js";

const opts = { now: fixedNow };

describe("template generator", () => {
  it("there are at least three example VRDs, and each yields a script that passes validation", async () => {
    const examples = exampleVrds();
    expect(examples.map((e) => e.file)).toEqual(
      expect.arrayContaining(["product-launch-30s.yaml", "explainer-90s.yaml", "brand-teaser-15s.yaml"]),
    );
    for (const { file, vrd } of examples) {
      const script = await generateAltBeats(vrd, {}, opts);
      expect(validateScript(script, vrd), file).toEqual([]);
      expect(script.metadata.warnings, file).toEqual([]);
    }
  });

  it.each([
    [5, 2, 3],
    [15, 4, 4],
    [30, 6, 8],
    [60, 8, 8],
    [120, 8, 16],
    [600, 40, 48],
  ])("%i s: valid, %i–%i beats, exact total, every part in order", async (seconds, minBeats, maxBeats) => {
    const vrd = coffee({ duration_seconds: seconds });
    const script = await generateAltBeats(vrd, {}, opts);
    expect(validateScript(script, vrd)).toEqual([]);
    expect(script.beats.length).toBeGreaterThanOrEqual(minBeats);
    expect(script.beats.length).toBeLessThanOrEqual(maxBeats);
    expect(script.beats.at(-1)!.end_s).toBe(seconds);
    expect(script.beats[0]!.start_s).toBe(0);
    for (let i = 1; i < script.beats.length; i++)
      expect(script.beats[i]!.start_s).toBe(script.beats[i - 1]!.end_s);
    expect([...new Set(script.beats.flatMap((b) => b.parts))]).toEqual([...STORY_PARTS]);
    for (const b of script.beats) expect(Math.round(b.end_s * 10)).toBeCloseTo(b.end_s * 10, 6);
  });

  it("says the key messages verbatim, puts them on screen and ends on the CTA", async () => {
    const vrd = coffee();
    const script = await generateAltBeats(vrd, {}, opts);
    for (const km of vrd.key_messages) {
      const beat = script.beats.find((b) => b.key_messages.includes(km))!;
      expect(beat.audio.voice_over).toContain(km);
      expect(beat.text.on_screen).toContain(km);
    }
    const last = script.beats.at(-1)!;
    expect(last.parts).toContain("change");
    expect(last.carries_cta).toBe(true);
    expect(last.text).toEqual({ on_screen: expect.stringContaining(vrd.call_to_action!), style: "end_card" });
    expect(last.audio.voice_over).toContain("Start your free bag at emberoak.example");
    expect(script.beats.filter((b) => b.carries_cta)).toHaveLength(1);
  });

  it("builds the Look layer from the brief's characters and tone", async () => {
    const script = await generateAltBeats(coffee(), {}, opts);
    expect(script.beats[0]!.look.characters).toEqual(["Priya"]);
    expect(script.beats[0]!.audio.voice_over).toBe("Meet Priya.");
    for (const b of script.beats) expect(b.look.mood).toContain("warm");
  });

  it("is labelled as template output with complete metadata", async () => {
    const vrd = coffee();
    const script = await generateAltBeats(vrd, {}, opts);
    // The label lives in the narrative and the metadata; the logline is the story's own.
    expect(script.narrative_md).toContain("not by a language model");
    expect(script.metadata).toMatchObject({
      generator: "template",
      model: null,
      platform: "instagram_reels",
      aspect_ratio: "9:16",
      language: "en",
      target_duration_s: 30,
      duration_s: 30,
      created_at: "2026-11-25T09:00:00.000Z",
      usage: { calls: 0, total_tokens: 0 },
    });
    expect(script.metadata.word_count).toBeGreaterThan(20);
  });

  it("is deterministic: same input, same script and id", async () => {
    const a = await generateAltBeats(coffee(), {}, opts);
    const b = await generateAltBeats(coffee(), {}, opts);
    expect(b).toEqual(a);
    expect(a.script_id).toMatch(/^scr_[0-9a-f]{12}$/);
    const other = await generateAltBeats(coffee({ title: "Another brief" }), {}, opts);
    expect(other.script_id).not.toBe(a.script_id);
    const named = await generateAltBeats(coffee(), {}, { ...opts, scriptId: "scr_given" });
    expect(named.script_id).toBe("scr_given");
  });

  it("trims copy to the speaking rate in very short videos", async () => {
    const vrd = coffee({ duration_seconds: 5 });
    const script = await generateAltBeats(vrd, {}, opts);
    expect(script.metadata.word_count).toBeLessThanOrEqual(Math.floor(5 * 2.5));
    expect(script.beats.at(-1)!.text.on_screen).toContain(vrd.call_to_action!);
  });

  it("respects the audio mode: music only moves copy on screen; on-camera puts it in dialogue", async () => {
    const music = await generateAltBeats(coffee({ audio_mode: "music_only" }), {}, opts);
    expect(music.metadata.word_count).toBe(0);
    expect(music.beats.every((b) => b.audio.voice_over === null && b.text.on_screen)).toBe(true);
    const dialogue = await generateAltBeats(coffee({ audio_mode: "on_camera_dialogue" }), {}, opts);
    expect(dialogue.beats.every((b) => b.audio.voice_over === null)).toBe(true);
    expect(dialogue.beats[0]!.audio.dialogue).toEqual([{ character: "Priya", line: "Meet Priya." }]);
    expect(validateScript(dialogue, coffee({ audio_mode: "on_camera_dialogue" }))).toEqual([]);
  });

  it("burns in captions where no super is shown when the brief asks for captions", async () => {
    const script = await generateAltBeats(coffee({ captions: true }), {}, opts);
    expect(script.beats[0]!.text).toEqual({ on_screen: "Meet Priya.", style: "caption" });
    const without = await generateAltBeats(coffee({ captions: false }), {}, opts);
    expect(without.beats[0]!.text.on_screen).toBeNull();
  });
});

describe("renderScriptMarkdown", () => {
  it("shows the logline, a row per beat with time range and layers, and the checks", async () => {
    const script = await generateAltBeats(coffee(), {}, opts);
    const md = renderScriptMarkdown(script);
    expect(md).toContain(`**Logline:** ${script.logline}`);
    expect(md).toContain("| # | Part | Time | Audio | Look | Text | Carries |");
    expect(md).toMatch(/\| 1 \| You \| 0\.0–\d+\.\d \| .*VO: "Meet Priya\."/);
    expect(md).toMatch(/\| 8 \| Change \| .*–30\.0 \|.*\| CTA \|/);
    expect(md).toContain("all checks pass");
    expect(script.narrative_md).toBe(md);
    const warned = { ...script, metadata: { ...script.metadata, warnings: ["[cta] B08: something"] } };
    expect(renderScriptMarkdown(warned)).toContain("- [cta] B08: something");
  });
});
