import { describe, expect, it } from "vitest";
import {
  generateShotList,
  renderShotListTable,
  validateShotList,
} from "../../../src/agents/shotmaster/index.js";
import { parseVrd, type Script } from "../../../src/domain/index.js";
import { buildScript, coffeeScript, coffeeVrd, twelveBeatScript } from "./fixtures.js";

const tenths = (n: number) => Math.round(n * 10);
const fixedNow = () => new Date("2026-11-02T10:00:00Z");

function expectBeatsCovered(script: Script, shots: Array<{ beat_id: string; duration_s: number }>) {
  for (const beat of script.beats) {
    const mine = shots.filter((s) => s.beat_id === beat.id);
    expect(mine.length, `${beat.id} has a shot`).toBeGreaterThan(0);
    const sum = mine.reduce((a, s) => a + tenths(s.duration_s), 0);
    expect(sum, `${beat.id} durations`).toBe(tenths(beat.end_s - beat.start_s));
  }
}

describe("generateShotList (template mode)", () => {
  it("gives every beat shots whose durations add up to the beat", async () => {
    for (const script of [coffeeScript, twelveBeatScript]) {
      const list = await generateShotList(script, coffeeVrd, { now: fixedNow });
      expectBeatsCovered(script, list.shots);
      expect(list.asset_summary.total_duration_s).toBe(60);
      expect(validateShotList(list, script)).toEqual([]);
    }
  });

  it("adds up to 0.1 s even for awkward beat lengths", async () => {
    const odd = buildScript(
      [3.3, 4.7, 10.1, 1.3, 0.6].map((seconds, i) => ({
        parts: [(["you", "need", "go", "find", "change"] as const)[i]!],
        seconds,
        action: "Priya looks out of the window",
        setting: "Priya's kitchen",
        mood: "calm",
        emotion: "calm",
        purpose: "a moment",
        characters: ["Priya"],
      })),
      "odd",
    );
    const list = await generateShotList(odd, coffeeVrd);
    expectBeatsCovered(odd, list.shots);
    for (const shot of list.shots) expect(shot.duration_s).toBeGreaterThan(0);
  });

  it("numbers shots S01.. in beat order and fills every field a shot list needs", async () => {
    const list = await generateShotList(coffeeScript, coffeeVrd, { now: fixedNow, shotListId: "SL-1" });
    expect(list.shot_list_id).toBe("SL-1");
    expect(list.shots.map((s) => s.id)).toEqual(
      list.shots.map((_, i) => `S${String(i + 1).padStart(2, "0")}`),
    );
    expect(list.shots.length).toBeGreaterThanOrEqual(16);
    expect(list.shots.length).toBeLessThanOrEqual(24);
    for (const shot of list.shots) {
      expect(shot.description.length).toBeGreaterThan(10);
      expect(shot.storyboard.prompt).toContain("9:16");
      expect(shot.storyboard.negative_prompt).toContain("watermark");
      expect(shot.complexity.reasons.length).toBeGreaterThan(0);
      expect(shot.lighting.key_fill_ratio).toMatch(/^\d+(\.\d+)?:1$/);
    }
    expect(list.shots.at(-1)?.transition).toBe("fade_out");
    expect(list.metadata).toMatchObject({
      generator: "template",
      model: null,
      created_at: "2026-11-02T10:00:00.000Z",
      usage: { calls: 0 },
    });
  });

  it("flags what a video tool must handle", async () => {
    const list = await generateShotList(twelveBeatScript, coffeeVrd);
    const dialogue = list.shots.filter((s) => s.beat_id === "B09");
    expect(dialogue.some((s) => s.requirements.lip_sync)).toBe(true);
    const orbit = list.shots.find((s) => s.movement === "orbit");
    expect(orbit?.requirements.camera_control).toBe(true);
    const product = list.shots.filter((s) => s.props.length > 0);
    expect(product.length).toBeGreaterThan(0);
    for (const s of product) expect(s.requirements.reference_image).toBe(true);
    const priya = list.shots.filter((s) => s.subjects.includes("Priya"));
    for (const s of priya) expect(s.requirements.character_consistency).toBe(true);
    // An app screen that "says" something is text the video model must render; a plain action is not.
    expect(list.shots.filter((s) => s.beat_id === "B02").every((s) => s.requirements.text_rendering)).toBe(
      true,
    );
    expect(list.shots.filter((s) => s.beat_id === "B01").some((s) => s.requirements.text_rendering)).toBe(
      false,
    );
    const lipSync = list.shots.find((s) => s.requirements.lip_sync);
    expect(lipSync?.complexity.reasons.join(" ")).toMatch(/lip-sync/);
  });

  it("uses the platform's aspect ratio unless the VRD sets one", async () => {
    const youtube = parseVrd({ ...coffeeVrd, platform: "youtube" });
    expect((await generateShotList(coffeeScript, youtube)).aspect_ratio).toBe("16:9");
    const square = parseVrd({ ...coffeeVrd, aspect_ratio: "1:1" });
    const list = await generateShotList(coffeeScript, square);
    expect(list.aspect_ratio).toBe("1:1");
    expect(
      list.storyboard_panels?.every((p) => p.aspect_ratio === "1:1" && p.image_prompt.includes("1:1")),
    ).toBe(true);
  });

  it("summarises the assets: cast, places, product, voice-over, music, text", async () => {
    const list = await generateShotList(coffeeScript, coffeeVrd);
    const a = list.asset_summary;
    expect(a.characters).toEqual(["Priya"]);
    expect(a.props).toEqual(["Ember & Oak coffee bag"]);
    expect(a.locations[0]).toBe("Priya's kitchen");
    expect(a.voice_over_lines).toHaveLength(8);
    expect(a.voice_over_lines[0]).toContain("Out of coffee. Again.");
    expect(a.music_cues).toEqual(["B05 (29.5 s): warm acoustic swell"]);
    expect(a.on_screen_text.at(-1)).toContain("First bag free — emberoak.example");
    expect(a.shot_count).toBe(list.shots.length);
  });

  it("gives one storyboard panel per shot with camera note, audio and a keyframe prompt", async () => {
    const list = await generateShotList(coffeeScript, coffeeVrd);
    const panels = list.storyboard_panels ?? [];
    expect(panels.map((p) => p.panel)).toEqual(list.shots.map((_, i) => i + 1));
    const first = panels[0]!;
    expect(first.camera_note).toMatch(/^WS · .* · 24 mm · 3.5 s$/);
    expect(first.audio).toContain('VO: "Out of coffee."');
    expect(first.audio).toContain("SFX: a tin rattles, empty");
    expect(first.image_prompt).toContain("9:16 vertical frame");
    // The voice-over is shared out by sentence: nothing is lost or repeated.
    const vo = panels
      .filter((p) => p.beat_id === "B01")
      .flatMap((p) => [...p.audio.matchAll(/VO: "([^"]+)"/g)].map((m) => m[1]))
      .join(" ");
    expect(vo).toBe("Out of coffee. Again.");
  });

  it("renders a readable table for the CLI", async () => {
    const list = await generateShotList(coffeeScript, coffeeVrd);
    const table = renderShotListTable(list);
    const lines = table.split("\n");
    expect(lines[0]).toContain("(template mode)");
    expect(table).toContain("| Shot | Beat | Dur | Size / angle / move | Lens | Lighting | Needs |");
    expect(lines.filter((l) => /^\| S\d\d \|/.test(l))).toHaveLength(list.shots.length);
    expect(table).toMatch(
      /\| S01 \| B01 \| 3\.5 s \| WS \/ eye level \/ static \| 24 mm \| low-key, 6500 K, 4:1 \|/,
    );
  });
});
