import { describe, expect, it } from "vitest";
import type { z } from "zod";
import type { LlmRequest, StructuredLlm } from "../../../src/agents/llm.js";
import { generateAltBeats, reviseScript, validateScript } from "../../../src/agents/scriptsmith/index.js";
import { UpstreamError } from "../../../src/domain/errors.js";
import { coffee, fixedNow, goodDraft } from "./fixtures.js";

const vrd = coffee({ audio_mode: "voice_over" });

/** A tiny in-test model: replies in order; an Error reply is thrown. */
function stubLlm(replies: unknown[]) {
  const requests: LlmRequest<z.ZodType>[] = [];
  const llm: StructuredLlm = {
    model: "stub-1",
    async generate<S extends z.ZodType>(request: LlmRequest<S>) {
      requests.push(request);
      const next = replies.shift();
      if (next === undefined) throw new Error("stub: no reply left");
      if (next instanceof Error) throw next;
      return {
        data: request.schema.parse(next) as z.output<S>,
        usage: { calls: 1, input_tokens: 900, output_tokens: 400, total_tokens: 1300 },
      };
    },
  };
  return { llm, requests };
}

describe("generateAltBeats with a model", () => {
  it("makes one call and assembles a valid script from the draft", async () => {
    const { llm, requests } = stubLlm([goodDraft()]);
    const script = await generateAltBeats(vrd, { audio_mode: "voice_over" }, { llm, now: fixedNow });
    expect(requests).toHaveLength(1);
    expect(requests[0]!.name).toBe("script_draft");
    expect(requests[0]!.system).toMatch(/story circle/);
    expect(requests[0]!.user).toContain("1. Roasted to order, shipped within 48 hours");
    expect(requests[0]!.user).toContain("audio_mode: voice_over");
    expect(validateScript(script, vrd)).toEqual([]);
    expect(script.beats.map((b) => [b.id, b.start_s, b.end_s])).toEqual([
      ["B01", 0, 3],
      ["B02", 3, 6],
      ["B03", 6, 9.5],
      ["B04", 9.5, 13.5],
      ["B05", 13.5, 18],
      ["B06", 18, 22.5],
      ["B07", 22.5, 26],
      ["B08", 26, 30],
    ]);
    expect(script.beats[3]!.key_messages).toEqual(["Roasted to order, shipped within 48 hours"]);
    expect(script.metadata).toMatchObject({
      generator: "llm",
      model: "stub-1",
      warnings: [],
      repairs: [],
      usage: { calls: 1, total_tokens: 1300 },
    });
    expect(script.logline).toBe("Priya never runs out of fresh coffee again.");
  });

  it("re-times wrong durations in code, without asking again", async () => {
    const draft = goodDraft();
    for (const b of draft.beats) b.approx_seconds = 10;
    const { llm, requests } = stubLlm([draft]);
    const script = await generateAltBeats(vrd, {}, { llm, now: fixedNow });
    expect(requests).toHaveLength(1);
    expect(script.beats.at(-1)!.end_s).toBe(30);
    expect(script.beats.every((b) => Math.abs(b.end_s - b.start_s - 3.75) < 0.11)).toBe(true);
    expect(script.metadata.repairs).toEqual([
      expect.stringMatching(/Re-timed 8 of 8 beats.*80 s for a 30 s target/),
    ]);
    expect(script.metadata.warnings).toEqual([]);
  });

  it("re-asks once with the failed checks, and uses the corrected draft", async () => {
    const bad = goodDraft();
    bad.beats[5]!.key_message_numbers = [];
    const { llm, requests } = stubLlm([bad, goodDraft()]);
    const script = await generateAltBeats(vrd, {}, { llm, now: fixedNow });
    expect(requests).toHaveLength(2);
    expect(requests[1]!.user).toContain('[key_message] key message 2 "Pause or skip anytime" is not carried');
    expect(requests[1]!.user).toContain("Your previous draft");
    expect(script.metadata.warnings).toEqual([]);
    expect(script.metadata.repairs).toEqual([expect.stringMatching(/^Re-asked the model once/)]);
    expect(script.metadata.usage).toMatchObject({ calls: 2, total_tokens: 2600 });
  });

  it("re-asks a draft with more beats than the duration can hold (24 beats for 10 s)", async () => {
    const short = coffee({ audio_mode: "voice_over", duration_seconds: 10 } as never);
    const crowded = goodDraft();
    // Three beats per story part: 24 beats of about 0.4 s each.
    crowded.beats = crowded.beats.flatMap((b) => [
      { ...b, voice_over: null, key_message_numbers: [], carries_cta: false },
      { ...b, voice_over: null, key_message_numbers: [], carries_cta: false },
      b,
    ]);
    const { llm, requests } = stubLlm([crowded, goodDraft()]);
    const script = await generateAltBeats(short, {}, { llm, now: fixedNow });
    expect(requests).toHaveLength(2);
    expect(requests[1]!.user).toContain(
      "[beat_count] 24 beats in 10 s leave under 1 s each; use at most 10 beats",
    );
    expect(script.beats).toHaveLength(8);
  });

  it("never passes a failure silently: what the re-ask did not fix becomes a warning", async () => {
    const bad = () => {
      const d = goodDraft();
      d.beats[7]!.carries_cta = false;
      d.beats[7]!.on_screen_text = "First bag free";
      d.beats[3]!.voice_over =
        "We roast every single bag the moment you order it and then we ship it out within forty-eight hours, always.";
      return d;
    };
    const { llm, requests } = stubLlm([bad(), bad()]);
    const script = await generateAltBeats(vrd, {}, { llm, now: fixedNow });
    expect(requests).toHaveLength(2);
    expect(script.metadata.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\[cta\] B08/),
        expect.stringMatching(/^\[vo_fits\] B04/),
      ]),
    );
    expect(script.narrative_md).toContain("**Warnings:**");
  });

  it("takes empty sound and speech written as null, [] or blank slots without asking again", async () => {
    const draft = goodDraft() as unknown as { beats: Record<string, unknown>[] };
    for (const b of draft.beats) {
      b.sfx = null;
      b.music = [];
      b.dialogue = [{ character: "", line: "" }];
      (b.look as Record<string, unknown>).characters = null;
    }
    draft.beats[1]!.dialogue = null;
    draft.beats[2]!.key_message_numbers = null;
    const { llm, requests } = stubLlm([draft]);
    const script = await generateAltBeats(vrd, {}, { llm, now: fixedNow });
    expect(requests).toHaveLength(1);
    expect(validateScript(script, vrd)).toEqual([]);
    expect(script.metadata.repairs).toEqual([]);
    for (const b of script.beats) expect(b.audio).toMatchObject({ sfx: [], dialogue: [], music: null });
    expect(script.beats[0]!.look.characters).toEqual([]);
  });

  it("reports a failing model instead of inventing a script", async () => {
    const { llm } = stubLlm([new UpstreamError("model timed out", "openai")]);
    await expect(generateAltBeats(vrd, {}, { llm })).rejects.toBeInstanceOf(UpstreamError);
  });

  it("keeps the first draft, with a warning, when the re-ask itself fails", async () => {
    const bad = goodDraft();
    bad.beats[5]!.key_message_numbers = [];
    const { llm } = stubLlm([bad, new UpstreamError("503", "openai")]);
    const script = await generateAltBeats(vrd, {}, { llm, now: fixedNow });
    expect(script.metadata.warnings).toEqual(
      expect.arrayContaining([
        expect.stringContaining("re-ask failed"),
        expect.stringMatching(/^\[key_message\]/),
      ]),
    );
  });
});

describe("reviseScript with a model", () => {
  it("takes the rewritten named beat and keeps every other beat, even if the model touched it", async () => {
    const first = stubLlm([goodDraft()]);
    const v1 = await generateAltBeats(vrd, {}, { llm: first.llm, now: fixedNow });
    const revised = goodDraft();
    revised.beats[2]!.voice_over = "It's already here.";
    revised.beats[0]!.voice_over = "The model could not resist editing this.";
    const second = stubLlm([revised]);
    const v2 = await reviseScript(v1, "Make beat 3 punchier", vrd, { llm: second.llm, now: fixedNow });
    expect(second.requests[0]!.user).toContain("Make beat 3 punchier");
    expect(second.requests[0]!.user).toContain('"id":"B03"');
    expect(v2.version).toBe(2);
    expect(v2.beats[2]!.audio.voice_over).toBe("It's already here.");
    expect(v2.beats[0]).toEqual(v1.beats[0]);
    for (const i of [1, 3, 4, 5, 6, 7]) expect(v2.beats[i]).toEqual(v1.beats[i]);
    expect(v2.metadata.repairs.at(-1)).toMatch(/rewrote B03; kept every beat the feedback did not name/);
    expect(v2.metadata.usage.calls).toBe(1);
  });

  it("keeps beats the model copied unchanged when the feedback names no beat", async () => {
    const v1 = await generateAltBeats(vrd, {}, { llm: stubLlm([goodDraft()]).llm, now: fixedNow });
    const revised = goodDraft();
    revised.beats[1]!.voice_over = "And the good stuff? Days away.";
    const { llm } = stubLlm([revised]);
    const v2 = await reviseScript(v1, "The need beat feels flat", vrd, { llm, now: fixedNow });
    expect(v2.beats[1]!.audio.voice_over).toBe("And the good stuff? Days away.");
    for (const i of [0, 2, 3, 4, 5, 6, 7]) expect(v2.beats[i]).toEqual(v1.beats[i]);
    expect(v2.metadata.repairs.at(-1)).toMatch(/rewrote B02\./);
  });
});
