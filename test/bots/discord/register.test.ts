/** `greenlight discord register` against the fake Discord: bulk overwrite, idempotent. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  DISCORD_COMMANDS,
  discordCommand,
  registerDiscordCommands,
} from "../../../src/bots/discord/index.js";
import { loadConfig } from "../../../src/config.js";
import { ValidationError } from "../../../src/domain/errors.js";
import { type FakeDiscord, startFakeDiscord } from "../../fakes/discord.js";

let fake: FakeDiscord;
beforeEach(async () => {
  fake = await startFakeDiscord();
});
afterEach(async () => {
  await fake.close();
});

const config = () =>
  loadConfig({
    DISCORD_TOKEN: "fake-bot-token",
    DISCORD_APPLICATION_ID: fake.applicationId,
    DISCORD_API_URL: fake.apiUrl,
  });

describe("registerDiscordCommands", () => {
  it("puts /vrd and /toolstack in a guild with one PUT, and running it again changes nothing", async () => {
    const first = await registerDiscordCommands(config(), { guildId: fake.guildId });
    const second = await registerDiscordCommands(config(), { guildId: fake.guildId });
    expect(first.map((c) => c.name)).toEqual(["vrd", "toolstack"]);
    expect(second).toEqual(first);
    const puts = fake.calls.filter((c) => c.method === "PUT");
    expect(puts.map((c) => c.path)).toEqual([
      `/applications/${fake.applicationId}/guilds/${fake.guildId}/commands`,
      `/applications/${fake.applicationId}/guilds/${fake.guildId}/commands`,
    ]);
    expect(puts[1]!.body).toEqual(puts[0]!.body);
    const vrd = puts[0]!.body.find((c: { name: string }) => c.name === "vrd");
    expect(vrd.options.map((o: { name: string }) => o.name)).toEqual(["duration", "platform", "quality"]);
    // Servers only: no /vrd in DMs (no thread to run in) nor as a user-installed app.
    for (const command of puts[0]!.body) {
      expect(command.contexts).toEqual([0]);
      expect(command.integration_types).toEqual([0]);
    }
    const toolstack = puts[0]!.body.find((c: { name: string }) => c.name === "toolstack");
    expect(toolstack.options.map((o: { name: string }) => o.name)).toEqual([
      "search",
      "subscribe",
      "unsubscribe",
      "research",
    ]);
  });

  it("registers globally without --guild, and refuses a guild id that is not one", async () => {
    await registerDiscordCommands(config());
    expect(fake.calls.at(-1)?.path).toBe(`/applications/${fake.applicationId}/commands`);
    await expect(registerDiscordCommands(config(), { guildId: "my-server" })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it("is the `discord register --guild` command of the CLI", async () => {
    const written: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) =>
      written.push(String(chunk)) > 0) as typeof process.stdout.write;
    try {
      await discordCommand(config).parseAsync(["register", "--guild", fake.guildId], { from: "user" });
    } finally {
      process.stdout.write = write;
    }
    expect(written.join("")).toContain(`Registered /vrd, /toolstack in guild ${fake.guildId}`);
    expect(fake.calls.filter((c) => c.method === "PUT")[0]!.body).toEqual(
      JSON.parse(JSON.stringify(DISCORD_COMMANDS)),
    );
  });
});
