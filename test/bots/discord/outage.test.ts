/**
 * Discord failing for a while (5xx beyond discord.js's own three retries) or losing the answer to a
 * request it carried out, while a production starts and while its thread is updated. The starter is
 * told in plain words, the card and thread follow without a restart, and nothing appears twice.
 */
import { performance } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import type { FakeDiscord } from "../../fakes/discord.js";
import { botPerTest, buttonId, messagesIn, startBot, textOf, withButton } from "./harness.js";

const fixture = botPerTest();
const { db } = fixture;

const BRIEF = {
  title: "Ember & Oak launch",
  objective: "More sign-ups",
  audience: "Students",
  key_messages: "Fast\nCheap",
  tone_cta: "warm\nJoin today",
};

const UNAVAILABLE = { status: 503, body: { message: "Service Unavailable", code: 0 } };
/** discord.js tries a request four times before giving up: this many failures get through to the bot. */
const OUTAGE = 4;
const THREADS = /\/messages\/\d+\/threads$/;
const ORIGINAL = /\/messages\/(@|%40)original$/;
const CHANNEL_POST = /^\/channels\/\d+\/messages$/;
const FOLLOW_UP = /^\/webhooks\/\d+\/[^/]+$/;

async function submitBrief() {
  await fixture.bot.fake.callbackOf(fixture.bot.fake.slash("vrd", { duration: 15, platform: "tiktok" }));
  const submit = fixture.bot.fake.submitModal("gl1:vf", BRIEF);
  expect((await fixture.bot.fake.callbackOf(submit)).body).toEqual({ type: 5 });
}

const cards = (fake: FakeDiscord) =>
  [...fake.messages.values()].filter((m) => textOf(m).includes("New video production"));

/** The one thread, made from the one root card, with the questions in it (and not in the channel). */
function expectOneThreadWithQuestions(fake: FakeDiscord) {
  expect(cards(fake)).toHaveLength(1);
  expect(fake.threads.size).toBe(1);
  const [thread, { message }] = [...fake.threads.entries()][0]!;
  expect(message).toBe(cards(fake)[0]!.id);
  const questions = messagesIn(fake, thread).filter((m) => /questions/i.test(textOf(m)));
  expect(questions).toHaveLength(1);
  const publicInChannel = messagesIn(fake, fake.channelId).filter((m) => !m.ephemeral);
  expect(publicInChannel.some((m) => /questions/i.test(textOf(m)))).toBe(false);
  return { thread, questions: questions[0]! };
}

describe("Discord: an outage while a production starts", () => {
  it("the thread cannot be made for a while: the starter is told privately, and the thread follows", async () => {
    fixture.bot.fake.failNext("POST", THREADS, UNAVAILABLE, OUTAGE);
    await submitBrief();
    await fixture.bot.settle();

    const { thread } = expectOneThreadWithQuestions(fixture.bot.fake);
    const note = [...fixture.bot.fake.messages.values()].find((m) => m.ephemeral);
    expect(note && textOf(note)).toMatch(/Ember & Oak launch.*did not open its thread.*keeps trying/s);
    expect(textOf(cards(fixture.bot.fake)[0]!)).not.toMatch(/went wrong|error/i);
    // The production carries on in the thread.
    const questions = withButton(fixture.bot.fake, thread, "Skip — use defaults");
    await fixture.bot.fake.callbackOf(
      fixture.bot.fake.click(buttonId(questions, "Skip — use defaults"), { message: questions }),
    );
    await fixture.bot.settle();
    expect(messagesIn(fixture.bot.fake, thread).some((m) => /Script v1/.test(textOf(m)))).toBe(true);
  });

  it("the reply cannot become the card for a while: it says so, then becomes the card with its thread", async () => {
    fixture.bot.fake.failNext("PATCH", ORIGINAL, UNAVAILABLE, OUTAGE);
    await submitBrief();
    await fixture.bot.settle();

    expectOneThreadWithQuestions(fixture.bot.fake);
    const card = cards(fixture.bot.fake)[0]!;
    expect(card.via).toBe("original");
    const edits = fixture.bot.fake.calls.filter(
      (c) => c.method === "PATCH" && ORIGINAL.test(c.path) && c.status === 200,
    );
    // What the person saw in between: plain words, no error.
    expect(JSON.stringify(edits[0]!.body)).toMatch(/has started, but Discord did not answer.*keeps trying/);
    expect(JSON.stringify(edits[0]!.body)).not.toMatch(/went wrong/i);
    expect(JSON.stringify(edits.at(-1)!.body)).toContain("New video production");
  });

  it("Discord made the thread but its answer was lost: the same thread is used, not a second one", async () => {
    fixture.bot.fake.failNext("POST", THREADS, { status: 502, body: { message: "Bad Gateway" }, lost: true });
    await submitBrief();
    await fixture.bot.settle();

    const { thread } = expectOneThreadWithQuestions(fixture.bot.fake);
    expect(thread).toBe(cards(fixture.bot.fake)[0]!.id);
    expect([...fixture.bot.fake.messages.values()].some((m) => m.ephemeral)).toBe(false);
  });

  it("a stop while waiting to retry ends at once; the restart makes the thread, once", async () => {
    fixture.bot.fake.failNext("POST", THREADS, UNAVAILABLE, 2 * OUTAGE);
    await submitBrief();
    // Wait for the private note: the first attempt failed and the retry is waiting.
    for (let i = 0; i < 100 && ![...fixture.bot.fake.messages.values()].some((m) => m.ephemeral); i++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    const fake = fixture.bot.fake;
    const before = performance.now();
    await fixture.bot.stop({ keepFake: true });
    expect(performance.now() - before).toBeLessThan(900);
    expect(fake.threads.size).toBe(0);

    fixture.bot = await startBot(db(), { fake });
    await fixture.bot.settle();
    expectOneThreadWithQuestions(fake);
  });
});

describe("Discord: an outage while the thread is updated", () => {
  it("a post that fails for a while is retried and appears once, in its place", async () => {
    fixture.bot.fake.failNext("POST", CHANNEL_POST, UNAVAILABLE, OUTAGE);
    await submitBrief();
    await fixture.bot.settle();
    const { thread } = expectOneThreadWithQuestions(fixture.bot.fake);

    // The next stage's first post (a follow-up of the click) fails too: it still comes before the review.
    const questions = withButton(fixture.bot.fake, thread, "Skip — use defaults");
    fixture.bot.fake.failNext("POST", FOLLOW_UP, UNAVAILABLE, OUTAGE);
    const clicked = performance.now();
    await fixture.bot.fake.callbackOf(
      fixture.bot.fake.click(buttonId(questions, "Skip — use defaults"), { message: questions }),
    );
    await fixture.bot.settle();
    const failed = fixture.bot.fake.calls.find((c) => c.status === 503 && c.at > clicked)!;
    const inThread = messagesIn(fixture.bot.fake, thread);
    const retried = inThread.filter(
      (m) => JSON.stringify(m.body.embeds) === JSON.stringify(failed.body.embeds),
    );
    expect(retried).toHaveLength(1);
    const review = inThread.findIndex((m) => /Script v1/.test(textOf(m)));
    expect(inThread.indexOf(retried[0]!)).toBeLessThan(review);
  });

  it("a post Discord made but whose answer was lost is not posted twice", async () => {
    fixture.bot.fake.failNext("POST", CHANNEL_POST, {
      status: 502,
      body: { message: "Bad Gateway" },
      lost: true,
    });
    await submitBrief();
    await fixture.bot.settle();
    expectOneThreadWithQuestions(fixture.bot.fake);
  });
});
