import { describe, expect, it } from "vitest";
import {
  buildContinuityBible,
  enforceContinuity,
  generateShotList,
  validateShotList,
} from "../../../src/agents/shotmaster/index.js";
import { parseVrd } from "../../../src/domain/index.js";
import { BAG, buildScript, coffeeScript, coffeeVrd, KITCHEN, PRIYA, twelveBeatScript } from "./fixtures.js";

describe("continuity bible", () => {
  it("takes characters, locations, hero products and palette from the VRD word for word", () => {
    const bible = buildContinuityBible(coffeeScript, coffeeVrd);
    expect(bible.characters[0]).toEqual({ name: "Priya", description: PRIYA, wardrobe: "" });
    expect(bible.props[0]).toEqual({ name: "Ember & Oak coffee bag", description: BAG, hero: true });
    expect(bible.locations[0]).toEqual({ name: "Priya's kitchen", description: KITCHEN });
    expect(bible.palette).toEqual(["charcoal", "copper", "warm oak"]);
  });

  it("fixes one look for a character the VRD does not describe, and reuses it verbatim", async () => {
    const list = await generateShotList(twelveBeatScript, coffeeVrd);
    const sam = list.continuity_bible.characters.find((c) => c.name === "Sam");
    expect(sam?.description.length).toBeGreaterThan(20);
    const samShots = list.shots.filter((s) => s.subjects.includes("Sam"));
    expect(samShots.length).toBeGreaterThan(1);
    for (const shot of samShots) expect(shot.storyboard.prompt).toContain(sam!.description);
    // Same input, same look: the bible is deterministic.
    expect(buildContinuityBible(twelveBeatScript, coffeeVrd)).toEqual(list.continuity_bible);
  });

  it("puts a character's description and wardrobe verbatim into every prompt of every shot that shows them", async () => {
    const vrd = parseVrd({
      ...coffeeVrd,
      characters: [
        { name: "Priya", description: `${PRIYA}.`, wardrobe: "silver hoop earrings, a copper watch" },
      ],
    });
    for (const script of [coffeeScript, twelveBeatScript]) {
      const list = await generateShotList(script, vrd);
      const withPriya = list.shots.filter((s) => s.subjects.includes("Priya"));
      expect(withPriya.length).toBeGreaterThan(8);
      for (const shot of withPriya) {
        expect(shot.storyboard.prompt).toContain(PRIYA);
        expect(shot.storyboard.prompt).toContain("silver hoop earrings, a copper watch");
        expect(shot.continuity.wardrobe).toEqual(["silver hoop earrings, a copper watch"]);
        expect(list.storyboard_panels?.find((p) => p.shot_id === shot.id)?.image_prompt).toContain(PRIYA);
      }
    }
  });

  it("puts the hero product's description verbatim into every prompt that shows it", async () => {
    const list = await generateShotList(coffeeScript, coffeeVrd);
    const withBag = list.shots.filter((s) => s.props.includes("Ember & Oak coffee bag"));
    // The roastery label beat and the call-to-action packshot both show the bag.
    expect(new Set(withBag.map((s) => s.beat_id))).toEqual(new Set(["B04", "B08"]));
    for (const shot of withBag) expect(shot.storyboard.prompt).toContain(BAG);
    const withKitchen = list.shots.filter((s) => s.location === "Priya's kitchen");
    for (const shot of withKitchen) expect(shot.storyboard.prompt).toContain(KITCHEN);
  });

  it("restores a bible description a prompt lost, and the validator notices when one is missing", async () => {
    const list = await generateShotList(coffeeScript, coffeeVrd);
    const shot = list.shots.find((s) => s.subjects.includes("Priya"))!;
    const paraphrased = "MCU, 9:16. A young woman with dark hair in a yellow cardigan shakes a tin.";
    const fixed = enforceContinuity(paraphrased, shot, list.continuity_bible);
    expect(fixed.restored).toContain("Priya");
    expect(fixed.prompt).toContain(PRIYA);
    expect(fixed.prompt.startsWith(paraphrased)).toBe(true);

    const broken = structuredClone(list);
    broken.shots.find((s) => s.id === shot.id)!.storyboard.prompt = paraphrased;
    expect(validateShotList(broken, coffeeScript)).toContain(
      `${shot.id}: prompt does not quote the bible for Priya`,
    );
  });

  it("keeps screen direction across cuts until a beat turns the character around", async () => {
    const walk = (action: string) => ({
      parts: ["go" as const],
      seconds: 4,
      action,
      setting: "a quiet street at dawn",
      mood: "brisk",
      emotion: "determined",
      purpose: "travel",
      characters: ["Priya"],
    });
    const script = buildScript([
      walk("Priya walks to the station"),
      walk("Priya crosses the bridge"),
      walk("Priya stops and heads back for her keys"),
      walk("Priya hurries on"),
    ]);
    const list = await generateShotList(script, coffeeVrd);
    const byBeat = (id: string) =>
      new Set(
        list.shots
          .filter((s) => s.beat_id === id && s.subjects.length > 0)
          .map((s) => s.continuity.screen_direction),
      );
    expect(byBeat("B01")).toEqual(new Set(["left_to_right"]));
    expect(byBeat("B02")).toEqual(new Set(["left_to_right"]));
    expect(byBeat("B03")).toEqual(new Set(["right_to_left"]));
    expect(byBeat("B04")).toEqual(new Set(["right_to_left"]));
    // A shot with nobody in it has no direction to keep.
    const empty = list.shots.filter((s) => s.subjects.length === 0);
    for (const s of empty) expect(s.continuity.screen_direction).toBe("neutral");
  });
});
