/**
 * The Discord bot as it runs in production (the real discord.js client, the production service with
 * its runner, an embedded database), wired to the fake Discord of test/fakes/discord.ts.
 */

import { afterEach, beforeEach } from "vitest";
import { createDiscordSurface, type DiscordSurface } from "../../../src/bots/discord/index.js";
import { loadConfig } from "../../../src/config.js";
import type { Db } from "../../../src/db/db.js";
import { prepareDatabase } from "../../../src/db/prepare.js";
import type { ProductionServiceWithAdmin } from "../../../src/production/index.js";
import { createProductionService, type ProductionRunner } from "../../../src/production/index.js";
import { type CapturedLogger, captureLogger } from "../../api/harness.js";
import type { Json } from "../../fakes/discord.js";
import { type FakeDiscord, type FakeMessage, startFakeDiscord } from "../../fakes/discord.js";
import { useTestDb } from "../../support/db.js";

export interface TestBot {
  fake: FakeDiscord;
  surface: DiscordSurface;
  service: ProductionServiceWithAdmin;
  runner: ProductionRunner;
  log: CapturedLogger;
  /** The bot's clock (ms): tests move it forward to make interaction tokens expire. */
  clock: { offsetMs: number };
  /** Waits until generation, events and interaction handling have all finished. */
  settle(): Promise<void>;
  /** Stops the bot and the service; the fake Discord too unless `keepFake` (a restart). */
  stop(options?: { keepFake?: boolean }): Promise<void>;
}

/** Fakes kept by a stop for a restart: closed by closeKeptFakes if the restart never took them over. */
const keptFakes = new Set<FakeDiscord>();

/** After a test: closes the fake Discord of a restart that did not happen (its test failed first). */
async function closeKeptFakes(): Promise<void> {
  await Promise.all([...keptFakes].map((fake) => fake.close()));
  keptFakes.clear();
}

/**
 * Each test of the file gets a fresh bot on a fresh fake Discord and database (`current.bot`, which a
 * restart test replaces); after it, `beforeStop` checks the bot as it is, then it stops (with any
 * fake a restart kept), then `afterStop` checks what it logged.
 */
export function botPerTest(
  checks: { beforeStop?: (bot: TestBot) => void; afterStop?: (bot: TestBot) => void } = {},
): { bot: TestBot; db: () => Db } {
  const db = useTestDb();
  const current = { bot: undefined as unknown as TestBot, db };
  beforeEach(async () => {
    current.bot = await startBot(db());
  });
  afterEach(async () => {
    try {
      checks.beforeStop?.(current.bot);
    } finally {
      await current.bot.stop();
      await closeKeptFakes();
    }
    checks.afterStop?.(current.bot);
  });
  return current;
}

/** `fake`: reuse this fake Discord (a restart on the same guild). */
export async function startBot(db: Db, options: { fake?: FakeDiscord } = {}): Promise<TestBot> {
  await prepareDatabase(db);
  const fake = options.fake ?? (await startFakeDiscord());
  keptFakes.delete(fake);
  const log = captureLogger("warn");
  const config = loadConfig({
    DISCORD_TOKEN: "fake-bot-token",
    DISCORD_APPLICATION_ID: fake.applicationId,
    DISCORD_API_URL: fake.apiUrl,
    PGLITE_DIR: "memory://",
  });
  const { service, runner } = createProductionService({
    db,
    llm: null,
    leaseMs: 2_000,
    sweepIntervalMs: 0,
    retry: { attempts: 1, baseDelayMs: 1 },
  });
  const clock = { offsetMs: 0 };
  const surface = createDiscordSurface(
    { config, logger: log.logger, db, service, alertSinks: [] },
    { now: () => Date.now() + clock.offsetMs },
  );
  await surface.start();
  const settle = async () => {
    // Interactions start stages, stages emit events, events post messages: until all are quiet.
    for (let round = 0; round < 20; round++) {
      await surface.idle();
      await runner.idle();
      await new Promise((resolve) => setTimeout(resolve, 20));
      await surface.idle();
      if (runner.running() === 0 && runner.queueDepth() === 0) return;
    }
  };
  return {
    fake,
    surface,
    service,
    runner,
    log,
    clock,
    settle,
    async stop({ keepFake = false } = {}) {
      await surface.stop();
      await runner.stop({ abandon: true });
      if (keepFake) keptFakes.add(fake);
      else await fake.close();
    },
  };
}

/** Custom ids of every button and menu option of a message. */
export function actionsOf(message: FakeMessage): { label: string; id: string }[] {
  const out: { label: string; id: string }[] = [];
  for (const row of message.body?.components ?? [])
    for (const c of row.components ?? []) {
      if (c.type === 2) out.push({ label: c.label, id: c.custom_id });
      if (c.type === 3) for (const o of c.options) out.push({ label: o.label, id: o.value });
    }
  return out;
}

/** All text of a message (content, embed titles, descriptions and footers). */
export function textOf(message: FakeMessage): string {
  const b = message.body ?? {};
  return [
    b.content ?? "",
    ...(b.embeds ?? []).flatMap((e: Json) => [e.title ?? "", e.description ?? "", e.footer?.text ?? ""]),
  ].join("\n");
}

/** Messages in a channel, oldest first. */
export function messagesIn(fake: FakeDiscord, channelId: string): FakeMessage[] {
  return [...fake.messages.values()].filter((m) => m.channel_id === channelId);
}

/** The newest message in the channel with a button labelled `label`. */
export function withButton(fake: FakeDiscord, channelId: string, label: string): FakeMessage {
  const found = messagesIn(fake, channelId)
    .reverse()
    .find((m) => actionsOf(m).some((a) => a.label === label));
  if (!found) throw new Error(`no message with a "${label}" button in ${channelId}`);
  return found;
}

export const buttonId = (message: FakeMessage, label: string): string => {
  const found = actionsOf(message).find((a) => a.label === label);
  if (!found) throw new Error(`no "${label}" button`);
  return found.id;
};
