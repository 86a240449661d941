/**
 * `npm run bench production`: productions started at once through the REST API of the real app
 * (port 0, embedded database in a temp folder, or DATABASE_URL when set), each followed over SSE and
 * approved at every review stop until the plan is approved.
 *
 * The app runs in a child process (bench/app-child.ts), one per run, so its peak RSS is the
 * service's alone; the SSE and HTTP clients and the fake model server are this process's and are
 * reported apart as the harness's.
 *
 * - LLM mode: the real OpenAI client against the loopback fake with 1 s latency per call. Target:
 *   wall < 3 × (stages × 1 s) with the three generating stages, app peak RSS < 400 MB.
 * - Template mode: the same flow without a model; reports productions per second.
 *
 * Checks that every production reaches `approved`, that no production is missing or extra, and that
 * each stage completed exactly once per production (a duplicated stage would also show as extra LLM calls).
 */
import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { draftOfBeat } from "../src/agents/scriptsmith/draft.js";
import { applyAnswers, askClarifyingQuestions } from "../src/agents/scriptsmith/index.js";
import { templateBeats } from "../src/agents/scriptsmith/template.js";
import { DEFAULT_WORDS_PER_SECOND } from "../src/agents/scriptsmith/validate.js";
import {
  GENERATING_STAGES,
  type ProductionEvent,
  REVIEW_STAGES,
  type Stage,
} from "../src/domain/production.js";
import { parseVrd, type Vrd, type VrdInput } from "../src/domain/vrd.js";
import { readSse } from "../test/api/sse-client.js";
import { type ChatRequest, type FakeReply, startFakeOpenAI } from "../test/fakes/openai.js";
import { type AppMemory, appNodeArgs, startAppProcess } from "./app-process.js";
import { summarise } from "./measure.js";

export interface ProductionBenchOptions {
  /** Productions started at once (default 100). */
  productions?: number;
  /** Fake model latency per call (default 1000 ms). */
  latencyMs?: number;
  /** Productions in the template-mode run (default 100). */
  templateProductions?: number;
  /** PostgreSQL instead of embedded PGlite (default: DATABASE_URL of the environment, if set). */
  databaseUrl?: string;
}

const REVIEWS = new Set<Stage>(REVIEW_STAGES);
const FINAL = new Set<Stage>(["approved", "failed", "cancelled"]);
const MB = 1024 * 1024;

/** A 30 s reel with a character and three key messages: a typical production (8 beats, ~16 shots). */
const BRIEF: VrdInput = {
  title: "Ember & Oak — never run out",
  objective: "Sign-ups for a coffee subscription",
  audience: "Urban professionals 25–40 who brew at home",
  duration_seconds: 30,
  platform: "instagram_reels",
  tone: ["warm", "cozy"],
  key_messages: ["Roasted to order, shipped within 48 hours", "Pause or skip anytime", "First bag free"],
  call_to_action: "Start your free bag at emberoak.example",
  audio_mode: "voice_over",
  characters: [{ name: "Priya", description: "late 20s, black hair in a low bun, mustard knit cardigan" }],
  constraints: { max_cost_usd: 200, quality_priority: "medium" },
};

// ---- the fake model's answers ----

/** Tokens as a tokenizer would roughly count them (4 characters a token), so the numbers mean something. */
const tokens = (text: string) => Math.max(1, Math.ceil(text.length / 4));

/** A well-formed script draft for the brief (the template's beats, as a model would send them). */
function scriptDraftFor(vrd: Vrd) {
  const answered = applyAnswers(vrd, askClarifyingQuestions(vrd), {});
  const { beats, logline } = templateBeats(answered, DEFAULT_WORDS_PER_SECOND);
  return { logline, beats: beats.map((b) => draftOfBeat(b, answered)) };
}

/** Words for every shot the request asks about, quoting what the continuity bible requires. */
function shotWordsFor(user: string) {
  const payload = JSON.parse(user) as {
    beats: Array<{ shots: Array<{ id: string; duration_s: number; size: string; must_quote: string[] }> }>;
  };
  return {
    shots: payload.beats.flatMap((b) =>
      b.shots.map((s) => ({
        id: s.id,
        duration_s: s.duration_s,
        description: `Written description of ${s.id}.`,
        frame_description: `Frame of ${s.id}.`,
        composition: "Subject on the left third, space for text on the right.",
        prompt: `${s.size} shot, 9:16. ${s.must_quote.join(". ")}. Soft window light.`,
        negative_prompt: "cartoon, text artifacts",
      })),
    ),
  };
}

function fakeReply(vrd: Vrd) {
  const draft = scriptDraftFor(vrd);
  return (body: ChatRequest): FakeReply => {
    const name: string | undefined =
      body.response_format?.json_schema?.name ?? body.tools?.[0]?.function?.name;
    const messages = body.messages as Array<{ role: string; content: string }>;
    const user = messages.find((m) => m.role === "user")?.content ?? "";
    const json = name === "shot_words" ? shotWordsFor(user) : name === "script_draft" ? draft : null;
    if (!json) return { status: 400, body: { error: { message: `bench fake: unexpected request ${name}` } } };
    const prompt = messages.map((m) => m.content).join("\n");
    return {
      json,
      usage: { prompt_tokens: tokens(prompt), completion_tokens: tokens(JSON.stringify(json)) },
    };
  };
}

// ---- the app and the clients ----

/** initdb peaks at ~800 MB; done once in a child process so the bench measures the app, not the setup. */
function initialiseDatabase(dir: string): void {
  const script = `import { PGlite } from "@electric-sql/pglite"; const db = await PGlite.create(process.argv[1]); await db.close();`;
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", script, dir], {
    cwd: join(import.meta.dirname, ".."),
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (result.status !== 0) throw new Error(`could not initialise the embedded database in ${dir}`);
}

interface Followed {
  id: string;
  finalStage: Stage | null;
  /** duration_ms per generating stage, one entry per stage_completed. */
  completed: Partial<Record<Stage, number[]>>;
  conflicts: number;
  eventsSeen: number;
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

/** Start one production and drive it: skip the questions, approve each review, until it is final. */
async function runOne(base: string, vrd: VrdInput, user: string, key: string): Promise<Followed> {
  const as = { "x-user-id": user };
  const started = await post(`${base}/api/productions`, { vrd }, { ...as, "idempotency-key": key });
  if (started.status !== 201) throw new Error(`start answered ${started.status}: ${await started.text()}`);
  const { id } = (await started.json()) as { id: string };
  const followed: Followed = { id, finalStage: null, completed: {}, conflicts: 0, eventsSeen: 0 };
  const acted = new Set<Stage>();
  const act = async (path: string, body: unknown) => {
    const res = await post(`${base}/api/productions/${id}/${path}`, body, as);
    if (res.status === 409) followed.conflicts += 1;
    else if (res.status !== 200)
      throw new Error(`${path} on ${id} answered ${res.status}: ${await res.text()}`);
    else await res.arrayBuffer();
  };
  await readSse(
    `${base}/api/productions/${id}/events`,
    {},
    {
      timeoutMs: 300_000,
      onEvent: async (frame) => {
        const event = JSON.parse(frame.data) as ProductionEvent;
        followed.eventsSeen += 1;
        if (event.type === "stage_completed") {
          const stage = event.payload.stage as Stage;
          followed.completed[stage] = [
            ...(followed.completed[stage] ?? []),
            Number(event.payload.duration_ms),
          ];
        }
        if (FINAL.has(event.stage)) followed.finalStage = event.stage;
        if (acted.has(event.stage)) return;
        if (event.stage === "clarifying") {
          acted.add(event.stage);
          await act("skip", {});
        } else if (REVIEWS.has(event.stage)) {
          acted.add(event.stage);
          await act("approve", { stage: event.stage });
        }
      },
    },
  );
  return followed;
}

interface RunSummary {
  productions: number;
  wall_s: number;
  /** The app process's RSS once it is up (database open and migrated), before any production. */
  app_rss_started_mb: number;
  /** The app process's maxRSS over the whole run (start-up included). */
  app_peak_rss_mb: number;
  app_rss_after_mb: number;
  app_heap_used_after_mb: number;
  /** Sampled highs of the app's JS heap and its off-heap memory (PGlite's WASM memory is off-heap). */
  app_peak_heap_used_mb: number;
  app_peak_external_mb: number;
  approved: number;
  not_approved: Array<{ id: string; stage: Stage | null }>;
  /** Started but not listed by the API / listed for this run's user but not started by the bench. */
  lost: number;
  extra: number;
  /** Productions where some stage completed more (or fewer) than once. */
  stages_not_run_exactly_once: number;
  conflicts_on_approve: number;
  stage_ms: Record<string, { p50: number; p95: number; max: number }>;
  llm_per_production: { calls: number; input_tokens: number; output_tokens: number; total_tokens: number };
}

/** `user` owns this run's productions (X-User-Id), which keeps runs on one database apart. */
async function runProductions(env: Record<string, string>, count: number, user: string): Promise<RunSummary> {
  const app = await startAppProcess({ env, concurrency: count });
  let stopped: AppMemory | undefined;
  try {
    const t0 = performance.now();
    const followed = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        runOne(app.url, { ...BRIEF, title: `${BRIEF.title} #${i + 1}` }, user, `${user}-${i}`),
      ),
    );
    const wallS = (performance.now() - t0) / 1000;
    const after = await app.memory();

    const listed = (await (await fetch(`${app.url}/api/productions?owner_id=${user}&limit=200`)).json()) as {
      productions: Array<{ id: string; usage: RunSummary["llm_per_production"] }>;
    };
    stopped = await app.stop();
    const started = new Set(followed.map((f) => f.id));
    const ofThisRun = listed.productions.filter((p) => started.has(p.id));
    const listedIds = new Set(listed.productions.map((p) => p.id));
    const stageMs: RunSummary["stage_ms"] = {};
    for (const stage of GENERATING_STAGES) {
      const t = summarise(followed.flatMap((f) => f.completed[stage] ?? []));
      stageMs[stage] = { p50: t.median_ms, p95: t.p95_ms, max: t.max_ms };
    }
    const usage = ofThisRun.reduce(
      (sum, p) => ({
        calls: sum.calls + p.usage.calls,
        input_tokens: sum.input_tokens + p.usage.input_tokens,
        output_tokens: sum.output_tokens + p.usage.output_tokens,
        total_tokens: sum.total_tokens + p.usage.total_tokens,
      }),
      { calls: 0, input_tokens: 0, output_tokens: 0, total_tokens: 0 },
    );
    const per = (n: number) => Math.round((n / Math.max(1, ofThisRun.length)) * 10) / 10;
    return {
      productions: count,
      wall_s: Math.round(wallS * 100) / 100,
      app_rss_started_mb: app.started.rss_mb,
      app_peak_rss_mb: stopped.peak_rss_mb,
      app_rss_after_mb: after.rss_mb,
      app_heap_used_after_mb: after.heap_used_mb,
      app_peak_heap_used_mb: stopped.peak_heap_used_mb,
      app_peak_external_mb: stopped.peak_external_mb,
      approved: followed.filter((f) => f.finalStage === "approved").length,
      not_approved: followed
        .filter((f) => f.finalStage !== "approved")
        .map((f) => ({ id: f.id, stage: f.finalStage })),
      lost: [...started].filter((id) => !listedIds.has(id)).length + (count - started.size),
      extra: listed.productions.length - ofThisRun.length,
      stages_not_run_exactly_once: followed.filter((f) =>
        GENERATING_STAGES.some((s) => (f.completed[s]?.length ?? 0) !== 1),
      ).length,
      conflicts_on_approve: followed.reduce((n, f) => n + f.conflicts, 0),
      stage_ms: stageMs,
      llm_per_production: {
        calls: per(usage.calls),
        input_tokens: per(usage.input_tokens),
        output_tokens: per(usage.output_tokens),
        total_tokens: per(usage.total_tokens),
      },
    };
  } finally {
    if (!stopped) await app.stop().catch(() => {});
  }
}

const peakRssMb = () => Math.round((process.resourceUsage().maxRSS * 1024) / MB);

export async function runProductionBench(options: ProductionBenchOptions = {}) {
  const count = options.productions ?? 100;
  const latencyMs = options.latencyMs ?? 1000;
  const templateCount = options.templateProductions ?? 100;
  const databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL;
  const dir = await mkdtemp(join(tmpdir(), "greenlight-bench-"));
  const fake = await startFakeOpenAI({ latencyMs });
  try {
    const base: Record<string, string> = { PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "warn" };
    if (databaseUrl) base.DATABASE_URL = databaseUrl;
    else {
      initialiseDatabase(dir);
      base.PGLITE_DIR = dir;
    }
    fake.respond(fakeReply(parseVrd(BRIEF)));

    const llmEnv = {
      ...base,
      OPENAI_API_KEY: "sk-bench",
      OPENAI_BASE_URL: fake.url,
      LLM_MODEL: "bench-model",
      LLM_TIMEOUT_MS: "60000",
    };
    const llm = await runProductions(llmEnv, count, "bench-llm");
    const harnessPeakRss = peakRssMb();
    const template = await runProductions(base, templateCount, "bench-template");
    const stagesS = GENERATING_STAGES.length * (latencyMs / 1000);
    return {
      database: databaseUrl ? "postgresql (DATABASE_URL)" : "embedded PGlite (temp folder)",
      llm: {
        ...llm,
        fake_latency_ms: latencyMs,
        fake_requests: fake.requests.length,
        fake_max_in_flight: fake.maxInFlight,
        tokens_note: "as reported by the fake server, estimated at 4 characters per token",
        target_wall_s: 3 * stagesS,
        meets_wall_target: llm.wall_s < 3 * stagesS,
        peak_rss_mb: llm.app_peak_rss_mb,
        meets_rss_target: llm.app_peak_rss_mb < 400,
        harness_peak_rss_mb: harnessPeakRss,
      },
      template: {
        ...template,
        productions_per_second: Math.round((templateCount / template.wall_s) * 10) / 10,
      },
      harness_peak_rss_mb: peakRssMb(),
      app_node_args: appNodeArgs().join(" "),
      rss_note:
        "app_* and peak_rss_mb: the app's own process (node + tsx loader, API, runner, embedded PGlite), a fresh one per run, process.resourceUsage().maxRSS; harness_peak_rss_mb: the bench process (100 SSE and HTTP clients, the fake model server). The database folder is initialised in a separate child beforehand (initdb alone peaks at ~800 MB, once per data folder)",
    };
  } finally {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  }
}
