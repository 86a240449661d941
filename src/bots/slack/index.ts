/**
 * The Slack bot: a Bolt app on the platform-neutral core. Socket Mode when an app token is given,
 * otherwise HTTP mode on the API's own port (POST /slack/events, signatures verified). Production
 * events update the threads (production-updates.ts); research digests go out through `alertSink`.
 */
import { App, type Logger as BoltLogger, LogLevel } from "@slack/bolt";
import type { WebClientOptions } from "@slack/web-api";
import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import type { Db } from "../../db/db.js";
import type { SurfaceContext } from "../../main.js";
import type { ProductionService } from "../../production/contract.js";
import type { AlertSink } from "../../research/alerts.js";
import { researchDepsFromConfig } from "../../research/from-config.js";
import { type ResearchRunSummary, runResearchOnce } from "../../research/run.js";
import { SlackActors } from "./actors.js";
import { slackAlertSink } from "./alert-sink.js";
import { BackgroundWork } from "./background.js";
import type { SlackContext } from "./context.js";
import { FastifyReceiver } from "./fastify-receiver.js";
import { registerListeners } from "./listeners/index.js";
import { SlackMessenger } from "./messenger.js";
import { ChannelPacer } from "./pacer.js";
import { ProductionUpdates } from "./production-updates.js";

export { SLACK_EVENTS_PATH } from "./fastify-receiver.js";
export { signSlackRequest } from "./signature.js";

export interface SlackBotOptions {
  botToken: string;
  /** HTTP mode: verifies each request. */
  signingSecret?: string;
  /** Socket Mode when set (xapp-…). */
  appToken?: string;
  /** Web API base URL, e.g. a fake's; must end with "/" (default https://slack.com/api/). */
  apiUrl?: string;
  /** HTTP mode registers POST /slack/events here. */
  fastify?: FastifyInstance;
  db: Db;
  service: ProductionService;
  logger?: Logger;
  /** Spacing of chat.postMessage per channel (default 1000 ms: Slack's ~1 message/s). */
  postIntervalMs?: number;
  /** `/toolstack research`. */
  runResearch?: () => Promise<ResearchRunSummary>;
  /** Overrides for the Web API client (tests shorten retries). */
  clientOptions?: WebClientOptions;
}

export interface SlackBot {
  app: App;
  alertSink: AlertSink;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves when every request (HTTP mode) and production event received so far has reached Slack. */
  idle(): Promise<void>;
}

/** Bolt's logger interface on top of pino. */
function boltLogger(logger: Logger | undefined): BoltLogger {
  const log = logger?.child({ component: "slack" });
  let level = LogLevel.INFO;
  const at =
    (method: "debug" | "info" | "warn" | "error") =>
    (...msg: unknown[]) => {
      // Bolt logs whole payloads at debug: build the line only when it will be written.
      if (!log?.isLevelEnabled(method)) return;
      log[method](msg.map((m) => (typeof m === "string" ? m : JSON.stringify(m))).join(" "));
    };
  return {
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

/** Slack's base URL must end with a slash (the WebClient appends method names to it). */
const withSlash = (url: string) => (url.endsWith("/") ? url : `${url}/`);

export function createSlackBot(options: SlackBotOptions): SlackBot {
  const logger = boltLogger(options.logger);
  const clientOptions: WebClientOptions = {
    ...(options.apiUrl ? { slackApiUrl: withSlash(options.apiUrl) } : {}),
    // A 429 is waited out (Retry-After) and retried by the client itself; other failures a few times.
    rejectRateLimitedCalls: false,
    retryConfig: { retries: 3, factor: 2, minTimeout: 500 },
    ...options.clientOptions,
  };
  // Socket Mode acknowledges over its WebSocket; only HTTP mode tells the work when requests are being answered.
  const background = new BackgroundWork({
    concurrency: 2,
    onError: (error) => options.logger?.error({ err: error }, "Slack background work failed"),
  });
  const socketMode = Boolean(options.appToken);
  let app: App;
  let receiver: FastifyReceiver | undefined;
  if (socketMode) {
    // Bolt hands clientOptions to the Socket Mode receiver too, so apps.connections.open uses apiUrl.
    app = new App({
      token: options.botToken,
      appToken: options.appToken,
      socketMode: true,
      convoStore: false,
      clientOptions,
      logger,
      deferInitialization: true,
    });
  } else {
    if (!options.fastify || !options.signingSecret)
      throw new Error("Slack HTTP mode needs the signing secret and the HTTP server");
    receiver = new FastifyReceiver({
      fastify: options.fastify,
      signingSecret: options.signingSecret,
      logger: options.logger,
      onRequest: () => background.answeringRequest(),
    });
    app = new App({
      token: options.botToken,
      receiver,
      convoStore: false, // no listener keeps conversation state
      clientOptions,
      logger,
      deferInitialization: true,
    });
  }

  const messenger = new SlackMessenger(
    app.client,
    options.db,
    new ChannelPacer(options.postIntervalMs ?? 1000),
  );
  let teamUrl: Promise<string | null> | undefined;
  const updates = new ProductionUpdates({
    db: options.db,
    service: options.service,
    messenger,
    background,
    logger: options.logger,
  });
  const ctx: SlackContext = {
    db: options.db,
    service: options.service,
    client: app.client,
    messenger,
    actors: new SlackActors(app.client),
    background,
    logger: options.logger,
    runResearch: options.runResearch,
    catchUp: (productionId) => updates.catchUp(productionId),
    teamUrl: () => {
      teamUrl ??= app.client.auth.test().then(
        (r) => (typeof r.url === "string" ? r.url : null),
        () => null,
      );
      return teamUrl;
    },
  };
  registerListeners(app, ctx);
  app.error(async (error) => {
    options.logger?.error({ err: error }, "Slack listener failed");
  });

  return {
    app,
    alertSink: slackAlertSink(messenger),
    async start() {
      await app.init(); // auth.test: a wrong token stops start-up here, with Slack's error
      updates.start();
      await app.start();
    },
    async stop() {
      updates.stop();
      await app.stop();
      await background.idle();
      await updates.idle();
    },
    async idle() {
      // Listener work may start productions, whose events then update threads.
      await receiver?.idle();
      await background.idle();
      await updates.idle();
      await background.idle();
    },
  };
}

/** The "Slack" entry of main.ts's OPTIONAL_SURFACES. */
export function createSlackSurface(ctx: SurfaceContext): SlackBot {
  const { config } = ctx;
  let bot: SlackBot | undefined;
  const runResearch = () =>
    runResearchOnce(
      researchDepsFromConfig(config, ctx.db, [...ctx.alertSinks, ...(bot ? [bot.alertSink] : [])]),
      {
        trigger: "manual",
      },
    );
  bot = createSlackBot({
    botToken: config.SLACK_BOT_TOKEN as string,
    signingSecret: config.SLACK_SIGNING_SECRET,
    appToken: config.SLACK_APP_TOKEN,
    apiUrl: config.SLACK_API_URL,
    fastify: ctx.app,
    db: ctx.db,
    service: ctx.service,
    logger: ctx.logger,
    runResearch,
  });
  return bot;
}
