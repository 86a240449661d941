import { describe, expect, it } from "vitest";
import { generateAltBeats, reviseScript, validateScript } from "../../../src/agents/scriptsmith/index.js";
import type { Beat } from "../../../src/domain/script.js";
import { coffee, fixedNow } from "./fixtures.js";

const vrd = coffee();
const opts = { now: fixedNow };
const v1 = await generateAltBeats(vrd, {}, opts);

function untouched(before: Beat[], after: Beat[], except: string[]) {
  for (const b of before)
    if (!except.includes(b.id))
      expect(
        after.find((a) => a.id === b.id),
        b.id,
      ).toEqual(b);
}

describe("reviseScript (template mode)", () => {
  it("makes a named beat punchier and leaves every other beat as it was", async () => {
    const v2 = await reviseScript(v1, "Make beat 6 punchier", vrd, opts);
    expect(v2.version).toBe(2);
    expect(v2.script_id).toBe(v1.script_id);
    expect(v2.beats[5]!.audio.voice_over).toBe("Pause or skip anytime.");
    expect(v1.beats[5]!.audio.voice_over).not.toBe(v2.beats[5]!.audio.voice_over);
    untouched(v1.beats, v2.beats, ["B06"]);
    expect(v2.metadata.repairs.join()).toMatch(/Revision v2.*tightened the spoken copy of B06/);
    expect(validateScript(v2, vrd)).toEqual([]);
  });

  it("changes the CTA in the final beat only", async () => {
    const v2 = await reviseScript(
      v1,
      'Change the CTA to "Claim your free bag at emberoak.example"',
      vrd,
      opts,
    );
    const last = v2.beats.at(-1)!;
    expect(last.audio.voice_over).toContain("Claim your free bag at emberoak.example");
    expect(last.text.on_screen).toContain("Claim your free bag at emberoak.example");
    untouched(v1.beats, v2.beats, [last.id]);
    expect(v2.metadata.warnings).toEqual([]);
    expect(v2.metadata.repairs.join()).toMatch(/the VRD says "Start your free bag/);
  });

  it("mentions new text in the beat with the most room, keeping the rest", async () => {
    const v2 = await reviseScript(v1, "Mention that beans are fair-trade", vrd, opts);
    const changed = v2.beats.filter((b, i) => JSON.stringify(b) !== JSON.stringify(v1.beats[i]));
    expect(changed).toHaveLength(1);
    expect(changed[0]!.audio.voice_over).toContain("beans are fair-trade.");
    expect(validateScript(v2, vrd)).toEqual([]);
  });

  it("shifts the tone of every beat on request", async () => {
    const v2 = await reviseScript(v1, "More energetic tone", vrd, opts);
    for (const b of v2.beats) expect(b.look.mood).toContain("energetic");
    expect(v2.beats[0]!.audio.music).toMatch(/upbeat/);
    expect(v2.beats[1]!.audio.voice_over).toBe("You need better. Now.");
    expect(v2.beats[3]!.key_messages).toEqual(v1.beats[3]!.key_messages);
  });

  it("reports feedback it does not understand instead of pretending", async () => {
    const v2 = await reviseScript(v1, "Set it on Mars with a robot barista", vrd, opts);
    expect(v2.beats).toEqual(v1.beats);
    expect(v2.metadata.warnings).toEqual([expect.stringContaining('"Set it on Mars with a robot barista"')]);
    expect(v2.narrative_md).toContain("Feedback not understood");
  });

  it("handles several requests in one message", async () => {
    const v2 = await reviseScript(
      v1,
      "Make beat 6 punchier. Change the CTA to Try a free bag at emberoak.example",
      vrd,
      opts,
    );
    expect(v2.beats[5]!.audio.voice_over).toBe("Pause or skip anytime.");
    expect(v2.beats.at(-1)!.text.on_screen).toContain("Try a free bag at emberoak.example");
    untouched(v1.beats, v2.beats, ["B06", "B08"]);
  });
});
