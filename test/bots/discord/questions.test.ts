/**
 * Clarifying questions in Discord beyond what one modal holds: with more than five open questions,
 * Answer all asks them five at a time and offers the next batch, so every question can be answered.
 */
import { describe, expect, it } from "vitest";
import type { Json } from "../../fakes/discord.js";
import { actionsOf, botPerTest, buttonId, textOf, withButton } from "./harness.js";
import { expectWithinDiscordLimits } from "./limits-check.js";

const fixture = botPerTest({ afterStop: (bot) => expect(bot.log.lines).toEqual([]) });
const { db } = fixture;

/** Six key messages in 15 s on TikTok: the brief leaves five questions open. */
const BRIEF = {
  title: "Many questions",
  objective: "Sign-ups",
  key_messages: "one\ntwo\nthree\nfour\nfive\nsix",
};

const EXTRA = [1, 2].map((n) => ({
  id: `extra_${n}`,
  field: "style",
  question: `Extra question ${n}: anything else about the look?`,
  why: "A brief from a model may ask more than five questions.",
  options: [],
  default: "as you see fit",
}));

const modalFields = (call: Json) =>
  (call.body.data.components as Json[]).map((r) => r.components[0]) as {
    custom_id: string;
    label: string;
  }[];

describe("Discord: more questions than a modal holds", () => {
  it("asks them five at a time; the reply to each batch offers the next one", async () => {
    await fixture.bot.fake.callbackOf(fixture.bot.fake.slash("vrd", { duration: 15, platform: "tiktok" }));
    await fixture.bot.fake.callbackOf(fixture.bot.fake.submitModal("gl1:vf", BRIEF));
    await fixture.bot.settle();
    const [production] = await fixture.bot.service.list({ platform: "discord" });
    const thread = [...fixture.bot.fake.threads.keys()][0]!;
    expect(production!.questions).toHaveLength(5);
    // Two more questions, as a model-written brief may ask: seven in all.
    // As every write does, the change moves updated_at (the service caches what it parsed per version).
    await db().query(
      "UPDATE productions SET questions = questions || $2::jsonb, updated_at = now() WHERE id = $1",
      [production!.id, JSON.stringify(EXTRA)],
    );
    const ids = (await fixture.bot.service.get(production!.id)).questions.map((q) => q.id);
    expect(ids).toHaveLength(7);

    const questions = withButton(fixture.bot.fake, thread, "Answer all");
    // Five open questions: Answer all stays on the message that asks them, not a "More choices" one.
    expect(textOf(questions)).toContain("A few questions before the script");
    expect(questions.body.content ?? "").not.toContain("More choices");
    const first = await fixture.bot.fake.callbackOf(
      fixture.bot.fake.click(buttonId(questions, "Answer all"), { message: questions }),
    );
    expect(first.body.type).toBe(9);
    expect(first.body.data.title).toBe("Questions 1–5 of 7");
    expect(modalFields(first).map((f) => f.custom_id)).toEqual(ids.slice(0, 5));
    expect(modalFields(first)[0]!.label).toMatch(/^1\. /);
    const p = await fixture.bot.service.get(production!.id);
    const defaults = Object.fromEntries(p.questions.slice(0, 5).map((q) => [q.id, "default"]));
    const submitted = fixture.bot.fake.submitModal(first.body.data.custom_id, defaults, {
      message: questions,
    });
    expect((await fixture.bot.fake.callbackOf(submitted)).body).toEqual({ type: 6 });
    await fixture.bot.settle();
    expect((await fixture.bot.service.get(production!.id)).stage).toBe("clarifying");

    // Privately: two questions left, and a button for them.
    const offer = [...fixture.bot.fake.messages.values()].find(
      (m) => m.ephemeral && actionsOf(m).some((a) => a.label === "Answer the next 2"),
    );
    expect(offer).toBeDefined();
    expect(textOf(offer!)).toContain("2 questions still open");
    const second = await fixture.bot.fake.callbackOf(
      fixture.bot.fake.click(buttonId(offer!, "Answer the next 2"), { message: offer! }),
    );
    expect(second.body.type).toBe(9);
    expect(second.body.data.title).toBe("Questions 6–7 of 7");
    expect(modalFields(second).map((f) => f.custom_id)).toEqual(["extra_1", "extra_2"]);
    expect(modalFields(second)[0]!.label).toMatch(/^6\. /);

    const last = fixture.bot.fake.submitModal(
      second.body.data.custom_id,
      { extra_1: "grainy film", extra_2: "warm film look" },
      { message: offer! },
    );
    expect((await fixture.bot.fake.callbackOf(last)).body).toEqual({ type: 6 });
    await fixture.bot.settle();
    const done = await fixture.bot.service.get(production!.id);
    expect(done.answers).toMatchObject({ extra_1: "grainy film", extra_2: "warm film look" });
    expect(done.stage).not.toBe("clarifying");
    // Nothing more to offer once every question is answered.
    const offers = [...fixture.bot.fake.messages.values()].filter(
      (m) => m.ephemeral && /still open/.test(textOf(m)),
    );
    expect(offers).toHaveLength(1);
    for (const m of fixture.bot.fake.messages.values()) expectWithinDiscordLimits(m.body);
  });
});
