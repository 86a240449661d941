import { describe, expect, it } from "vitest";
import { generateAltBeats } from "../../../src/agents/scriptsmith/index.js";
import { generateShotList, validateShotList } from "../../../src/agents/shotmaster/index.js";
import { parseVrd } from "../../../src/domain/index.js";
import { coffeeVrd, PRIYA } from "./fixtures.js";

describe("ShotMaster on ScriptSmith's template scripts", () => {
  for (const seconds of [15, 30, 60, 120]) {
    it(`turns a ${seconds} s script into a sound shot list`, async () => {
      const vrd = parseVrd({ ...coffeeVrd, duration_seconds: seconds });
      const script = await generateAltBeats(vrd, {}, {});
      const list = await generateShotList(script, vrd);
      expect(validateShotList(list, script)).toEqual([]);
      expect(list.metadata.warnings).toEqual([]);
      expect(new Set(list.shots.map((s) => s.beat_id))).toEqual(new Set(script.beats.map((b) => b.id)));
      const total = script.beats.reduce((a, b) => a + Math.round((b.end_s - b.start_s) * 10), 0) / 10;
      expect(list.asset_summary.total_duration_s).toBe(total);
      for (const shot of list.shots)
        if (shot.subjects.includes("Priya")) expect(shot.storyboard.prompt).toContain(PRIYA);
    });
  }
});
