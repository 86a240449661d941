/**
 * The Discord surface: a discord.js client (Guilds intent only) whose REST base is DISCORD_API_URL
 * when set (the gateway URL then comes from that server's GET /gateway/bot), the interaction
 * listeners, the thread updater fed by the production service's events, and the research alert sink.
 */
import { Client, GatewayIntentBits } from "discord.js";
import type { SurfaceContext } from "../../main.js";
import type { AlertSink } from "../../research/alerts.js";
import { researchDepsFromConfig } from "../../research/from-config.js";
import { runResearchOnce } from "../../research/run.js";
import { digestView } from "../core/toolstack-views.js";
import { DiscordApi } from "./api.js";
import { type BotContext, serialiser } from "./listeners/context.js";
import { listen } from "./listeners/index.js";
import { renderDiscordMessages } from "./render.js";
import { ThreadUpdates } from "./thread-updates.js";

export interface DiscordSurface {
  start(): Promise<void>;
  stop(): Promise<void>;
  alertSink: AlertSink;
  /** Resolves when every interaction and event received so far has been handled (tests, benches). */
  idle(): Promise<void>;
  client: Client;
}

export interface DiscordSurfaceOptions {
  /** Milliseconds since the epoch; tests move it to make interaction tokens expire. */
  now?: () => number;
}

export function createDiscordSurface(
  ctx: Pick<SurfaceContext, "config" | "logger" | "db" | "service" | "alertSinks">,
  options: DiscordSurfaceOptions = {},
): DiscordSurface {
  const { config, db, service } = ctx;
  const logger = ctx.logger.child({ surface: "discord" });
  const applicationId = config.DISCORD_APPLICATION_ID ?? "";
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: config.DISCORD_API_URL ? { api: config.DISCORD_API_URL.replace(/\/$/, "") } : {},
  });
  const api = new DiscordApi(client.rest, applicationId);
  const now = options.now ?? Date.now;
  const updates = new ThreadUpdates({ db, service, api, logger, now });

  const alertSink: AlertSink = {
    platform: "discord",
    async sendDigest({ channel }, digest) {
      for (const message of renderDiscordMessages(digestView(digest))) await api.post(channel, message);
    },
  };

  const bot: BotContext = {
    db,
    service,
    api,
    updates,
    logger,
    now,
    serial: serialiser(),
    runResearch: () =>
      runResearchOnce(researchDepsFromConfig(config, db, [...ctx.alertSinks, alertSink]), {
        trigger: "manual",
      }),
  };
  const running = listen(client, bot);
  client.on("error", (err) => logger.error({ err }, "Discord client error"));

  const idle = async () => {
    while (running.size > 0) await Promise.all([...running]);
    await updates.idle();
  };

  return {
    client,
    alertSink,
    idle,
    async start() {
      updates.start();
      // The REST token is set before the gateway connects: the gateway URL comes over REST.
      client.rest.setToken(config.DISCORD_TOKEN ?? "");
      await client.login(config.DISCORD_TOKEN);
      logger.info({ user: client.user?.tag }, "Discord connected");
    },
    async stop() {
      await client.destroy();
      // First: updates waiting to retry a Discord failure give up (the next start's catch-up does them).
      const stopping = updates.stop();
      await idle();
      await stopping;
    },
  };
}
