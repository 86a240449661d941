/**
 * `npm run bench discord`: 100 `/vrd` commands dispatched at once through the fake Discord gateway to
 * the real discord.js client, then 100 brief submissions at once. Every interaction must be answered
 * (modal) or deferred within Discord's 3 s; prints the p99 of dispatch → callback.
 */
import { performance } from "node:perf_hooks";
import { createDiscordSurface } from "../src/bots/discord/index.js";
import { loadConfig } from "../src/config.js";
import { openPglite } from "../src/db/pglite.js";
import { prepareDatabase } from "../src/db/prepare.js";
import { createLogger } from "../src/logger.js";
import { createProductionService } from "../src/production/index.js";
import {
  type FakeDiscord,
  type FakeUser,
  type SentInteraction,
  startFakeDiscord,
} from "../test/fakes/discord.js";
import { percentile, summarise } from "./measure.js";

const DEADLINE_MS = 3000;

async function latencies(fake: FakeDiscord, sent: SentInteraction[]) {
  const calls = await Promise.all(sent.map((s) => fake.callbackOf(s, 10_000)));
  const ms = calls.map((c, i) => c.at - sent[i]!.sentAt);
  const sorted = [...ms].sort((a, b) => a - b);
  return {
    ...summarise(ms),
    p99_ms: Math.round(percentile(sorted, 99) * 1000) / 1000,
    within_3s: ms.filter((v) => v < DEADLINE_MS).length,
    callback_types: [...new Set(calls.map((c) => c.body?.type))],
  };
}

export async function benchDiscord(count = 100): Promise<object> {
  const db = await openPglite({ dataDir: "memory://" });
  const fake = await startFakeDiscord();
  const { service, runner } = createProductionService({ db, llm: null, sweepIntervalMs: 0 });
  const surface = createDiscordSurface({
    config: loadConfig({
      DISCORD_TOKEN: "bench-token",
      DISCORD_APPLICATION_ID: fake.applicationId,
      DISCORD_API_URL: fake.apiUrl,
    }),
    logger: createLogger("error", process.stderr),
    db,
    service,
    alertSinks: [],
  });
  try {
    await prepareDatabase(db);
    await surface.start();
    const users: FakeUser[] = Array.from({ length: count }, (_, i) => ({
      id: String(500000000000000000n + BigInt(i)),
      username: `creator${i}`,
    }));
    const wall = performance.now();
    const commands = users.map((user) => fake.slash("vrd", { duration: 30, platform: "tiktok" }, { user }));
    const command = await latencies(fake, commands);
    const submits = users.map((user, i) =>
      fake.submitModal(
        "gl1:vf",
        {
          title: `Reel ${i}`,
          objective: "Sign-ups for a coffee subscription",
          key_messages: "Roasted to order\nFirst bag free",
        },
        { user },
      ),
    );
    const submit = await latencies(fake, submits);
    await surface.idle();
    await runner.idle();
    const result = {
      interactions: count * 2,
      vrd_command: command,
      vrd_submit: submit,
      all_within_3s: command.within_3s === count && submit.within_3s === count,
      threads_created: fake.threads.size,
      wall_ms: Math.round(performance.now() - wall),
    };
    process.stderr.write(
      `discord: /vrd p99 ${command.p99_ms} ms, submit p99 ${submit.p99_ms} ms (deadline ${DEADLINE_MS} ms)\n`,
    );
    return result;
  } finally {
    await surface.stop();
    await runner.stop({ abandon: true });
    await fake.close();
    await db.close();
  }
}
