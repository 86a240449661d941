/**
 * `npm run bench slack`: 200 signed `/vrd <brief>` slash commands fired at once at POST /slack/events
 * of the real app — in its own process as `npm start` runs it (bench/app-process.ts), Slack HTTP mode
 * on the API port, embedded database in a temp folder — while the fake model holds every generation
 * call 5 s, so the productions the commands start are busy generating while the acknowledgements are
 * measured. The fake Slack Web API and the fake model run in this process, the client in a worker
 * thread, so neither counts its own work as the app's.
 *
 * Target: p99 time to acknowledge < 200 ms, zero missed acks (a miss is anything but a 200 within
 * Slack's 3 s). Each command comes on its own connection and from its own channel, as in a busy
 * workspace (a channel's posts are paced at one a second, which is not what this measures); each is
 * timed from its connection being open to the end of the response. The commands are counted as
 * started when their channel got the production's root message.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { agentModel } from "../test/fakes/agent-model.js";
import { startFakeOpenAI } from "../test/fakes/openai.js";
import { startFakeSlack } from "../test/fakes/slack.js";
import { appNodeArgs, startAppProcess } from "./app-process.js";
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
  count: number;
}): Promise<Array<{ ms: number; ok: boolean }>> {
  const source = `
    const { parentPort, workerData: w } = require("node:worker_threads");
    const { createHmac } = require("node:crypto");
    const http = require("node:http");
    const post = (body) => new Promise((resolve) => {
      const ts = String(Math.floor(Date.now() / 1000));
      const signature = "v0=" + createHmac("sha256", w.secret).update("v0:" + ts + ":" + body).digest("hex");
      let started = performance.now();
      const req = http.request(w.url, { method: "POST", timeout: 3000, headers: {
        "content-type": "application/x-www-form-urlencoded", "x-slack-request-timestamp": ts, "x-slack-signature": signature, "content-length": Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on("end", () => resolve({ ms: performance.now() - started, ok: res.statusCode === 200 }));
      });
      // Timed from when the request can go out (its connection open): the client's own queue is not the app's.
      req.on("socket", (s) => { if (s.connecting) s.once("connect", () => { started = performance.now(); }); });
      req.on("timeout", () => req.destroy(new Error("timeout")));
      req.on("error", () => resolve({ ms: performance.now() - started, ok: false }));
      req.end(body);
    });
    const command = (i) => post(new URLSearchParams({
        team_id: "T0001", channel_id: "CBENCH" + i, user_id: "UBENCH" + i, command: "/vrd", text: w.brief,
        trigger_id: "bench." + i + "." + Date.now(), response_url: "https://hooks.slack.invalid/commands/1",
      }).toString());
    (async () => {
      await command(w.count); // warm-up (JIT, first auth.test), not measured
      await new Promise((resolve) => setTimeout(resolve, 1000)); // and its work done before the burst
      const r = await Promise.all(Array.from({ length: w.count }, (_, i) => command(i)));
      parentPort.postMessage(r);
    })();
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
  const app = await startAppProcess({
    env: {
      PORT: "0",
      HOST: "127.0.0.1",
      PGLITE_DIR: dir,
      LOG_LEVEL: "warn",
      OPENAI_API_KEY: "bench-key",
      OPENAI_BASE_URL: model.url,
      SLACK_BOT_TOKEN: "xoxb-bench",
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
    },
    surfaces: ["Slack"],
  });
  const round = (n: number) => Math.round(n * 10) / 10;
  try {
    const results = await fireCommands({
      url: `${app.url}/slack/events`,
      secret: SECRET,
      brief: BRIEF,
      count: commands,
    });
    const ok = results.filter((r) => r.ok && r.ms < 3000);
    const sorted = results.map((r) => r.ms).sort((a, b) => a - b);
    // The commands really started work: each channel gets its production's root message (within 30 s).
    const burstDone = performance.now();
    const channels = Array.from({ length: commands }, (_, i) => `CBENCH${i}`);
    const rooted = () => {
      const posted = new Set(slack.callsTo("chat.postMessage").map((c) => String(c.args.channel)));
      return channels.filter((c) => posted.has(c)).length;
    };
    while (rooted() < commands && performance.now() - burstDone < 30_000)
      await new Promise((resolve) => setTimeout(resolve, 100));
    const started = rooted();
    const allRootedS = started === commands ? round((performance.now() - burstDone) / 1000) : null;
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
      root_messages_posted: started,
      /** Seconds from the last acknowledgement until every channel had its root message (null: some never did). */
      all_root_messages_after_s: allRootedS,
      model_calls_in_flight_peak: model.maxInFlight,
      app_node_args: appNodeArgs().join(" "),
      target: "p99 ack < 200 ms, zero missed acks, every command's root message posted",
      met: p99 < 200 && ok.length === commands && started === commands,
    };
  } finally {
    await app.stop();
    await model.close();
    await slack.close();
    await rm(dir, { recursive: true, force: true });
  }
}
