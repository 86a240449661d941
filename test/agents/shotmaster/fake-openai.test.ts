import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLlm } from "../../../src/agents/openai-llm.js";
import { generateShotList, reviseShots, validateShotList } from "../../../src/agents/shotmaster/index.js";
import { type ChatRequest, type FakeOpenAI, startFakeOpenAI } from "../../fakes/openai.js";
import { BAG, coffeeScript, coffeeVrd, PRIYA } from "./fixtures.js";
import { goodReply, requestedShots } from "./stub-llm.js";

/** The user message of a chat request: the JSON brief ShotMaster sent. */
function brief(body: ChatRequest): string {
  const user = (body.messages as Array<{ role: string; content: unknown }>).find((m) => m.role === "user");
  return typeof user?.content === "string" ? user.content : JSON.stringify(user?.content);
}

let fake: FakeOpenAI;
beforeEach(async () => {
  fake = await startFakeOpenAI({ latencyMs: 400 });
});
afterEach(async () => {
  await fake.close();
});

const llm = () => {
  const created = createLlm({
    apiKey: "sk-test",
    baseUrl: fake.url,
    model: "gpt-4o-mini",
    method: "jsonSchema",
    timeoutMs: 5000,
  });
  if (!created) throw new Error("expected an LLM");
  return created;
};

describe("ShotMaster against an OpenAI-compatible server", () => {
  it("writes a 60 s shot list in 4 concurrent calls and repairs a reply that breaks continuity and timing", async () => {
    fake.respond((body) => {
      const reply = goodReply(requestedShots(brief(body)));
      for (const s of reply.shots) {
        s.prompt = `${s.prompt.replace(PRIYA, "a woman in a yellow sweater").replace(BAG, "a coffee bag")}`;
        s.duration_s = 1.5;
      }
      return { json: reply };
    });
    const list = await generateShotList(coffeeScript, coffeeVrd, { llm: llm() });

    expect(fake.requests).toHaveLength(4);
    // The groups are written concurrently, not one after another.
    expect(fake.maxInFlight).toBe(4);
    expect(fake.requests[0]?.response_format?.type).toBe("json_schema");
    expect(list.metadata.generator).toBe("llm");
    expect(list.metadata.model).toBe("gpt-4o-mini");
    expect(list.metadata.usage.calls).toBe(4);
    expect(list.metadata.usage.total_tokens).toBeGreaterThan(0);
    expect(validateShotList(list, coffeeScript)).toEqual([]);
    for (const shot of list.shots) {
      if (shot.subjects.includes("Priya")) expect(shot.storyboard.prompt).toContain(PRIYA);
      if (shot.props.length > 0) expect(shot.storyboard.prompt).toContain(BAG);
    }
    expect(list.metadata.repairs.some((r) => r.includes("re-timed"))).toBe(true);
    expect(list.metadata.repairs.some((r) => r.includes("continuity bible"))).toBe(true);
  });

  it("revises named shots with one call and keeps the rest untouched", async () => {
    fake.respond((body) => ({ json: goodReply(requestedShots(brief(body))) }));
    const list = await generateShotList(coffeeScript, coffeeVrd, { llm: llm() });
    fake.respond((body) => {
      const reply = goodReply(requestedShots(brief(body)));
      for (const s of reply.shots) s.prompt = "Close-up, low angle. Someone holds a mug.";
      return { json: reply };
    });
    const revised = await reviseShots(list, "S02: tighter, low angle", {
      script: coffeeScript,
      vrd: coffeeVrd,
      llm: llm(),
    });
    expect(fake.requests).toHaveLength(5);
    expect(revised.version).toBe(2);
    expect(revised.metadata.usage.calls).toBe(5);
    const s02 = revised.shots.find((s) => s.id === "S02")!;
    expect(s02).toMatchObject({ size: "CU", angle: "low" });
    expect(s02.storyboard.prompt).toContain(PRIYA);
    expect(revised.shots.filter((s) => s.id !== "S02")).toEqual(list.shots.filter((s) => s.id !== "S02"));
  });
});
