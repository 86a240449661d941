import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateShotList, renderShotListTable } from "../../../src/agents/shotmaster/index.js";
import { shotTypeFor } from "../../../src/agents/shotmaster/library.js";
import { parseVrd, parseVrdText } from "../../../src/domain/index.js";
import { buildScript } from "./fixtures.js";

/**
 * What each shot frames, on the demo's brief (examples/product-launch-30s.yaml) and a script shaped like
 * the template ScriptSmith's: the style repeated in every setting, notes such as `illustrates "…"`.
 */
const vrd = parseVrdText(
  readFileSync(join(import.meta.dirname, "../../../examples/product-launch-30s.yaml"), "utf8"),
);
const MAYA = vrd.characters[0]!.description;
const BOTTLE = vrd.products[0]!.description;
const CAFE = vrd.locations.find((l) => l.name === "Café counter")!.description;
const STYLE = "Live-action, natural daylight, clean handheld close-ups, pops of teal";

const beat = (
  parts: Array<"you" | "need" | "go" | "search" | "find" | "take" | "return" | "change">,
  seconds: number,
  action: string,
  place: "Home desk" | "Café counter",
  characters: string[],
  extra: { emotion?: string; text?: string; cta?: boolean } = {},
) => ({
  parts,
  seconds,
  action,
  setting: `${place}; ${STYLE}`,
  mood: `${extra.emotion ?? "calm"}, bright, upbeat, a little cheeky`,
  emotion: extra.emotion ?? "calm",
  purpose: "story",
  characters,
  text: extra.text,
  cta: extra.cta,
});

const script = buildScript([
  beat(["you"], 3.4, "Maya going about an ordinary day", "Home desk", ["Maya"]),
  beat(["need"], 3.3, "Maya rubs her temples, 4 pm headache", "Home desk", ["Maya"], {
    emotion: "frustration",
  }),
  beat(["go"], 3, "First glimpse of Tidewell Flow", "Café counter", []),
  beat(
    ["search"],
    4.8,
    'How it works, shown rather than told; illustrates "The cap glows when it\'s time to sip"',
    "Café counter",
    [],
    { emotion: "intrigue" },
  ),
  beat(["find"], 4, "Hero reveal of Tidewell Flow", "Café counter", ["Maya"], { emotion: "delight" }),
  beat(
    ["take"],
    4,
    'Maya uses it; the hesitation answered on screen; illustrates "Tracks every sip in the Tidewell app"',
    "Café counter",
    ["Maya"],
    { emotion: "confidence", text: "Tracks every sip in the Tidewell app" },
  ),
  beat(
    ["return"],
    3.2,
    'Maya back in the opening setting, now at ease (mirrors the first beat); illustrates "Pre-order now and save 20%"',
    "Home desk",
    ["Maya"],
    { emotion: "satisfaction" },
  ),
  beat(["change"], 4.3, "End card: Tidewell Flow, space kept for the call to action", "Home desk", [], {
    emotion: "resolve",
    text: "Pre-order at tidewell.example/flow",
    cta: true,
  }),
]);

const occurrences = (text: string, part: string) => text.toLowerCase().split(part.toLowerCase()).length - 1;

describe("hero reveal", () => {
  it("frames the product, not the person, and needs the product photo rather than the character's look", async () => {
    const list = await generateShotList(script, vrd);
    const reveal = list.shots.filter((s) => s.beat_id === "B05");
    expect(reveal).toHaveLength(1);
    const shot = reveal[0]!;
    expect(shot.props).toEqual(["Tidewell Flow"]);
    expect(shot.subjects).toEqual([]);
    expect(shot.storyboard.prompt).toContain(BOTTLE);
    expect(shot.storyboard.prompt).not.toContain(MAYA);
    expect(shot.storyboard.prompt).toMatch(/Close on Tidewell Flow/);
    expect(shot.description).toMatch(/of Tidewell Flow/);
    expect(shot.requirements).toMatchObject({ character_consistency: false, reference_image: true });
    const row = renderShotListTable(list)
      .split("\n")
      .find((l) => l.startsWith(`| ${shot.id} `))!;
    expect(row).toContain("hero product");
    expect(row).not.toContain("character consistency");
    // Maya is still herself everywhere else.
    for (const s of list.shots.filter((x) => x.subjects.includes("Maya")))
      expect(s.requirements.character_consistency, s.id).toBe(true);
  });

  it("keeps the person in the shots of the beat that show her reaction", async () => {
    const twoMoments = buildScript([
      beat(["go"], 3, "Maya walks up to the counter", "Café counter", ["Maya"]),
      beat(["find"], 7, "Hero reveal of Tidewell Flow; then Maya grins", "Café counter", ["Maya"], {
        emotion: "delight",
      }),
    ]);
    const list = await generateShotList(twoMoments, vrd);
    const [first, second] = list.shots.filter((s) => s.beat_id === "B02");
    expect(first!.subjects).toEqual([]);
    expect(first!.props).toEqual(["Tidewell Flow"]);
    expect(second!.subjects).toEqual(["Maya"]);
    expect(second!.storyboard.prompt).toContain("Maya grins");
  });
});

describe("shots without people or product", () => {
  it("frame a detail of the place and quote its description once, never the beat's setting line", async () => {
    const list = await generateShotList(script, vrd);
    const empty = list.shots.filter((s) => s.beat_id === "B04");
    expect(empty.length).toBeGreaterThanOrEqual(2);
    for (const shot of empty) {
      expect(shot.subjects.concat(shot.props)).toEqual([]);
      expect(occurrences(shot.storyboard.prompt, CAFE), shot.id).toBe(1);
      expect(occurrences(shot.storyboard.prompt, "Café counter"), shot.id).toBe(1);
      expect(shot.description, shot.id).not.toContain(STYLE);
      expect(occurrences(shot.description, "Café counter"), shot.id).toBe(1);
    }
    const details = empty.filter((s) => shotTypeFor(s.size).frames !== "scene");
    expect(details.length).toBeGreaterThan(0);
    // The detail is a thing in the café (not its sound): "the white tiles" or "the oak counter".
    for (const shot of details) {
      expect(shot.storyboard.prompt, shot.id).toMatch(/Close on the (white tiles|oak counter)\b/);
      expect(shot.description, shot.id).toMatch(/of the (white tiles|oak counter) in Café counter/);
    }
  });

  it("name a place the script described but never named once, not as a name and again as the setting", async () => {
    const pier = "Seaside pier at dusk, gulls overhead, weathered railings";
    const unnamed = parseVrd({ ...vrd, locations: [] });
    const list = await generateShotList(
      buildScript([
        {
          parts: ["you"],
          seconds: 3,
          action: "Waves roll in under the boards",
          setting: pier,
          mood: "calm",
          emotion: "calm",
          purpose: "open the film",
        },
      ]),
      unnamed,
    );
    for (const shot of list.shots) {
      expect(occurrences(shot.storyboard.prompt, "seaside pier at dusk"), shot.id).toBe(1);
      expect(occurrences(shot.description, "seaside pier at dusk"), shot.id).toBe(0);
    }
  });
});

describe("prompts frame their own moment", () => {
  it("leave the script's notes out of the prompt, so no key message is drawn as text", async () => {
    const list = await generateShotList(script, vrd);
    for (const shot of list.shots) {
      expect(shot.storyboard.prompt, shot.id).not.toMatch(/illustrates|mirrors the first beat/);
    }
    const back = list.shots.find((s) => s.beat_id === "B07")!;
    expect(back.storyboard.prompt).toContain("Maya back in the opening setting, now at ease.");
    // "answered on screen; illustrates "…"" names a key message, not words shown on a screen.
    for (const shot of list.shots.filter((s) => s.beat_id === "B06")) {
      expect(shot.requirements.text_rendering, shot.id).toBe(false);
      expect(shot.storyboard.negative_prompt, shot.id).toMatch(/\btext\b/);
    }
  });
});
