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
  // Even reading the payload waits for the background turn: during a burst every bit of work done
  // between acknowledgements holds back the ones still to come.
  const read = (command: unknown) => parseOrThrow(SlashCommand, command, "slash command");
  app.command("/vrd", async ({ command, ack }) => {
    await ack();
    if (command.text.trim() === "") await vrdCommand(ctx, read(command));
    else ctx.background.spawn(() => vrdCommand(ctx, read(command)));
  });
  app.command("/toolstack", async ({ command, ack }) => {
    await ack();
    ctx.background.spawn(() => toolstackCommand(ctx, read(command)));
  });
}
