import { describe, expect, it } from "vitest";
import { generateAltBeats, retimeBeats, validateScript } from "../../../src/agents/scriptsmith/index.js";
import { spokenText } from "../../../src/agents/scriptsmith/validate.js";
import { countWords } from "../../../src/agents/scriptsmith/words.js";
import type { Script } from "../../../src/domain/script.js";
import { coffee, fixedNow } from "./fixtures.js";

const vrd = coffee();
const good = await generateAltBeats(vrd, {}, { now: fixedNow });

/** A copy of the good script with one thing broken. */
function broken(edit: (s: Script) => void): Script {
  const s = structuredClone(good);
  edit(s);
  return s;
}
const rules = (s: Script) => validateScript(s, vrd).map((p) => p.rule);

describe("validateScript", () => {
  it("passes a sound script", () => {
    expect(validateScript(good, vrd)).toEqual([]);
  });

  it("duration: total more than 5 s off the brief", () => {
    const s = broken((s) => {
      const last = s.beats.at(-1)!;
      last.end_s += 6;
      s.metadata.duration_s = last.end_s;
    });
    const problems = validateScript(s, vrd);
    expect(problems.map((p) => p.rule)).toEqual(["duration"]);
    expect(problems[0]!.message).toContain("36 s");
  });

  it("contiguity: a gap between beats names the beat", () => {
    const s = broken((s) => {
      s.beats[2]!.end_s -= 0.5;
    });
    const problems = validateScript(s, vrd);
    expect(problems).toEqual([expect.objectContaining({ rule: "contiguity", beat_id: "B04" })]);
    expect(problems[0]!.message).toMatch(/gap/);
  });

  it("contiguity: an overlap is caught too", () => {
    const s = broken((s) => {
      s.beats[2]!.start_s -= 1;
    });
    expect(validateScript(s, vrd)).toEqual([expect.objectContaining({ rule: "contiguity", beat_id: "B03" })]);
  });

  it("vo_fits: more words than the beat can carry at the speaking rate", () => {
    const s = broken((s) => {
      s.beats[0]!.audio.voice_over =
        "This line has far too many words to be spoken in a beat this short, honestly.";
      s.metadata.word_count = good.metadata.word_count - 2 + 16;
    });
    expect(validateScript(s, vrd)).toEqual([expect.objectContaining({ rule: "vo_fits", beat_id: "B01" })]);
    // A slower rate makes the original script fail too.
    expect(validateScript(good, vrd, { wordsPerSecond: 1 }).some((p) => p.rule === "vo_fits")).toBe(true);
  });

  it("key_message: a message no beat lists", () => {
    const s = broken((s) => {
      for (const b of s.beats) b.key_messages = b.key_messages.filter((k) => k !== "Pause or skip anytime");
    });
    const problems = validateScript(s, vrd);
    expect(problems.map((p) => p.rule)).toEqual(["key_message"]);
    expect(problems[0]!.message).toContain("Pause or skip anytime");
  });

  it("key_message: listed but neither said nor shown", () => {
    const s = broken((s) => {
      const b = s.beats.find((b) => b.key_messages.includes("Pause or skip anytime"))!;
      b.audio.voice_over = "Life happens.";
      b.text.on_screen = null;
    });
    s.metadata.word_count = countSpoken(s);
    expect(validateScript(s, vrd)).toEqual([expect.objectContaining({ rule: "key_message" })]);
  });

  it("cta: the last beat must carry and show or say the call to action", () => {
    const s = broken((s) => {
      const last = s.beats.at(-1)!;
      last.carries_cta = false;
      last.text.on_screen = "First bag free";
      last.audio.voice_over = "First bag free.";
    });
    s.metadata.word_count = countSpoken(s);
    const problems = validateScript(s, vrd).filter((p) => p.rule === "cta");
    expect(problems.length).toBe(2);
    expect(problems.every((p) => p.beat_id === "B08")).toBe(true);
  });

  it("cta: not required when the brief has none", () => {
    const noCta = coffee({ call_to_action: undefined });
    const s = broken((s) => {
      s.beats.at(-1)!.carries_cta = false;
    });
    expect(validateScript(s, noCta).filter((p) => p.rule === "cta")).toEqual([]);
  });

  it("metadata: numbers that disagree with the beats", () => {
    const s = broken((s) => {
      s.metadata.word_count += 3;
      s.metadata.platform = "youtube";
    });
    const problems = validateScript(s, vrd);
    expect(problems.map((p) => p.rule)).toEqual(["metadata"]);
    expect(problems[0]!.message).toMatch(/word count.*platform|platform.*word count/);
  });

  it("story_order: parts out of order or missing", () => {
    const swapped = broken((s) => {
      s.beats[1]!.parts = ["go"];
      s.beats[2]!.parts = ["need"];
    });
    expect(rules(swapped)).toEqual(["story_order"]);
    const missing = broken((s) => {
      s.beats[4]!.parts = ["search"];
    });
    expect(validateScript(missing, vrd)).toEqual([
      expect.objectContaining({ rule: "story_order", message: expect.stringContaining('"find"') }),
    ]);
  });
});

describe("retimeBeats", () => {
  it("scales proportionally, keeps order, is contiguous and hits the target exactly", () => {
    const beats = good.beats.map((b, i) => ({ ...b, start_s: i * 5, end_s: i * 5 + (i % 2 ? 2 : 4) }));
    const out = retimeBeats(beats, 30);
    expect(out.map((b) => b.id)).toEqual(good.beats.map((b) => b.id));
    expect(out[0]!.start_s).toBe(0);
    for (let i = 1; i < out.length; i++) expect(out[i]!.start_s).toBe(out[i - 1]!.end_s);
    expect(out.at(-1)!.end_s).toBe(30);
    const d = out.map((b) => Math.round((b.end_s - b.start_s) * 10) / 10);
    expect(d[0]).toBeCloseTo(2 * d[1]!, 0); // 4:2 kept (to rounding)
    for (const x of d) expect(Number.isInteger(Math.round(x * 10))).toBe(true);
  });

  it("keeps every beat at least a second long", () => {
    const beats = good.beats.map((b, i) => ({ ...b, start_s: i, end_s: i + (i === 0 ? 20 : 0.1) }));
    const out = retimeBeats(beats, 15);
    for (const b of out) expect(b.end_s - b.start_s).toBeGreaterThanOrEqual(0.999);
    expect(out.at(-1)!.end_s).toBe(15);
  });
});

function countSpoken(s: Script): number {
  return s.beats.reduce((n, b) => n + countWords(spokenText(b)), 0);
}
