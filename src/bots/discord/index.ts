/** The Discord bot: surface (client, listeners, thread updates, alerts), command registration, renderer. */

export { DISCORD_COMMANDS } from "./commands.js";
export { discordCommand, type RegisteredCommand, registerDiscordCommands } from "./register.js";
export { createDiscordSurface, type DiscordSurface, type DiscordSurfaceOptions } from "./surface.js";
