/**
 * `greenlight discord register [--guild ID]`: puts the slash commands in place with Discord's bulk
 * overwrite (PUT), so running it again with the same commands changes nothing. A guild registration
 * shows at once (development); a global one is for production.
 */
import { Command } from "commander";
import { REST, Routes } from "discord.js";
import type { Config } from "../../config.js";
import { ValidationError } from "../../domain/errors.js";
import { DISCORD_COMMANDS } from "./commands.js";

export interface RegisteredCommand {
  id: string;
  name: string;
}

/** The REST client for DISCORD_TOKEN, aimed at DISCORD_API_URL when set (tests, proxies). */
export function discordRest(config: Pick<Config, "DISCORD_TOKEN" | "DISCORD_API_URL">): REST {
  const rest = new REST(config.DISCORD_API_URL ? { api: config.DISCORD_API_URL.replace(/\/$/, "") } : {});
  return rest.setToken(config.DISCORD_TOKEN ?? "");
}

function requireSettings(config: Config): { token: string; applicationId: string } {
  const problems = [
    ...(config.DISCORD_TOKEN ? [] : [{ field: "DISCORD_TOKEN", message: "must be set (the bot token)" }]),
    ...(config.DISCORD_APPLICATION_ID
      ? []
      : [{ field: "DISCORD_APPLICATION_ID", message: "must be set (the application id)" }]),
  ];
  if (problems.length > 0) throw new ValidationError(problems, "configuration");
  return { token: config.DISCORD_TOKEN!, applicationId: config.DISCORD_APPLICATION_ID! };
}

/** Registers /vrd and /toolstack in one guild (`guildId`) or globally; returns what Discord now has. */
export async function registerDiscordCommands(
  config: Config,
  options: { guildId?: string } = {},
): Promise<RegisteredCommand[]> {
  const { applicationId } = requireSettings(config);
  const guildId = options.guildId?.trim();
  if (guildId !== undefined && !/^\d{17,20}$/.test(guildId))
    throw new ValidationError(
      [{ field: "--guild", message: `must be a guild id (digits), got "${guildId}"` }],
      "option",
    );
  const route = guildId
    ? Routes.applicationGuildCommands(applicationId, guildId)
    : Routes.applicationCommands(applicationId);
  const registered = (await discordRest(config).put(route, {
    body: DISCORD_COMMANDS,
  })) as RegisteredCommand[];
  return registered.map(({ id, name }) => ({ id, name }));
}

/** The `discord` command group of the CLI. */
export function discordCommand(config: () => Config): Command {
  const discord = new Command("discord").description("the Discord bot");
  discord
    .command("register")
    .description("register the /vrd and /toolstack slash commands (globally, or in one guild with --guild)")
    .option("--guild <id>", "register in this guild only (shows at once; for development)")
    .action(async (opts: { guild?: string }) => {
      const registered = await registerDiscordCommands(config(), { guildId: opts.guild });
      const where = opts.guild ? `in guild ${opts.guild}` : "globally";
      process.stdout.write(`Registered ${registered.map((c) => `/${c.name}`).join(", ")} ${where}.\n`);
    });
  return discord;
}
