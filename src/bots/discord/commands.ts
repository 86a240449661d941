/**
 * The slash commands as Discord registers them (application command JSON). `/vrd` takes what a
 * five-input modal cannot hold as options; `/toolstack` groups the tool catalogue and alerts. Both are
 * registered for servers only.
 */
import { ApplicationIntegrationType, InteractionContextType } from "discord.js";
import { PLATFORMS } from "../../domain/vrd.js";
import { ALERT_TOPICS } from "../../research/alerts.js";
import { PLATFORM_LABEL } from "../core/format.js";

// discord-api-types ApplicationCommandOptionType
const SUB_COMMAND = 1;
const STRING = 3;
const INTEGER = 4;

/**
 * Both commands need a server channel (a production runs in a thread started there; alerts go to a
 * channel): offered in servers that installed the bot, never in DMs or as a user-installed app.
 */
const GUILD_ONLY = {
  contexts: [InteractionContextType.Guild],
  integration_types: [ApplicationIntegrationType.GuildInstall],
};

export const DISCORD_COMMANDS = [
  {
    name: "vrd",
    description: "Start a video production from a brief (the rest of the brief is asked in a form)",
    type: 1,
    ...GUILD_ONLY,
    options: [
      {
        type: INTEGER,
        name: "duration",
        description: "Length of the video in seconds (5 to 600)",
        required: true,
        min_value: 5,
        max_value: 600,
      },
      {
        type: STRING,
        name: "platform",
        description: "Where the video will play",
        required: true,
        choices: PLATFORMS.map((p) => ({ name: PLATFORM_LABEL[p], value: p })),
      },
      {
        type: STRING,
        name: "quality",
        description: "Cheapest that works, balanced, or best available (default: medium)",
        required: false,
        choices: [
          { name: "Low — cheapest that works", value: "low" },
          { name: "Medium — balanced", value: "medium" },
          { name: "High — best available", value: "high" },
        ],
      },
    ],
  },
  {
    name: "toolstack",
    description: "The video tool catalogue and its research alerts",
    type: 1,
    ...GUILD_ONLY,
    options: [
      {
        type: SUB_COMMAND,
        name: "search",
        description: "Find tools by name, vendor or use, with price, limits and last benchmark",
        options: [{ type: STRING, name: "text", description: "e.g. runway, lip-sync, 9:16", required: true }],
      },
      {
        type: SUB_COMMAND,
        name: "subscribe",
        description: "Post research alerts in this channel (Manage Messages)",
        options: [
          {
            type: STRING,
            name: "topics",
            description: `Comma separated, empty for all: ${ALERT_TOPICS.join(", ")}`,
            required: false,
          },
        ],
      },
      {
        type: SUB_COMMAND,
        name: "unsubscribe",
        description: "Stop research alerts in this channel (Manage Messages)",
      },
      {
        type: SUB_COMMAND,
        name: "research",
        description: "Run the research agent now; alerts go to subscribed channels (Manage Messages)",
      },
    ],
  },
] as const;
