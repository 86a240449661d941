import { spawnSync } from "node:child_process";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { type Surface, type SurfaceSpec, startApp } from "../src/main.js";
import { captureLogger } from "./api/harness.js";
import { readSse } from "./api/sse-client.js";
import { copyPgliteTemplate, scratchDir } from "./support/db.js";

/** `npm start` in-process: the composition root on port 0 with an embedded database in a temp folder. */
let dir: string;
beforeAll(async () => {
  dir = await scratchDir();
  await copyPgliteTemplate(dir);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const env = (extra: Record<string, string> = {}) =>
  loadConfig({ PORT: "0", HOST: "127.0.0.1", PGLITE_DIR: dir, LOG_LEVEL: "info", ...extra });

describe("startApp", () => {
  it("serves the API, says in one line each what is on and off and why, and stops cleanly", async () => {
    const log = captureLogger("info");
    const app = await startApp(env({ API_KEY: "main-test-key", SLACK_BOT_TOKEN: "xoxb-1" }), {
      logger: log.logger,
    });
    try {
      const health = await fetch(`${app.url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({
        status: "ok",
        db: { kind: "pglite" },
        llm: { mode: "template" },
      });
      const locked = await fetch(`${app.url}/api/productions`);
      expect(locked.status).toBe(401);
      const started = await fetch(`${app.url}/api/productions`, {
        method: "POST",
        headers: { authorization: "Bearer main-test-key", "content-type": "application/json" },
        body: JSON.stringify({
          vrd: { title: "T", objective: "O", duration_seconds: 15, platform: "tiktok", key_messages: ["K"] },
        }),
      });
      expect(started.status).toBe(201);
    } finally {
      await app.stop();
    }
    const messages = log.messages();
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Database: embedded PGlite \(.+\): \d+ migration\(s\) applied/),
        "LLM: template mode (OPENAI_API_KEY not set)",
        "Slack: off (set SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode))",
        "Discord: off (DISCORD_TOKEN not set)",
        'Research: on (cron "0 6 * * *" UTC)',
        expect.stringMatching(/^API: on at http:\/\/127\.0\.0\.1:\d+ \(API key required\)/),
        "Greenlight stopped",
      ]),
    );
    expect(log.lines.join("\n")).not.toMatch(/main-test-key|xoxb-1/);
    await expect(fetch(`${app.url}/health`)).rejects.toThrow();
  });

  it("starts a wired surface whose settings are present, after the API, and stops it first", async () => {
    const calls: string[] = [];
    const surface: Surface = {
      start: async () => void calls.push("start"),
      stop: async () => void calls.push("stop"),
    };
    const specs: SurfaceSpec[] = [
      {
        name: "Discord",
        missing: (c) => (c.DISCORD_TOKEN ? null : "DISCORD_TOKEN not set"),
        create: () => surface,
        describe: () => "gateway",
      },
      { name: "Slack", missing: () => "SLACK_BOT_TOKEN not set", create: () => surface },
    ];
    const log = captureLogger("info");
    const app = await startApp(env({ DISCORD_TOKEN: "d-token" }), { logger: log.logger, surfaces: specs });
    expect(calls).toEqual(["start"]);
    expect(log.messages()).toEqual(
      expect.arrayContaining([
        "Discord: on (gateway)",
        "Slack: off (SLACK_BOT_TOKEN not set)",
        `API: on at ${app.url} (open: API_KEY not set); docs at ${app.url}/docs`,
      ]),
    );
    await app.stop();
    await app.stop(); // idempotent
    expect(calls).toEqual(["start", "stop"]);
  });

  it("ends open event streams when it stops, instead of hanging", async () => {
    const app = await startApp(env(), { logger: captureLogger("info").logger, surfaces: [] });
    const res = await fetch(`${app.url}/api/productions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        vrd: { title: "T", objective: "O", duration_seconds: 15, platform: "tiktok", key_messages: ["K"] },
      }),
    });
    const { id } = (await res.json()) as { id: string };
    let seen = 0;
    // The production waits in clarifying: the stream stays open until the app stops.
    const reading = readSse(`${app.url}/api/productions/${id}/events`, {}, { onEvent: () => void seen++ });
    while (seen < 2) await new Promise((r) => setTimeout(r, 10));
    const stopping = Date.now();
    await app.stop();
    expect(Date.now() - stopping).toBeLessThan(5000);
    expect((await reading).events.map((e) => e.event)).toEqual(["created", "questions"]);
  });

  it("reports the model when an LLM is configured", async () => {
    const log = captureLogger("info");
    const app = await startApp(
      env({
        OPENAI_API_KEY: "sk-main-test",
        OPENAI_BASE_URL: "http://127.0.0.1:9/v1",
        LLM_MODEL: "local-model",
      }),
      { logger: log.logger, surfaces: [] },
    );
    await app.stop();
    expect(log.messages()).toContain("LLM: on (local-model at 127.0.0.1:9, jsonSchema)");
    expect(log.lines.join("\n")).not.toContain("sk-main-test");
  });
});

describe("npm start with a bad variable", () => {
  it("prints the variable and what is expected, without a stack trace, and exits 1", () => {
    const root = join(import.meta.dirname, "..");
    const result = spawnSync(join(root, "node_modules/.bin/tsx"), ["src/main.ts"], {
      cwd: root,
      env: { PATH: process.env.PATH, PORT: "99999", PGLITE_DIR: "memory://" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe("PORT: expected at most 65535");
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe("");
  });
});
