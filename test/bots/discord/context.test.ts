/** Private answers (tellPrivately): never cut, and still delivered when the interaction was answered already. */
import { DiscordAPIError } from "discord.js";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { paragraph, type View, words } from "../../../src/bots/core/view.js";
import {
  type BotContext,
  type Incoming,
  tellPrivately,
} from "../../../src/bots/discord/listeners/context.js";
import type { DiscordMessage } from "../../../src/bots/discord/render.js";
import { expectWithinDiscordLimits } from "./limits-check.js";

type Sent = { via: "callback" | "followUp"; message: DiscordMessage };

function stubContext(callbackError?: unknown): { ctx: BotContext; sent: Sent[] } {
  const sent: Sent[] = [];
  const api = {
    async callback(_i: unknown, _type: number, message: DiscordMessage) {
      if (callbackError) throw callbackError;
      sent.push({ via: "callback", message });
    },
    async followUp(_token: string, message: DiscordMessage) {
      sent.push({ via: "followUp", message });
      return { id: "1", channel_id: "2" };
    },
  };
  return { ctx: { api, logger: pino({ level: "silent" }) } as unknown as BotContext, sent };
}

const inc: Incoming = {
  token: { id: "1", token: "tok", createdAt: Date.now() },
  channelId: "3",
  guildId: "4",
  actor: { platform: "discord", user_id: "5", workspace_id: "4", privileged: false, display_name: "ana" },
};

/** A view longer than one message may carry (6,000 characters over its embeds). */
const long: View = {
  summary: "long",
  elements: Array.from({ length: 8 }, (_, i) => paragraph([words(`${i}:${"word ".repeat(400)}end${i}`)])),
};

describe("tellPrivately", () => {
  it("sends a view too long for one message as several private messages, none cut", async () => {
    const { ctx, sent } = stubContext();
    await tellPrivately(ctx, inc, long, false);
    expect(sent.length).toBeGreaterThan(1);
    expect(sent[0]!.via).toBe("callback");
    for (const s of sent.slice(1)) expect(s.via).toBe("followUp");
    for (const s of sent) {
      expect(s.message.flags).toBe(64);
      expectWithinDiscordLimits(s.message);
    }
    const text = sent.flatMap((s) => s.message.embeds.map((e) => e.description ?? "")).join("");
    for (let i = 0; i < 8; i++) expect(text).toContain(`end${i}`);
  });

  it("falls back to a private follow-up when the interaction was already acknowledged (40060)", async () => {
    const acknowledged = new DiscordAPIError(
      { message: "Interaction has already been acknowledged.", code: 40060 },
      40060,
      400,
      "POST",
      "/interactions/1/tok/callback",
      { body: {} },
    );
    const { ctx, sent } = stubContext(acknowledged);
    await tellPrivately(ctx, inc, long, false);
    expect(sent.length).toBeGreaterThan(1);
    for (const s of sent) expect(s).toMatchObject({ via: "followUp", message: { flags: 64 } });
  });
});
