/**
 * The gateway connection breaking the ways Discord breaks it: op 7 RECONNECT, a dropped connection
 * (RESUME replays what was missed), and op 9 INVALID_SESSION (a fresh IDENTIFY). The bot keeps
 * answering interactions afterwards, and an interaction replayed by a RESUME is handled once.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { useTestDb } from "../../support/db.js";
import { buttonId, startBot, type TestBot, withButton } from "./harness.js";

const db = useTestDb();
let bot: TestBot;
beforeEach(async () => {
  bot = await startBot(db());
});
afterEach(async () => {
  await bot.stop();
});

const BRIEF = {
  title: "Reconnects",
  objective: "Sign-ups for a coffee subscription",
  audience: "Urban professionals who brew at home",
  key_messages: "Roasted to order",
  tone_cta: "warm\nStart your free bag",
};

async function startProduction(): Promise<{ thread: string; productionId: string }> {
  await bot.fake.callbackOf(bot.fake.slash("vrd", { duration: 30, platform: "youtube" }));
  await bot.fake.callbackOf(bot.fake.submitModal("gl1:vf", BRIEF));
  await bot.settle();
  const [production] = await bot.service.list({ platform: "discord" });
  return { thread: [...bot.fake.threads.keys()][0]!, productionId: production!.id };
}

describe("Discord gateway: reconnects", () => {
  it("resumes after op 7 RECONNECT and keeps answering interactions", async () => {
    const { thread, productionId } = await startProduction();
    bot.fake.reconnect();
    await bot.fake.sessionsReady(2);
    expect(bot.fake.resumed).toBe(1);
    expect(bot.fake.identified).toBe(1);
    const questions = withButton(bot.fake, thread, "Skip — use defaults");
    const sent = bot.fake.click(buttonId(questions, "Skip — use defaults"), { message: questions });
    expect((await bot.fake.callbackOf(sent)).body).toEqual({ type: 6 });
    await bot.settle();
    expect((await bot.service.get(productionId)).stage).toBe("script_review");
  });

  it("an interaction sent while the connection was down arrives with the RESUME and is handled once", async () => {
    const { thread, productionId } = await startProduction();
    const questions = withButton(bot.fake, thread, "Skip — use defaults");
    bot.fake.dropConnection();
    // Dispatched while no client is connected: kept by the session, replayed on RESUME.
    const sent = bot.fake.click(buttonId(questions, "Skip — use defaults"), { message: questions });
    await bot.fake.sessionsReady(2);
    expect(bot.fake.resumed).toBe(1);
    expect((await bot.fake.callbackOf(sent)).body).toEqual({ type: 6 });
    bot.fake.redeliver(sent);
    await bot.settle();
    expect(bot.fake.calls.filter((c) => c.path.startsWith(`/interactions/${sent.id}/`))).toHaveLength(1);
    const skips = (await bot.service.events(productionId)).filter((e) => e.type === "answered");
    expect(skips).toHaveLength(1);
  });

  it("identifies again after op 9 INVALID_SESSION and keeps answering interactions", async () => {
    const { thread, productionId } = await startProduction();
    bot.fake.invalidateSession();
    await bot.fake.sessionsReady(2);
    expect(bot.fake.identified).toBe(2);
    const questions = withButton(bot.fake, thread, "Skip — use defaults");
    const sent = bot.fake.click(buttonId(questions, "Skip — use defaults"), { message: questions });
    expect((await bot.fake.callbackOf(sent)).body).toEqual({ type: 6 });
    await bot.settle();
    expect((await bot.service.get(productionId)).stage).toBe("script_review");
  });
});
