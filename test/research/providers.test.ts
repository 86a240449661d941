import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import {
  type AdapterOptions,
  createFalAdapter,
  createLumaAdapter,
  createProviderAdapters,
  createReplicateAdapter,
  createRunwayAdapter,
  DEFAULT_POLL_INTERVAL_MS,
  FAL_QUEUE_URL,
  falQueueUrl,
  type ProviderAdapter,
  RUNWAY_MIN_POLL_MS,
} from "../../src/research/providers/index.js";
import { type FakeProvider, type FakeProviderKind, pollGaps, startFakeProvider } from "../fakes/providers.js";

const fakes: FakeProvider[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

const FAST_POLL_MS = 40;

const cases: Array<{
  kind: FakeProviderKind;
  make: (o: AdapterOptions) => ProviderAdapter;
  model: string;
  createPath: string;
  auth: string;
}> = [
  {
    kind: "runway",
    make: createRunwayAdapter,
    model: "gen4.5",
    createPath: "/v1/text_to_video",
    auth: "Bearer rk",
  },
  {
    kind: "luma",
    make: createLumaAdapter,
    model: "ray-2",
    createPath: "/dream-machine/v1/generations/video",
    auth: "Bearer rk",
  },
  {
    kind: "fal",
    make: createFalAdapter,
    model: "fal-ai/pika/v2.2/text-to-video",
    createPath: "/fal-ai/pika/v2.2/text-to-video",
    auth: "Key rk",
  },
  {
    kind: "replicate",
    make: createReplicateAdapter,
    model: "acme/video-model",
    createPath: "/v1/models/acme/video-model/predictions",
    auth: "Bearer rk",
  },
];

describe.each(cases)("$kind adapter against a fake API", ({ kind, make, model, createPath, auth }) => {
  it("creates a task, polls it at the set interval and reads the video URL", async () => {
    const fake = await startFakeProvider(kind, { pollsToFinish: 3 });
    fakes.push(fake);
    const adapter = make({ baseUrl: fake.url, apiKey: "rk", minPollIntervalMs: FAST_POLL_MS });

    const taskId = await adapter.createTask("a red kite over a beach", {
      model,
      duration_s: 5,
      aspect_ratio: "16:9",
    });
    const result = await adapter.waitForResult(taskId, { timeoutMs: 5_000 });

    expect(result.status).toBe("succeeded");
    expect(result.outputUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/videos\/.+\.mp4$/);
    expect(result.latency_s).toBeGreaterThanOrEqual(((3 - 1) * FAST_POLL_MS) / 1000 - 0.005);
    expect(fake.creates).toHaveLength(1);
    expect(fake.creates[0]?.path).toBe(createPath);
    expect(fake.creates[0]?.headers.authorization).toBe(auth);
    expect(JSON.stringify(fake.creates[0]?.body)).toContain("a red kite over a beach");
    expect(fake.polls).toHaveLength(3);
    for (const gap of pollGaps(fake.polls)) expect(gap).toBeGreaterThanOrEqual(FAST_POLL_MS - 2);
  });

  it("reports a failed task with the provider's reason", async () => {
    const fake = await startFakeProvider(kind, {
      pollsToFinish: 1,
      outcome: () => ({ ok: false, reason: "prompt rejected by moderation" }),
    });
    fakes.push(fake);
    const adapter = make({ baseUrl: fake.url, apiKey: "rk", minPollIntervalMs: FAST_POLL_MS });

    const result = await adapter.waitForResult(await adapter.createTask("x", { model }), {
      timeoutMs: 5_000,
    });

    expect(result.status).toBe("failed");
    expect(result.outputUrl).toBeUndefined();
    expect(result.failure).toContain("prompt rejected by moderation");
  });

  it("gives up with timed_out when the task never finishes", async () => {
    const fake = await startFakeProvider(kind, { pollsToFinish: 10_000 });
    fakes.push(fake);
    const adapter = make({ baseUrl: fake.url, apiKey: "rk", minPollIntervalMs: FAST_POLL_MS });

    const result = await adapter.waitForResult(await adapter.createTask("x", { model }), { timeoutMs: 150 });

    expect(result.status).toBe("timed_out");
    expect(fake.polls.length).toBeLessThanOrEqual(5);
  });

  it("does not retry a create the provider refused (a retried POST could bill twice)", async () => {
    const fake = await startFakeProvider(kind, { createStatus: 500 });
    fakes.push(fake);
    const adapter = make({ baseUrl: fake.url, apiKey: "rk", minPollIntervalMs: FAST_POLL_MS });

    await expect(adapter.createTask("x", { model })).rejects.toThrow(/HTTP 500/);
  });
});

describe("poll interval", () => {
  it("Runway is never polled faster than once per 5 s, whatever the caller asks", async () => {
    const fake = await startFakeProvider("runway", { pollsToFinish: 3 });
    fakes.push(fake);
    const sleeps: number[] = [];
    const adapter = createRunwayAdapter({
      baseUrl: fake.url,
      apiKey: "rk",
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });

    expect(adapter.minPollIntervalMs).toBe(RUNWAY_MIN_POLL_MS);
    const result = await adapter.waitForResult(await adapter.createTask("x", { model: "gen4.5" }), {
      pollIntervalMs: 100,
    });

    expect(result.status).toBe("succeeded");
    expect(sleeps).toEqual([5_000, 5_000]);
  });

  it("providers without a documented minimum are polled every 5 s by default, slower when asked", async () => {
    const fake = await startFakeProvider("luma", { pollsToFinish: 2 });
    fakes.push(fake);
    const sleeps: number[] = [];
    const adapter = createLumaAdapter({
      baseUrl: fake.url,
      apiKey: "k",
      sleep: async (ms) => void sleeps.push(ms),
    });

    await adapter.waitForResult(await adapter.createTask("x", { model: "ray-2" }), {
      pollIntervalMs: 12_000,
    });

    expect(adapter.minPollIntervalMs).toBe(DEFAULT_POLL_INTERVAL_MS);
    expect(sleeps).toEqual([12_000]);
  });
});

describe("configuration", () => {
  it("builds adapters only for providers whose key is set", () => {
    const config = loadConfig({ FAL_KEY: "fk", RUNWAYML_API_SECRET: "" });
    expect(Object.keys(createProviderAdapters(config)).sort()).toEqual(["fal"]);
  });

  it("sends fal generations to the queue host when FAL_API_URL is fal's platform API", () => {
    expect(falQueueUrl("https://api.fal.ai")).toBe(FAL_QUEUE_URL);
    expect(falQueueUrl("http://127.0.0.1:9999")).toBe("http://127.0.0.1:9999");
  });
});
