/**
 * Slash commands: acknowledged at once (Slack waits 3 s at most), then handled as background work so
 * a burst of commands is acknowledged before their work runs. Opening the form stays immediate: its
 * trigger id expires 3 s after the command.
 */
import type { App } from "@slack/bolt";
import { parseOrThrow } from "../../../../domain/parse.js";
import type { SlackContext } from "../../context.js";
import { SlashCommand } from "../../payloads.js";
import { toolstackCommand } from "./toolstack.js";
import { vrdCommand } from "./vrd.js";

export function register(app: App, ctx: SlackContext): void {
  app.command("/vrd", async ({ command, ack }) => {
    await ack();
    const cmd = parseOrThrow(SlashCommand, command, "slash command");
    if (cmd.text.trim() === "") await vrdCommand(ctx, cmd);
    else ctx.background.spawn(() => vrdCommand(ctx, cmd));
  });
  app.command("/toolstack", async ({ command, ack }) => {
    await ack();
    const cmd = parseOrThrow(SlashCommand, command, "slash command");
    ctx.background.spawn(() => toolstackCommand(ctx, cmd));
  });
}
