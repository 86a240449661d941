/**
 * `npm run bench slack`: 200 signed `/vrd <brief>` slash commands fired at once at POST /slack/events
 * of the real app (startApp: Slack HTTP mode on the API port, embedded database in a temp folder, the
 * fake Slack Web API), while the fake model holds every generation call 5 s — so the productions the
 * commands start are busy generating while the acknowledgements are measured.
 *
 * Target: p99 time to acknowledge < 200 ms, zero missed acks (a miss is anything but a 200 within
 * Slack's 3 s). Each command comes from its own channel, as in a busy workspace (a channel's posts are
 * paced at one a second, which is not what this measures).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";
import { startApp } from "../src/main.js";
import { agentModel } from "../test/fakes/agent-model.js";
import { startFakeOpenAI } from "../test/fakes/openai.js";
import { startFakeSlack } from "../test/fakes/slack.js";
import { percentile } from "./measure.js";

export interface SlackBenchOptions {
  commands?: number;
  latencyMs?: number;
}

const SECRET = "bench-signing-secret";

const BRIEF = JSON.stringify({
  title: "Ember & Oak — never run out",
  objective: "Sign-ups for a coffee subscription",
  audience: "Urban professionals 25–40 who brew at home",
  duration_seconds: 30,
  platform: "instagram_reels",
  tone: ["warm", "cozy"],
  style: "warm documentary",
  key_messages: ["Roasted to order, shipped within 48 hours", "Pause or skip anytime", "First bag free"],
  call_to_action: "Start your free bag at emberoak.example",
  audio_mode: "voice_over",
  captions: true,
  products: [{ name: "Ember & Oak bag", description: "matte black kraft bag, copper foil oak-leaf logo" }],
  constraints: { max_cost_usd: 200, quality_priority: "medium" },
});

/** Fires `count` signed /vrd commands at once from a worker thread; returns each one's time to a response. */
function fireCommands(input: {
  url: string;
  secret: string;
  brief: string;
  from: number;
  count: number;
}): Promise<Array<{ ms: number; ok: boolean }>> {
  const source = `
    const { parentPort, workerData: w } = require("node:worker_threads");
    const { createHmac } = require("node:crypto");
    const send = async (i) => {
      const body = new URLSearchParams({
        team_id: "T0001", channel_id: "CBENCH" + i, user_id: "UBENCH" + i, command: "/vrd", text: w.brief,
        trigger_id: "bench." + i + "." + Date.now(), response_url: "https://hooks.slack.invalid/commands/1",
      }).toString();
      const ts = String(Math.floor(Date.now() / 1000));
      const signature = "v0=" + createHmac("sha256", w.secret).update("v0:" + ts + ":" + body).digest("hex");
      const started = performance.now();
      try {
        const res = await fetch(w.url, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", "x-slack-request-timestamp": ts, "x-slack-signature": signature },
          body, signal: AbortSignal.timeout(3000),
        });
        await res.text();
        return { ms: performance.now() - started, ok: res.status === 200 };
      } catch { return { ms: performance.now() - started, ok: false }; }
    };
    Promise.all(Array.from({ length: w.count }, (_, k) => send(w.from + k))).then((r) => parentPort.postMessage(r));
  `;
  return new Promise((resolve, reject) => {
    const worker = new Worker(source, { eval: true, workerData: input });
    worker.once("message", (r) => {
      resolve(r);
      void worker.terminate();
    });
    worker.once("error", reject);
  });
}

export async function benchSlack(options: SlackBenchOptions = {}): Promise<object> {
  const commands = options.commands ?? 200;
  const latencyMs = options.latencyMs ?? 5000;
  const slack = await startFakeSlack();
  const model = await startFakeOpenAI({ latencyMs });
  model.respond(agentModel);
  const dir = await mkdtemp(join(tmpdir(), "greenlight-bench-slack-"));
  const config = loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    PGLITE_DIR: dir,
    LOG_LEVEL: "warn",
    OPENAI_API_KEY: "bench-key",
    OPENAI_BASE_URL: model.url,
    SLACK_BOT_TOKEN: "xoxb-bench",
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
  });
  const app = await startApp(config, { logger: createLogger("warn") });
  try {
    // The commands are fired from a worker thread: a client on the server's own event loop would
    // count its own work as the server's acknowledgement time.
    const fire = (from: number, count: number) =>
      fireCommands({ url: `${app.url}/slack/events`, secret: SECRET, brief: BRIEF, from, count });
    await fire(commands, 1); // warm-up (JIT, first auth.test), not measured
    const results = await fire(0, commands);
    const ok = results.filter((r) => r.ok && r.ms < 3000);
    const sorted = results.map((r) => r.ms).sort((a, b) => a - b);
    // Let the started productions reach the generating stage, to show the commands really started work.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const started = (await app.service.list({ platform: "slack", limit: 500 })).length;
    const round = (n: number) => Math.round(n * 10) / 10;
    const p99 = percentile(sorted, 99);
    return {
      commands,
      llm_latency_ms: latencyMs,
      acked: ok.length,
      missed_acks: commands - ok.length,
      ack_ms: {
        median: round(percentile(sorted, 50)),
        p95: round(percentile(sorted, 95)),
        p99: round(p99),
        max: round(sorted.at(-1) ?? Number.NaN),
      },
      productions_started: started,
      model_calls_in_flight_peak: model.maxInFlight,
      target: "p99 ack < 200 ms, zero missed acks",
      met: p99 < 200 && ok.length === commands,
    };
  } finally {
    await app.stop();
    await model.close();
    await slack.close();
    await rm(dir, { recursive: true, force: true });
  }
}
