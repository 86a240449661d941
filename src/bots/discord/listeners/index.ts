/**
 * Every interaction enters here: claimed once by its id (a redelivered interaction does nothing
 * twice), then handed to the listener of its kind.
 */
import { type Client, Events, type Interaction } from "discord.js";
import { paragraph, type View, words } from "../../core/view.js";
import { claimEvent } from "../store.js";
import { onCommand } from "./commands.js";
import { onComponent } from "./components.js";
import { type BotContext, incoming, tellError, tellPrivately } from "./context.js";
import { onModal } from "./modals.js";

const SERVERS_ONLY_TEXT =
  "Greenlight works in a server channel: each production gets its own thread there. Run /vrd or /toolstack in a channel of a server that has Greenlight.";
const SERVERS_ONLY: View = { summary: SERVERS_ONLY_TEXT, elements: [paragraph([words(SERVERS_ONLY_TEXT)])] };

export async function handleInteraction(ctx: BotContext, interaction: Interaction): Promise<void> {
  const inc = incoming(interaction);
  try {
    if (!(await claimEvent(ctx.db, `interaction:${interaction.id}`))) return;
    // The commands are registered for servers only; one still sent from a DM (an old registration)
    // is told where to go rather than failing on a thread it cannot make.
    if (!interaction.inGuild()) return await tellPrivately(ctx, inc, SERVERS_ONLY, false);
    if (interaction.isChatInputCommand()) return await onCommand(ctx, interaction, inc);
    if (interaction.isButton() || interaction.isStringSelectMenu())
      return await onComponent(ctx, interaction, inc);
    if (interaction.isModalSubmit()) return await onModal(ctx, interaction, inc);
  } catch (err) {
    ctx.logger.error({ err, interaction: interaction.id }, "Discord interaction failed");
    // Unacknowledged interactions get a private answer; acknowledged ones a private follow-up.
    await tellError(ctx, inc, err, false).catch(() => {});
  }
}

/** Listens for interactions; returns the handlers still running (stop waits for them). */
export function listen(client: Client, ctx: BotContext): Set<Promise<void>> {
  const running = new Set<Promise<void>>();
  client.on(Events.InteractionCreate, (interaction) => {
    const work = handleInteraction(ctx, interaction);
    running.add(work);
    void work.finally(() => running.delete(work));
  });
  return running;
}
