/**
 * The Discord bot used the way Discord and a careless user do: moderators and strangers clicking,
 * junk in the modal, Discord refusing or rate-limiting the thread, and a restart halfway. Every
 * message the bot sent is checked against Discord's limits after each test.
 */
import { describe, expect, it } from "vitest";
import type { DiscordMessage } from "../../../src/bots/discord/render.js";
import { type Json, moderator } from "../../fakes/discord.js";
import { botPerTest, buttonId, messagesIn, startBot, textOf, withButton } from "./harness.js";
import { expectModalWithinDiscordLimits, expectWithinDiscordLimits } from "./limits-check.js";

const fixture = botPerTest({
  beforeStop: (bot) => {
    // Whatever happened, every message sent pings nobody and fits Discord's limits.
    for (const c of bot.fake.calls)
      if (
        (c.method === "POST" || c.method === "PATCH") &&
        c.body &&
        /messages|webhooks|callback/.test(c.path)
      ) {
        const body = c.path.endsWith("/callback") ? c.body.data : c.body;
        if (c.body.type === 9) expectModalWithinDiscordLimits(body);
        if (!body || c.body.type === 9 || (!body.embeds && !body.content && !body.components)) continue;
        expectWithinDiscordLimits({
          embeds: [],
          components: [],
          allowed_mentions: body.allowed_mentions,
          ...body,
        } as DiscordMessage);
      }
  },
});
const { db } = fixture;

const BRIEF = {
  title: "Careless @everyone",
  objective: "Sign-ups @here <@&987654321098765432>",
  audience: "Students <@400000000000000002>",
  key_messages: "Fast @everyone\nCheap <@&987654321098765432>",
  tone_cta: "warm @here\nJoin <@&987654321098765432>",
};

async function startProduction() {
  const command = fixture.bot.fake.slash("vrd", { duration: 15, platform: "tiktok" });
  await fixture.bot.fake.callbackOf(command);
  const submit = fixture.bot.fake.submitModal("gl1:vf", BRIEF);
  expect((await fixture.bot.fake.callbackOf(submit)).body).toEqual({ type: 5 });
  await fixture.bot.settle();
  const [production] = await fixture.bot.service.list({ platform: "discord" });
  return production!;
}

describe("Discord: careless use", () => {
  it("a member with Manage Messages may approve someone else's production", async () => {
    await startProduction();
    const [thread] = [...fixture.bot.fake.threads.keys()];
    const questions = withButton(fixture.bot.fake, thread!, "Skip — use defaults");
    const sent = fixture.bot.fake.click(buttonId(questions, "Skip — use defaults"), {
      message: questions,
      user: moderator,
    });
    expect((await fixture.bot.fake.callbackOf(sent)).body).toEqual({ type: 6 });
    await fixture.bot.settle();
    const review = withButton(fixture.bot.fake, thread!, "Approve");
    const approve = fixture.bot.fake.click(buttonId(review, "Approve"), { message: review, user: moderator });
    await fixture.bot.fake.callbackOf(approve);
    await fixture.bot.settle();
    const [p] = await fixture.bot.service.list({ platform: "discord" });
    expect(p!.stage).not.toBe("script_review");
  });

  it.each([
    ["every field blank", { title: "", objective: "", audience: "", key_messages: "", tone_cta: "" }],
    ["over-long values", { ...BRIEF, title: "t".repeat(500), objective: "o".repeat(5000) }],
    [
      "eleven key messages",
      { ...BRIEF, key_messages: Array.from({ length: 11 }, (_, i) => `m${i}`).join("\n") },
    ],
  ])("a modal with %s gets a private reply naming the field, nothing started", async (_name, values) => {
    const command = fixture.bot.fake.slash("vrd", { duration: 15, platform: "tiktok" });
    await fixture.bot.fake.callbackOf(command);
    const reply = await fixture.bot.fake.callbackOf(fixture.bot.fake.submitModal("gl1:vf", values));
    expect(reply.body.type).toBe(4);
    expect(reply.body.data.flags).toBe(64);
    expect(reply.body.data.allowed_mentions).toEqual({ parse: [] });
    expect(reply.body.data.content).toMatch(/\*\*(Title|Objective|Key messages)/);
    expect(reply.body.data.content.length).toBeLessThanOrEqual(2000);
    await fixture.bot.settle();
    expect(await fixture.bot.service.list({ platform: "discord" })).toHaveLength(0);
  });

  it("/vrd without its options asks for length and platform in the modal, and Fix and resend keeps them", async () => {
    const command = fixture.bot.fake.slash("vrd", {});
    const modal = await fixture.bot.fake.callbackOf(command);
    expect(modal.body.type).toBe(9);
    const ids = (call: Json) => call.body.data.components.map((r: Json) => r.components[0].custom_id);
    expect(ids(modal)).toEqual(["title", "objective", "length_platform", "key_messages", "tone_cta"]);

    // Submitted without it (or with nonsense): the reply names the box, and the box comes back.
    const { audience: _none, ...typed } = BRIEF;
    const reply = await fixture.bot.fake.callbackOf(
      fixture.bot.fake.submitModal("gl1:vf", { ...typed, length_platform: "2, myspace" }),
    );
    expect(reply.body.type).toBe(4);
    expect(reply.body.data.flags).toBe(64);
    expect(reply.body.data.content).toContain("**Length in seconds & platform**");
    const ephemeral = [...fixture.bot.fake.messages.values()].find((m) => m.ephemeral)!;
    const reopen = await fixture.bot.fake.callbackOf(
      fixture.bot.fake.click(reply.body.data.components[0].components[0].custom_id, { message: ephemeral }),
    );
    expect(reopen.body.type).toBe(9);
    expect(ids(reopen)).toContain("length_platform");
    const inputs = reopen.body.data.components.map((r: Json) => r.components[0]);
    expect(inputs.find((i: Json) => i.custom_id === "length_platform").value).toBe("2, myspace");
    expect(inputs.find((i: Json) => i.custom_id === "title").value).toBe(BRIEF.title);

    const resend = fixture.bot.fake.submitModal("gl1:vf", {
      ...typed,
      length_platform: "45s, YouTube Shorts",
    });
    expect((await fixture.bot.fake.callbackOf(resend)).body).toEqual({ type: 5 });
    await fixture.bot.settle();
    const [production] = await fixture.bot.service.list({ platform: "discord" });
    expect(production!.vrd).toMatchObject({ duration_seconds: 45, platform: "youtube_shorts" });
  });

  it("Fix and resend after an over-long title reopens a modal Discord accepts, with all that was typed", async () => {
    await fixture.bot.fake.callbackOf(fixture.bot.fake.slash("vrd", { duration: 15, platform: "tiktok" }));
    const long = `${"Ember & Oak ".repeat(30)}end`;
    const reply = await fixture.bot.fake.callbackOf(
      fixture.bot.fake.submitModal("gl1:vf", { ...BRIEF, title: long }),
    );
    expect(reply.body.data.content).toContain("**Title**");
    const ephemeral = [...fixture.bot.fake.messages.values()].find((m) => m.ephemeral)!;
    const reopen = await fixture.bot.fake.callbackOf(
      fixture.bot.fake.click(reply.body.data.components[0].components[0].custom_id, { message: ephemeral }),
    );
    expect(reopen.body.type).toBe(9);
    const title = reopen.body.data.components
      .map((r: Json) => r.components[0])
      .find((i: Json) => i.custom_id === "title");
    expect(title.value).toBe(long);
    // afterEach checks the modal against Discord's limits (value within max_length).
  });

  it.each([
    ["vrd", { duration: 15, platform: "tiktok" }, undefined],
    ["toolstack", { text: "runway" }, "search"],
  ])(
    "/%s sent from a DM gets a private answer naming where it works, nothing started",
    async (name, options, subcommand) => {
      const sent = fixture.bot.fake.slash(name, options, { dm: true, ...(subcommand ? { subcommand } : {}) });
      const reply = await fixture.bot.fake.callbackOf(sent);
      expect(reply.body.type).toBe(4);
      expect(reply.body.data.flags).toBe(64);
      expect(JSON.stringify(reply.body.data.embeds)).toContain("works in a server channel");
      await fixture.bot.settle();
      expect(await fixture.bot.service.list({ platform: "discord" })).toHaveLength(0);
      expect(fixture.bot.log.lines).toEqual([]);
    },
  );

  it("/vrd without the optional quality opens the usual modal and starts at medium quality", async () => {
    const modal = await fixture.bot.fake.callbackOf(
      fixture.bot.fake.slash("vrd", { duration: 20, platform: "tiktok" }),
    );
    expect(modal.body.data.components.map((r: Json) => r.components[0].custom_id)).toContain("audience");
    const p = await startProduction();
    expect(p.vrd.constraints.quality_priority).toBe("medium");
  });

  it("Missing Permissions (50013) on creating the thread: the production runs in the channel", async () => {
    fixture.bot.fake.failNext("POST", /\/threads$/, {
      status: 403,
      body: { message: "Missing Permissions", code: 50013 },
    });
    const p = await startProduction();
    expect(fixture.bot.fake.threads.size).toBe(0);
    const inChannel = messagesIn(fixture.bot.fake, fixture.bot.fake.channelId);
    expect(inChannel.some((m) => /questions/i.test(textOf(m)))).toBe(true);
    expect((await fixture.bot.service.get(p.id)).stage).toBe("clarifying");
  });

  it("a 429 with retry_after on creating the thread is waited out: one thread, one root card", async () => {
    fixture.bot.fake.failNext("POST", /\/threads$/, {
      status: 429,
      body: { message: "You are being rate limited.", retry_after: 0.3, global: false },
      headers: { "retry-after": "1", "x-ratelimit-scope": "user" },
    });
    await startProduction();
    expect(fixture.bot.fake.threads.size).toBe(1);
    const [thread] = [...fixture.bot.fake.threads.keys()];
    expect(messagesIn(fixture.bot.fake, thread!).some((m) => /questions/i.test(textOf(m)))).toBe(true);
  });

  it("a restart between clicks: the old buttons still work and update the same messages", async () => {
    const p = await startProduction();
    const [thread] = [...fixture.bot.fake.threads.keys()];
    const fake = fixture.bot.fake;
    const count = fake.messages.size;
    await fixture.bot.stop({ keepFake: true });
    fixture.bot = await startBot(db(), { fake });
    await fixture.bot.settle();
    expect(fake.messages.size).toBe(count); // nothing posted again on start
    const questions = withButton(fake, thread!, "Skip — use defaults");
    await fixture.bot.fake.callbackOf(
      fixture.bot.fake.click(buttonId(questions, "Skip — use defaults"), { message: questions }),
    );
    await fixture.bot.settle();
    expect(textOf(fake.messages.get(questions.id)!)).toContain("Skipped");
    expect((await fixture.bot.service.get(p.id)).stage).toBe("script_review");
    const scripts = messagesIn(fake, thread!).filter((m) => /Script v1/.test(textOf(m)));
    expect(scripts.length).toBeGreaterThan(0);
    expect(new Set(scripts.map((m) => m.id)).size).toBe(scripts.length);
  });

  it.each([
    ["within the reply's 15 minutes: the reply becomes the root card", false, false],
    ["after the reply's token expired: the root card is posted in the channel", true, false],
    ["after dying while drawing the card (its claim left behind)", false, true],
  ])(
    "a crash right after the production was created, restarted %s, thread and questions follow",
    async (_name, expired, claimLeft) => {
      // The first process dies right after service.start: nothing after it runs (its error edit is lost).
      const start = fixture.bot.service.start.bind(fixture.bot.service);
      fixture.bot.service.start = async (...args: Parameters<typeof start>) => {
        await start(...args);
        throw new Error("the process died here");
      };
      fixture.bot.fake.failNext("PATCH", /\/messages\/(@|%40)original$/, {
        status: 404,
        body: { message: "Unknown Webhook", code: 10015 },
      });
      await fixture.bot.fake.callbackOf(fixture.bot.fake.slash("vrd", { duration: 15, platform: "tiktok" }));
      expect((await fixture.bot.fake.callbackOf(fixture.bot.fake.submitModal("gl1:vf", BRIEF))).body).toEqual(
        { type: 5 },
      );
      await fixture.bot.settle();
      const [orphan] = await fixture.bot.service.list({ platform: "discord" });
      expect(orphan!.stage).toBe("clarifying");
      expect(fixture.bot.fake.threads.size).toBe(0);
      const reply = [...fixture.bot.fake.messages.values()].find((m) => m.via === "original")!;
      expect(textOf(reply).trim()).toBe(""); // still "thinking…"

      const fake = fixture.bot.fake;
      await fixture.bot.stop({ keepFake: true });
      if (expired) fake.expireTokens();
      // Died between claiming the root card and recording it, minutes ago.
      if (claimLeft)
        await db().query(
          `INSERT INTO bot_messages (platform, production_id, kind, part, channel, created_at)
           VALUES ('discord', $1, 'root', 0, $2, now() - interval '10 minutes')`,
          [orphan!.id, fake.channelId],
        );
      fixture.bot = await startBot(db(), { fake });
      await fixture.bot.settle();

      expect(fake.threads.size).toBe(1);
      const [thread, { message }] = [...fake.threads.entries()][0]!;
      const root = fake.messages.get(message)!;
      expect(textOf(root)).toContain("New video production");
      expect(root.channel_id).toBe(fake.channelId);
      expect(root.id === reply.id).toBe(!expired);
      const cards = [...fake.messages.values()].filter((m) => textOf(m).includes("New video production"));
      expect(cards).toHaveLength(1);
      // The production carries on in its thread as if nothing had happened.
      const questions = withButton(fake, thread, "Skip — use defaults");
      await fake.callbackOf(fake.click(buttonId(questions, "Skip — use defaults"), { message: questions }));
      await fixture.bot.settle();
      expect((await fixture.bot.service.get(orphan!.id)).stage).toBe("script_review");
      expect(messagesIn(fake, thread).some((m) => /Script v1/.test(textOf(m)))).toBe(true);
    },
  );

  it("a stop while a stage runs: after the restart the script is posted in the thread, once", async () => {
    const p = await startProduction();
    const [thread] = [...fixture.bot.fake.threads.keys()];
    const fake = fixture.bot.fake;
    const questions = withButton(fake, thread!, "Skip — use defaults");
    await fake.callbackOf(fake.click(buttonId(questions, "Skip — use defaults"), { message: questions }));
    // The bot stops listening while the stage finishes: its events reach no thread.
    await fixture.bot.surface.stop();
    await fixture.bot.runner.idle();
    expect(messagesIn(fake, thread!).some((m) => /Script v1/.test(textOf(m)))).toBe(false);
    await fixture.bot.stop({ keepFake: true });
    fixture.bot = await startBot(db(), { fake });
    await fixture.bot.settle();
    expect((await fixture.bot.service.get(p.id)).stage).toBe("script_review");
    const reviews = messagesIn(fake, thread!).filter(
      (m) => m.body?.components?.length && /Approve/.test(JSON.stringify(m.body.components)),
    );
    expect(reviews.length).toBeGreaterThan(0);
    const first = reviews.map((m) => textOf(m).split("\n")[0]);
    expect(new Set(first).size).toBe(first.length);
  });
});
