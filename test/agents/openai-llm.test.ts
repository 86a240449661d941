import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createLlm, llmFromConfig, type StructuredMethod } from "../../src/agents/openai-llm.js";
import { loadConfig } from "../../src/config.js";
import { UpstreamError, ValidationError } from "../../src/domain/errors.js";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai.js";

const KEY = "sk-test-secret-key-123456";

const Headline = z.object({
  title: z.string().min(1),
  beats: z.array(z.object({ label: z.enum(["hook", "payoff"]), seconds: z.number().min(1).max(10) })).min(1),
});
const good = { title: "Roasted to order", beats: [{ label: "hook", seconds: 3 }] };
const request = { name: "headline", system: "You write headlines.", user: "Coffee reel", schema: Headline };

let fake: FakeOpenAI;
beforeEach(async () => {
  fake = await startFakeOpenAI();
});
afterEach(async () => {
  await fake.close();
});

function llm(method: StructuredMethod, extra: { timeoutMs?: number; baseUrl?: string } = {}) {
  const created = createLlm({
    apiKey: KEY,
    baseUrl: fake.url,
    model: "gpt-4o-mini",
    method,
    timeoutMs: 5000,
    ...extra,
  });
  if (!created) throw new Error("expected an LLM");
  return created;
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected the call to fail");
}

/** Text of the last message of a recorded request (the re-ask). */
async function until(check: () => boolean) {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error("condition never held");
}

const lastMessage = (i: number): string => String(fake.requests[i]?.messages.at(-1)?.content);

describe.each(["jsonSchema", "functionCalling", "jsonMode"] as const)("createLlm with %s", (method) => {
  it("returns the parsed object and its token usage", async () => {
    fake.respond({ json: good, usage: { prompt_tokens: 120, completion_tokens: 30 } });
    const result = await llm(method).generate(request);
    expect(result.data).toEqual(good);
    expect(result.usage).toEqual({ calls: 1, input_tokens: 120, output_tokens: 30, total_tokens: 150 });
    expect(fake.requests).toHaveLength(1);
    const body = fake.requests[0]!;
    expect(body.model).toBe("gpt-4o-mini");
    expect(body.messages).toEqual([
      { role: "system", content: "You write headlines." },
      { role: "user", content: "Coffee reel" },
    ]);
  });

  it("re-asks once with the JSON error, then fails with a ValidationError naming the output", async () => {
    fake.respond({ content: "Sure! Here is your headline: {title" });
    const err = await failure(llm(method).generate(request));
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.message).toMatch(/^Invalid headline from the model \(gpt-4o-mini\), even after one re-ask: /);
    expect(err.message).toContain("not valid JSON");
    expect(fake.requests).toHaveLength(2);
    expect(lastMessage(1)).toContain('Your previous reply for "headline" could not be used');
    expect(lastMessage(1)).toContain("not valid JSON");
    // The model sees its own bad reply before the correction request.
    expect(fake.requests[1]!.messages.at(-2)).toMatchObject({
      role: "assistant",
      content: "Sure! Here is your headline: {title",
    });
  });

  it("re-asks with the field problems and counts both calls when the second reply is good", async () => {
    fake.respond((_body, call) =>
      call === 0
        ? {
            json: { title: "", beats: [{ label: "twist", seconds: 30 }] },
            usage: { prompt_tokens: 100, completion_tokens: 20 },
          }
        : { json: good, usage: { prompt_tokens: 140, completion_tokens: 25 } },
    );
    const result = await llm(method).generate(request);
    expect(result.data).toEqual(good);
    expect(result.usage).toEqual({ calls: 2, input_tokens: 240, output_tokens: 45, total_tokens: 285 });
    expect(fake.requests).toHaveLength(2);
    const reask = lastMessage(1);
    expect(reask).toContain("title: must not be empty");
    expect(reask).toContain("beats[0].label: must be one of hook, payoff");
    expect(reask).toContain("beats[0].seconds: must be between 1 and 10, got 30");
  });

  it("counts the tokens of an invalid-JSON reply when the re-ask succeeds", async () => {
    fake.respond((_body, call) =>
      call === 0
        ? { content: "{not json", usage: { prompt_tokens: 50, completion_tokens: 5 } }
        : { json: good, usage: { prompt_tokens: 60, completion_tokens: 10 } },
    );
    const result = await llm(method).generate(request);
    expect(result.data).toEqual(good);
    expect(result.usage).toEqual({ calls: 2, input_tokens: 110, output_tokens: 15, total_tokens: 125 });
  });
});

describe("createLlm request shapes", () => {
  it("jsonSchema sends a strict json_schema response_format named after the output", async () => {
    fake.respond({ json: good });
    await llm("jsonSchema").generate(request);
    const format = fake.requests[0]!.response_format;
    expect(format.type).toBe("json_schema");
    expect(format.json_schema).toMatchObject({ name: "headline", strict: true });
    expect(format.json_schema.schema).toMatchObject({
      type: "object",
      required: ["title", "beats"],
      additionalProperties: false,
    });
    expect(fake.requests[0]!.tools).toBeUndefined();
  });

  it("functionCalling forces one tool whose parameters are the schema", async () => {
    fake.respond({ json: good });
    await llm("functionCalling").generate(request);
    const body = fake.requests[0]!;
    expect(body.tools).toHaveLength(1);
    expect(body.tools[0].function).toMatchObject({ name: "headline", parameters: { type: "object" } });
    expect(body.tool_choice).toEqual({ type: "function", function: { name: "headline" } });
    expect(body.response_format).toBeUndefined();
  });

  it("jsonMode asks for a JSON object and accepts a fenced reply", async () => {
    fake.respond({ content: `\`\`\`json\n${JSON.stringify(good)}\n\`\`\`` });
    const result = await llm("jsonMode").generate(request);
    expect(fake.requests[0]!.response_format).toEqual({ type: "json_object" });
    expect(result.data).toEqual(good);
    expect(fake.requests).toHaveLength(1);
  });
});

describe("createLlm with a model on a bad day", () => {
  it("finds the JSON inside prose or after a sentence with a fence, without a re-ask", async () => {
    const text = JSON.stringify(good);
    for (const content of [
      `Sure! Here is the headline:\n${text}\nHope that helps.`,
      `Here you go:\n\`\`\`json\n${text}\n\`\`\`\nAnything else?`,
    ]) {
      fake.requests.length = 0;
      fake.respond({ content });
      const result = await llm("jsonMode").generate(request);
      expect(result.data).toEqual(good);
      expect(fake.requests).toHaveLength(1);
    }
  });

  it("says plainly when a 200 reply has no choices, instead of a TypeError", async () => {
    fake.respond({
      status: 200,
      body: { id: "x", object: "chat.completion", created: 1, model: "m", choices: [] },
    });
    const err = await failure(llm("jsonSchema").generate(request));
    expect(err).toBeInstanceOf(UpstreamError);
    expect((err as UpstreamError).transient).toBe(true);
    expect(err.message).toMatch(/without a chat completion message .*OPENAI_BASE_URL/);
    expect(err.message).not.toMatch(/Cannot read properties/);
  });

  it("waits as long as a 429's Retry-After asks, and reports a wait longer than the timeout", async () => {
    fake.respond((_body, call) =>
      call === 0 ? { status: 429, headers: { "retry-after": "1" } } : { json: good },
    );
    const started = Date.now();
    expect((await llm("jsonSchema").generate(request)).data).toEqual(good);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);

    fake.requests.length = 0;
    fake.respond({ status: 429, headers: { "retry-after": "120" } });
    const quick = Date.now();
    const err = await failure(llm("jsonSchema", { timeoutMs: 1000 }).generate(request));
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err.message).toMatch(/rate limiting us .*retry in 120 s/);
    expect(fake.requests).toHaveLength(1);
    expect(Date.now() - quick).toBeLessThan(1000);
  });
});

describe("createLlm upstream failures", () => {
  it("turns a 500 into an UpstreamError after one quick retry", async () => {
    fake.respond({ status: 500, body: { error: { message: "model overloaded", type: "server_error" } } });
    const started = Date.now();
    const err = await failure(llm("jsonSchema").generate(request));
    expect(err).toBeInstanceOf(UpstreamError);
    expect((err as UpstreamError).service).toBe("llm");
    expect(err.message).toBe("the model server returned 500 (HTTP 500): model overloaded");
    expect(fake.requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("retries a 429 and succeeds when the server recovers", async () => {
    fake.respond((_body, call) => (call === 0 ? { status: 429 } : { json: good }));
    const result = await llm("functionCalling").generate(request);
    expect(result.data).toEqual(good);
    expect(result.usage.calls).toBe(2);
  });

  it("gives up on a hanging server after the configured timeout", async () => {
    fake.respond({ hang: true });
    const started = Date.now();
    const err = await failure(llm("jsonSchema", { timeoutMs: 300 }).generate(request));
    const elapsed = Date.now() - started;
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err.message).toMatch(/^the model did not answer within 300 ms/);
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(2000);
    // A timeout is not retried: the configured budget is the whole wait.
    expect(fake.requests).toHaveLength(1);
  });

  it("a caller that gives up cancels the request in flight and gets its own reason back", async () => {
    fake.respond({ hang: true });
    const caller = new AbortController();
    const pending = failure(llm("jsonSchema").generate({ ...request, signal: caller.signal }));
    await until(() => fake.inFlight === 1);
    caller.abort(new Error("stage timed out after 40 ms"));
    expect((await pending).message).toBe("stage timed out after 40 ms");
    await until(() => fake.inFlight === 0);
    expect(fake.requests).toHaveLength(1);
  });

  it("a caller that gives up during the wait before a retry makes no further request", async () => {
    fake.respond({ status: 503, headers: { "retry-after": "5" } });
    const caller = new AbortController();
    const pending = failure(
      llm("jsonSchema", { timeoutMs: 10_000 }).generate({ ...request, signal: caller.signal }),
    );
    await until(() => fake.requests.length === 1 && fake.inFlight === 0);
    caller.abort(new Error("given up"));
    expect((await pending).message).toBe("given up");
    expect(fake.requests).toHaveLength(1);
  });

  it("times out a slow reply the same way", async () => {
    fake.respond({ json: good, delayMs: 1500 });
    const err = await failure(llm("jsonMode", { timeoutMs: 300 }).generate(request));
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err.message).toContain("did not answer within 300 ms");
  });

  it("reports a refused connection with the server address", async () => {
    const gone = await startFakeOpenAI();
    const url = gone.url;
    await gone.close();
    const err = await failure(llm("jsonSchema", { baseUrl: url }).generate(request));
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err.message).toBe(`could not reach the model server at ${url} (ECONNREFUSED)`);
  });

  it("never puts the API key in an error message, even when the server echoes it", async () => {
    fake.respond({
      status: 401,
      body: { error: { message: `Incorrect API key provided: ${KEY}.`, type: "invalid_request_error" } },
    });
    const err = await failure(llm("jsonSchema").generate(request));
    expect(err).toBeInstanceOf(UpstreamError);
    expect((err as UpstreamError).transient).toBe(false);
    expect(err.message).toContain("rejected the API key (HTTP 401)");
    expect(err.message).not.toContain(KEY);
    expect(err.message).not.toContain("secret-key");
    expect(fake.requests).toHaveLength(1);
  });
});

describe("llm configuration", () => {
  it("refuses at creation a method langchain does not support for the model", () => {
    expect(() =>
      createLlm({ apiKey: KEY, model: "gpt-4-turbo", method: "jsonSchema", timeoutMs: 1000 }),
    ).toThrow(/LLM method jsonSchema cannot be used with model gpt-4-turbo/);
    expect(
      createLlm({ apiKey: KEY, model: "gpt-4-turbo", method: "functionCalling", timeoutMs: 1000 }),
    ).not.toBeNull();
  });

  it("has no LLM without a key, so agents use their templates", () => {
    expect(createLlm({ model: "gpt-4o-mini", method: "jsonSchema", timeoutMs: 1000 })).toBeNull();
    expect(createLlm({ apiKey: "", model: "gpt-4o-mini", method: "jsonSchema", timeoutMs: 1000 })).toBeNull();
    expect(llmFromConfig(loadConfig({}))).toBeNull();
  });

  it("builds from the environment settings and talks to OPENAI_BASE_URL", async () => {
    const config = loadConfig({
      OPENAI_API_KEY: KEY,
      OPENAI_BASE_URL: fake.url,
      LLM_MODEL: "local-llama",
      LLM_STRUCTURED_METHOD: "jsonMode",
      LLM_TIMEOUT_MS: "2000",
    });
    const configured = llmFromConfig(config);
    expect(configured?.model).toBe("local-llama");
    fake.respond({ json: good });
    await configured!.generate(request);
    expect(fake.requests[0]!.model).toBe("local-llama");
    expect(fake.requests[0]!.response_format).toEqual({ type: "json_object" });
  });
});
