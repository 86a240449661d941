import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createLlm } from "../../../src/agents/openai-llm.js";
import { generateAltBeats, validateScript } from "../../../src/agents/scriptsmith/index.js";
import { UpstreamError, ValidationError } from "../../../src/domain/errors.js";
import { type FakeOpenAI, startFakeOpenAI } from "../../fakes/openai.js";
import { coffee, fixedNow, goodDraft } from "./fixtures.js";

/** The real client (langchain ChatOpenAI) against the loopback fake OpenAI server. */
const vrd = coffee({ audio_mode: "voice_over" });
let fake: FakeOpenAI;
const llm = (timeoutMs = 5000) =>
  createLlm({ apiKey: "sk-test", baseUrl: fake.url, model: "fake-model", method: "jsonSchema", timeoutMs })!;

beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.requests.length = 0;
});

/** OpenAI strict mode: every object lists all its properties as required and is closed. */
function assertStrict(schema: Record<string, unknown>, path = "$"): void {
  if (schema.type === "object" || schema.properties) {
    const keys = Object.keys((schema.properties as object) ?? {});
    expect([...((schema.required as string[]) ?? [])].sort(), `${path} required`).toEqual([...keys].sort());
    for (const [k, v] of Object.entries(schema.properties as Record<string, Record<string, unknown>>))
      assertStrict(v, `${path}.${k}`);
  }
  if (schema.items) assertStrict(schema.items as Record<string, unknown>, `${path}[]`);
  for (const alt of (schema.anyOf as Record<string, unknown>[]) ?? []) assertStrict(alt, path);
}

describe("ScriptSmith through the real LLM client", () => {
  it("parses a good reply into a valid script, with the tokens counted", async () => {
    fake.respond({ json: goodDraft(), usage: { prompt_tokens: 1200, completion_tokens: 800 } });
    const script = await generateAltBeats(vrd, {}, { llm: llm(), now: fixedNow });
    expect(fake.requests).toHaveLength(1);
    const format = fake.requests[0]!.response_format;
    expect(format.type).toBe("json_schema");
    assertStrict(format.json_schema.schema);
    expect(validateScript(script, vrd)).toEqual([]);
    expect(script.metadata).toMatchObject({
      generator: "llm",
      model: "fake-model",
      warnings: [],
      usage: { calls: 1, input_tokens: 1200, output_tokens: 800, total_tokens: 2000 },
    });
    expect(script.beats[5]!.audio.voice_over).toBe("Away next week? Pause or skip anytime.");
  });

  it("repairs wrong timings in code without another call", async () => {
    const draft = goodDraft();
    for (const b of draft.beats) b.approx_seconds *= 2; // a model that thinks the reel is 60 s
    fake.respond({ json: draft });
    const script = await generateAltBeats(vrd, {}, { llm: llm(), now: fixedNow });
    expect(fake.requests).toHaveLength(1);
    expect(script.beats.at(-1)!.end_s).toBe(30);
    expect(script.metadata.repairs[0]).toMatch(/Re-timed .*60 s for a 30 s target/);
    expect(script.beats.map((b) => b.end_s)).toEqual([3, 6, 9.5, 13.5, 18, 22.5, 26, 30]);
    expect(validateScript(script, vrd)).toEqual([]);
  });

  it("re-asks once on invalid JSON, then fails with a clear error", async () => {
    fake.respond({ content: "Sure! Here is your script: {beats: oops" });
    const error = await generateAltBeats(vrd, {}, { llm: llm(), now: fixedNow }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(/script_draft .*even after one re-ask.*not valid JSON/);
    expect(fake.requests).toHaveLength(2);
  });

  it("recovers when the re-ask after invalid JSON succeeds", async () => {
    fake.respond((_, i) => (i === 0 ? { content: "{not json" } : { json: goodDraft() }));
    const script = await generateAltBeats(vrd, {}, { llm: llm(), now: fixedNow });
    expect(fake.requests).toHaveLength(2);
    expect(script.metadata.usage.calls).toBe(2);
    expect(validateScript(script, vrd)).toEqual([]);
  });

  it("accepts null lists and an empty music list in one call; a line with no speaker is still re-asked", async () => {
    const empty = goodDraft() as unknown as { beats: Record<string, unknown>[] };
    for (const b of empty.beats) Object.assign(b, { sfx: null, dialogue: null, music: [] });
    fake.respond({ json: empty });
    const script = await generateAltBeats(vrd, {}, { llm: llm(), now: fixedNow });
    expect(fake.requests).toHaveLength(1);
    expect(validateScript(script, vrd)).toEqual([]);
    expect(script.beats.every((b) => b.audio.sfx.length === 0 && b.audio.music === null)).toBe(true);

    fake.requests.length = 0;
    const unattributed = goodDraft() as unknown as { beats: Record<string, unknown>[] };
    unattributed.beats[0]!.dialogue = [{ character: "", line: "Out of coffee." }];
    fake.respond((_, i) => (i === 0 ? { json: unattributed } : { json: goodDraft() }));
    await generateAltBeats(vrd, {}, { llm: llm(), now: fixedNow });
    expect(fake.requests).toHaveLength(2);
    expect(JSON.stringify(fake.requests[1]!.messages)).toContain("needs the character who says it");
  });

  it("reports a 500 as an upstream error", async () => {
    fake.respond({ status: 500 });
    await expect(generateAltBeats(vrd, {}, { llm: llm() })).rejects.toSatisfy(
      (e: unknown) => e instanceof UpstreamError && /HTTP 500/.test(e.message),
    );
  });

  it("does not hang on a server that never answers", async () => {
    fake.respond({ hang: true });
    const started = Date.now();
    await expect(generateAltBeats(vrd, {}, { llm: llm(300) })).rejects.toSatisfy(
      (e: unknown) => e instanceof UpstreamError && /did not answer within 300 ms/.test(e.message),
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
