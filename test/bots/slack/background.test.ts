import { describe, expect, it } from "vitest";
import { BackgroundWork } from "../../../src/bots/slack/background.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function work(options: { concurrency?: number; quietMs?: number; maxWaitMs?: number } = {}) {
  const errors: unknown[] = [];
  const background = new BackgroundWork({
    concurrency: options.concurrency ?? 2,
    onError: (error) => errors.push(error),
    quietMs: options.quietMs ?? 10,
    maxWaitMs: options.maxWaitMs ?? 10_000,
  });
  return { background, errors };
}

describe("background work after Slack was answered", () => {
  it("waits while a request is being answered and runs once it has been", async () => {
    const { background } = work();
    const done = background.answeringRequest();
    const log: string[] = [];
    const job = background.run(async () => log.push("job"));
    await sleep(50);
    expect(log).toEqual([]);
    log.push("answered");
    done();
    await job;
    expect(log).toEqual(["answered", "job"]);
  });

  it("does not wait for a quiet moment longer than its limit", async () => {
    const { background } = work({ maxWaitMs: 30 });
    background.answeringRequest(); // never answered: a steady stream of requests
    let ran = false;
    await background.run(async () => {
      ran = true;
    });
    expect(ran).toBe(true);
  });

  it("runs a few jobs at a time and reports failures without stopping the rest", async () => {
    const { background, errors } = work({ concurrency: 2 });
    let running = 0;
    let peak = 0;
    const finished: number[] = [];
    for (let i = 0; i < 5; i++)
      background.spawn(async () => {
        running += 1;
        peak = Math.max(peak, running);
        await sleep(5);
        running -= 1;
        if (i === 2) throw new Error("job 2 failed");
        finished.push(i);
      });
    await background.idle();
    expect(peak).toBe(2);
    expect(finished.sort()).toEqual([0, 1, 3, 4]);
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toContain("job 2 failed");
  });

  it("is idle at once when nothing was queued, and a response sent twice counts once", async () => {
    const { background } = work();
    await background.idle();
    const first = background.answeringRequest();
    first();
    first();
    const second = background.answeringRequest();
    let ran = false;
    const job = background.run(async () => {
      ran = true;
    });
    await sleep(50);
    expect(ran).toBe(false); // the second request is still being answered
    second();
    await job;
    expect(ran).toBe(true);
  });
});
