import { describe, expect, it } from "vitest";
import { ValidationError } from "../../src/domain/errors.js";
import { listSubscriptions, searchTools, subscribe, unsubscribe } from "../../src/research/subscriptions.js";
import { loadToolSeed } from "../../src/toolstack/seed.js";
import { testBackends, useTestDb } from "../support/db.js";

describe.each(testBackends())("subscriptions on %s", (backend) => {
  const db = useTestDb(backend);
  const channel = { platform: "slack" as const, workspace: "T1", channel: "C1" };

  it("subscribes a channel, changes its topics on a second subscribe, and unsubscribes it", async () => {
    const first = await subscribe(db(), { ...channel, topics: [" New_Tool ", "price_change"], by: "U1" });
    expect(first).toMatchObject({ ...channel, topics: ["new_tool", "price_change"], created_by: "U1" });

    await subscribe(db(), { ...channel, topics: [] });
    await subscribe(db(), { platform: "discord", workspace: "G1", channel: "D1", topics: ["new_sota"] });
    expect((await listSubscriptions(db(), "slack")).map((s) => [s.channel, s.topics])).toEqual([["C1", []]]);
    expect(await listSubscriptions(db())).toHaveLength(2);

    expect(await unsubscribe(db(), channel)).toBe(true);
    expect(await unsubscribe(db(), channel)).toBe(false);
    expect(await listSubscriptions(db(), "slack")).toEqual([]);
  });

  it("rejects an unknown topic, naming it and the valid ones", async () => {
    const attempt = subscribe(db(), { ...channel, topics: ["new_tool", "gossip"] });
    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    await expect(attempt).rejects.toThrow(
      /unknown topic "gossip"; topics are new_tool, price_change, new_sota, tool_failing/,
    );
    expect(await listSubscriptions(db())).toEqual([]);
  });
});

describe.each(testBackends())("searchTools on %s", (backend) => {
  const db = useTestDb(backend);

  it("finds tools by name, vendor, id or use, case-insensitively, with price and limits", async () => {
    await loadToolSeed(db());
    const runway = await searchTools(db(), "RUNWAY");
    expect(runway.map((h) => h.tool.tool_id).sort()).toEqual([
      "runway-gen4-aleph",
      "runway-gen4-turbo",
      "runway-gen4.5",
    ]);
    const turbo = runway.find((h) => h.tool.tool_id === "runway-gen4-turbo");
    expect(turbo?.price).toBe("$0.05 per second");
    expect(turbo?.limits).toEqual(
      expect.arrayContaining(["clip lengths 2, 3, 4, 5, 6, 7, 8, 9, 10 s", "needs an input image"]),
    );
    expect(turbo?.last_benchmark).toBeNull();

    expect((await searchTools(db(), "loops")).map((h) => h.tool.tool_id)).toEqual(["luma-ray2"]);
    expect((await searchTools(db(), "luma-ray2"))[0]?.price).toBe("unknown");
    expect((await searchTools(db(), "kling"))[0]?.price).toBe("$0.35 per 5 s clip, then $0.07/s");
    expect(await searchTools(db(), "%")).toEqual([]);
  });

  it("shows the tool's last benchmark suite", async () => {
    await loadToolSeed(db());
    const rows = [
      ["old", "2025-01-01T00:00:00.000Z", 50, 1],
      ["a", "2025-02-01T00:00:00.000Z", 40, 1],
      ["b", "2025-02-01T00:00:00.000Z", null, 0],
    ] as const;
    for (const [id, at, latency, ok] of rows)
      await db().query(
        `INSERT INTO benchmarks (benchmark_id, tool_id, test_prompt, latency_seconds, cost_per_second, success_rate, tested_at)
         VALUES ($1, 'pika-2.2', 'p', $2, 0.09, $3, $4)`,
        [id, latency, ok, at],
      );
    const [hit] = await searchTools(db(), "pika");
    expect(hit?.last_benchmark).toEqual({
      tested_at: "2025-02-01T00:00:00.000Z",
      prompts: 2,
      success_rate: 0.5,
      mean_latency_s: 40,
      cost_per_second: 0.09,
      quality_score: null,
    });
  });

  it("asks for text when the search is empty", async () => {
    await expect(searchTools(db(), "  ")).rejects.toBeInstanceOf(ValidationError);
  });
});
