/**
 * The gateway connection breaking the ways Discord breaks it: op 7 RECONNECT, a dropped connection
 * (RESUME replays what was missed), and op 9 INVALID_SESSION (a fresh IDENTIFY). The bot keeps
 * answering interactions afterwards, and an interaction replayed by a RESUME is handled once.
 */
import { describe, expect, it } from "vitest";
import { botPerTest, buttonId, withButton } from "./harness.js";

const fixture = botPerTest();

const BRIEF = {
  title: "Reconnects",
  objective: "Sign-ups for a coffee subscription",
  audience: "Urban professionals who brew at home",
  key_messages: "Roasted to order",
  tone_cta: "warm\nStart your free bag",
};

async function startProduction(): Promise<{ thread: string; productionId: string }> {
  await fixture.bot.fake.callbackOf(fixture.bot.fake.slash("vrd", { duration: 30, platform: "youtube" }));
  await fixture.bot.fake.callbackOf(fixture.bot.fake.submitModal("gl1:vf", BRIEF));
  await fixture.bot.settle();
  const [production] = await fixture.bot.service.list({ platform: "discord" });
  return { thread: [...fixture.bot.fake.threads.keys()][0]!, productionId: production!.id };
}

describe("Discord gateway: reconnects", () => {
  it("resumes after op 7 RECONNECT and keeps answering interactions", async () => {
    const { thread, productionId } = await startProduction();
    fixture.bot.fake.reconnect();
    await fixture.bot.fake.sessionsReady(2);
    expect(fixture.bot.fake.resumed).toBe(1);
    expect(fixture.bot.fake.identified).toBe(1);
    const questions = withButton(fixture.bot.fake, thread, "Skip — use defaults");
    const sent = fixture.bot.fake.click(buttonId(questions, "Skip — use defaults"), { message: questions });
    expect((await fixture.bot.fake.callbackOf(sent)).body).toEqual({ type: 6 });
    await fixture.bot.settle();
    expect((await fixture.bot.service.get(productionId)).stage).toBe("script_review");
  });

  it("an interaction sent while the connection was down arrives with the RESUME and is handled once", async () => {
    const { thread, productionId } = await startProduction();
    const questions = withButton(fixture.bot.fake, thread, "Skip — use defaults");
    fixture.bot.fake.dropConnection();
    // Dispatched while no client is connected: kept by the session, replayed on RESUME.
    const sent = fixture.bot.fake.click(buttonId(questions, "Skip — use defaults"), { message: questions });
    await fixture.bot.fake.sessionsReady(2);
    expect(fixture.bot.fake.resumed).toBe(1);
    expect((await fixture.bot.fake.callbackOf(sent)).body).toEqual({ type: 6 });
    fixture.bot.fake.redeliver(sent);
    await fixture.bot.settle();
    expect(fixture.bot.fake.calls.filter((c) => c.path.startsWith(`/interactions/${sent.id}/`))).toHaveLength(
      1,
    );
    const skips = (await fixture.bot.service.events(productionId)).filter((e) => e.type === "answered");
    expect(skips).toHaveLength(1);
  });

  it("identifies again after op 9 INVALID_SESSION and keeps answering interactions", async () => {
    const { thread, productionId } = await startProduction();
    fixture.bot.fake.invalidateSession();
    await fixture.bot.fake.sessionsReady(2);
    expect(fixture.bot.fake.identified).toBe(2);
    const questions = withButton(fixture.bot.fake, thread, "Skip — use defaults");
    const sent = fixture.bot.fake.click(buttonId(questions, "Skip — use defaults"), { message: questions });
    expect((await fixture.bot.fake.callbackOf(sent)).body).toEqual({ type: 6 });
    await fixture.bot.settle();
    expect((await fixture.bot.service.get(productionId)).stage).toBe("script_review");
  });
});
