import { describe, expect, it } from "vitest";
import { generateShotList, groupBeats, validateShotList } from "../../../src/agents/shotmaster/index.js";
import { UpstreamError } from "../../../src/domain/index.js";
import { BAG, coffeeScript, coffeeVrd, PRIYA, twelveBeatScript } from "./fixtures.js";
import { goodReply, stubLlm } from "./stub-llm.js";

const tenths = (n: number) => Math.round(n * 10);

describe("generateShotList (LLM mode)", () => {
  it("groups beats into at most 4 contiguous groups", () => {
    expect(groupBeats([1, 2, 3, 4, 5, 6, 7, 8]).map((g) => g.length)).toEqual([2, 2, 2, 2]);
    expect(groupBeats(Array.from({ length: 12 }, (_, i) => i)).map((g) => g.length)).toEqual([3, 3, 3, 3]);
    expect(groupBeats([1, 2, 3, 4, 5], 2)).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    expect(groupBeats([1, 2])).toEqual([[1], [2]]);
  });

  it("spends at most 4 calls on a 60 s script, keeps the model's words and sums usage", async () => {
    const llm = stubLlm((shots) => goodReply(shots));
    const list = await generateShotList(coffeeScript, coffeeVrd, { llm });
    expect(llm.calls.length).toBe(4);
    expect(list.metadata).toMatchObject({
      generator: "llm",
      model: "stub-model",
      usage: { calls: 4, input_tokens: 400, output_tokens: 200, total_tokens: 600 },
      repairs: [],
      warnings: [],
    });
    for (const shot of list.shots) {
      expect(shot.description).toBe(`Model description of ${shot.id}.`);
      expect(shot.storyboard.negative_prompt).toMatch(/^cartoon, /);
      expect(shot.storyboard.negative_prompt).toContain("watermark");
    }
    // Every planned shot was asked for exactly once.
    const asked = llm.calls.flatMap((c) =>
      JSON.parse(c.user).beats.flatMap((b: { shots: { id: string }[] }) => b.shots.map((s) => s.id)),
    );
    expect(asked.sort()).toEqual(list.shots.map((s) => s.id).sort());
  });

  it("runs groups concurrently: 12 beats at 200 ms per call take about one call's time", async () => {
    const llm = stubLlm((shots) => goodReply(shots), 200);
    const start = performance.now();
    const list = await generateShotList(twelveBeatScript, coffeeVrd, { llm });
    const elapsed = performance.now() - start;
    expect(llm.calls.length).toBe(4);
    expect(llm.maxInFlight).toBe(4);
    expect(elapsed).toBeLessThan(600);
    expect(list.shots.every((s) => s.description.startsWith("Model"))).toBe(true);
  });

  it("honours a lower concurrency limit", async () => {
    const llm = stubLlm((shots) => goodReply(shots), 20);
    await generateShotList(coffeeScript, coffeeVrd, { llm, concurrency: 2 });
    expect(llm.maxInFlight).toBe(2);
  });

  it("repairs a reply that paraphrases the bible and gets the durations wrong", async () => {
    const llm = stubLlm((shots) => {
      const reply = goodReply(shots);
      for (const s of reply.shots) {
        // The model "helpfully" rewrites the continuity strings and pads every shot to 4 s.
        s.prompt = "Medium shot of a young woman in a yellow cardigan holding a dark coffee bag, 9:16.";
        s.duration_s = 4;
      }
      return reply;
    });
    const list = await generateShotList(coffeeScript, coffeeVrd, { llm });
    for (const beat of coffeeScript.beats) {
      const sum = list.shots
        .filter((s) => s.beat_id === beat.id)
        .reduce((a, s) => a + tenths(s.duration_s), 0);
      expect(sum).toBe(tenths(beat.end_s - beat.start_s));
    }
    for (const shot of list.shots) {
      if (shot.subjects.includes("Priya")) expect(shot.storyboard.prompt).toContain(PRIYA);
      if (shot.props.length > 0) expect(shot.storyboard.prompt).toContain(BAG);
    }
    expect(validateShotList(list, coffeeScript)).toEqual([]);
    expect(list.metadata.repairs.join("\n")).toMatch(/put the continuity bible's exact descriptions back/);
    expect(list.metadata.repairs.join("\n")).toMatch(
      /B01: the model's shot durations added up to 8 s, the beat lasts 7 s/,
    );
    expect(list.metadata.warnings).toEqual([]);
  });

  it("takes the model's rhythm when its seconds add up", async () => {
    const llm = stubLlm((shots) => {
      const reply = goodReply(shots);
      const b01 = reply.shots.filter((s) => s.id === "S01" || s.id === "S02");
      if (b01.length === 2) {
        b01[0]!.duration_s = 2.2;
        b01[1]!.duration_s = 4.8;
      }
      return reply;
    });
    const list = await generateShotList(coffeeScript, coffeeVrd, { llm });
    expect(list.shots.slice(0, 2).map((s) => s.duration_s)).toEqual([2.2, 4.8]);
    expect(list.metadata.repairs).toEqual([]);
  });

  it("keeps the planned seconds when the model gives a negative duration, and says so", async () => {
    const planned = await generateShotList(coffeeScript, coffeeVrd);
    const llm = stubLlm((shots) => {
      const reply = goodReply(shots);
      const s01 = reply.shots.find((s) => s.id === "S01");
      if (s01) s01.duration_s = -2;
      return reply;
    });
    const list = await generateShotList(coffeeScript, coffeeVrd, { llm });
    const b01 = (l: typeof list) => l.shots.filter((s) => s.beat_id === "B01").map((s) => s.duration_s);
    expect(b01(list)).toEqual(b01(planned));
    expect(list.metadata.repairs).toEqual([
      expect.stringMatching(/^B01: the model gave S01 -2 s.*kept the planned/),
    ]);
    expect(validateShotList(list, coffeeScript)).toEqual([]);
  });

  it("keeps template words for shots the model skipped and ignores shots it invented", async () => {
    const llm = stubLlm((shots) => {
      const reply = goodReply(shots);
      reply.shots = reply.shots.filter((s) => s.id !== "S03");
      reply.shots.push({ ...reply.shots[0]!, id: "S99" });
      return reply;
    });
    const list = await generateShotList(coffeeScript, coffeeVrd, { llm });
    expect(list.shots.map((s) => s.id)).not.toContain("S99");
    expect(list.shots.find((s) => s.id === "S03")?.description).not.toMatch(/^Model/);
    expect(list.metadata.repairs.join("\n")).toMatch(/did not write S03/);
    expect(list.metadata.repairs.join("\n")).toMatch(/invented: S99/);
  });

  it("reports a failed group and keeps its template words; throws when every call fails", async () => {
    const oneDown = stubLlm((shots, call) =>
      call === 1 ? new UpstreamError("timed out", "llm") : goodReply(shots),
    );
    const list = await generateShotList(coffeeScript, coffeeVrd, { llm: oneDown, concurrency: 1 });
    expect(list.metadata.warnings).toEqual([
      "beats B03–B04: the model call failed (timed out); template words used",
    ]);
    expect(
      list.shots.filter((s) => s.beat_id === "B03").every((s) => !s.description.startsWith("Model")),
    ).toBe(true);
    expect(list.metadata.usage.calls).toBe(3);

    const allDown = stubLlm(() => new UpstreamError("connection refused", "llm"));
    await expect(generateShotList(coffeeScript, coffeeVrd, { llm: allDown })).rejects.toBeInstanceOf(
      UpstreamError,
    );
  });
});
