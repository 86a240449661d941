/** /toolstack through the fake Discord, and research alert digests posted to a subscribed channel. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { listSubscriptions } from "../../../src/research/subscriptions.js";
import { moderator } from "../../fakes/discord.js";
import { useTestDb } from "../../support/db.js";
import { messagesIn, startBot, type TestBot, textOf } from "./harness.js";

const db = useTestDb();
let bot: TestBot;
beforeEach(async () => {
  bot = await startBot(db());
});
afterEach(async () => {
  await bot.stop();
});

describe("/toolstack", () => {
  it("search lists matching tools with their sourced price", async () => {
    const sent = bot.fake.slash("toolstack", { text: "runway" }, { subcommand: "search" });
    expect((await bot.fake.callbackOf(sent)).body).toEqual({ type: 5 });
    await bot.settle();
    const reply = bot.fake.calls.find((c) => c.method === "PATCH" && c.path.includes(sent.token))!;
    const text = JSON.stringify(reply.body.embeds);
    expect(text).toMatch(/Runway/i);
    expect(text).toContain("Price:");
  });

  it("subscribe is for members with Manage Messages; their channel then gets digests", async () => {
    const refused = bot.fake.slash("toolstack", {}, { subcommand: "subscribe" });
    const no = await bot.fake.callbackOf(refused);
    expect(no.body.data.flags).toBe(64);
    expect(await listSubscriptions(db(), "discord")).toEqual([]);

    const sent = bot.fake.slash(
      "toolstack",
      { topics: "new_tool, price_change" },
      { subcommand: "subscribe", user: moderator },
    );
    const yes = await bot.fake.callbackOf(sent);
    expect(yes.body.type).toBe(4);
    const [subscription] = await listSubscriptions(db(), "discord");
    expect(subscription).toMatchObject({
      channel: bot.fake.channelId,
      workspace: bot.fake.guildId,
      topics: ["new_tool", "price_change"],
    });

    const bad = bot.fake.slash(
      "toolstack",
      { topics: "gossip" },
      { subcommand: "subscribe", user: moderator },
    );
    const told = await bot.fake.callbackOf(bad);
    expect(told.body.data.flags).toBe(64);
    expect(JSON.stringify(told.body.data.embeds)).toContain("gossip");

    await bot.surface.alertSink.sendDigest(
      { workspace: bot.fake.guildId, channel: bot.fake.channelId },
      {
        title: "Tool stack news",
        items: [
          {
            alert_id: "new_tool:x",
            kind: "new_tool",
            text: "New tool @everyone X",
            url: "https://x.example",
          },
        ],
        more: { count: 0, by_kind: {} },
        text: "",
      },
    );
    const digest = messagesIn(bot.fake, bot.fake.channelId).find((m) =>
      textOf(m).includes("Tool stack news"),
    )!;
    expect(textOf(digest)).toContain("@\u200Beveryone");
    expect(digest.body.allowed_mentions).toEqual({ parse: [] });
  });
});
