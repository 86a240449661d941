/** /toolstack through the fake Discord, and research alert digests posted to a subscribed channel. */
import { describe, expect, it } from "vitest";
import { listSubscriptions } from "../../../src/research/subscriptions.js";
import { moderator } from "../../fakes/discord.js";
import { botPerTest, messagesIn, textOf } from "./harness.js";

const fixture = botPerTest();
const { db } = fixture;

describe("/toolstack", () => {
  it("search lists matching tools with their sourced price", async () => {
    const sent = fixture.bot.fake.slash("toolstack", { text: "runway" }, { subcommand: "search" });
    expect((await fixture.bot.fake.callbackOf(sent)).body).toEqual({ type: 5 });
    await fixture.bot.settle();
    const reply = fixture.bot.fake.calls.find((c) => c.method === "PATCH" && c.path.includes(sent.token))!;
    const text = JSON.stringify(reply.body.embeds);
    expect(text).toMatch(/Runway/i);
    expect(text).toContain("Price:");
  });

  it("subscribe is for members with Manage Messages; their channel then gets digests", async () => {
    const refused = fixture.bot.fake.slash("toolstack", {}, { subcommand: "subscribe" });
    const no = await fixture.bot.fake.callbackOf(refused);
    expect(no.body.data.flags).toBe(64);
    expect(await listSubscriptions(db(), "discord")).toEqual([]);

    const sent = fixture.bot.fake.slash(
      "toolstack",
      { topics: "new_tool, price_change" },
      { subcommand: "subscribe", user: moderator },
    );
    const yes = await fixture.bot.fake.callbackOf(sent);
    expect(yes.body.type).toBe(4);
    const [subscription] = await listSubscriptions(db(), "discord");
    expect(subscription).toMatchObject({
      channel: fixture.bot.fake.channelId,
      workspace: fixture.bot.fake.guildId,
      topics: ["new_tool", "price_change"],
    });

    const bad = fixture.bot.fake.slash(
      "toolstack",
      { topics: "gossip" },
      { subcommand: "subscribe", user: moderator },
    );
    const told = await fixture.bot.fake.callbackOf(bad);
    expect(told.body.data.flags).toBe(64);
    expect(JSON.stringify(told.body.data.embeds)).toContain("gossip");

    await fixture.bot.surface.alertSink.sendDigest(
      { workspace: fixture.bot.fake.guildId, channel: fixture.bot.fake.channelId },
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
    const digest = messagesIn(fixture.bot.fake, fixture.bot.fake.channelId).find((m) =>
      textOf(m).includes("Tool stack news"),
    )!;
    expect(textOf(digest)).toContain("@\u200Beveryone");
    expect(digest.body.allowed_mentions).toEqual({ parse: [] });
  });
});
