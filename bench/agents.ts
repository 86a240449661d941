/**
 * Benches for the agents (issues 2–4): template-mode ScriptSmith and ShotMaster, ShotMaster in LLM mode
 * against the fake OpenAI server at 1 s per call, and the plan optimiser on 300 shots × 50 tools.
 */
import { performance } from "node:perf_hooks";
import { createLlm } from "../src/agents/openai-llm.js";
import {
  applyAnswers,
  askClarifyingQuestions,
  generateAltBeats,
  validateScript,
} from "../src/agents/scriptsmith/index.js";
import { generateShotList } from "../src/agents/shotmaster/index.js";
import { generatePlan, greedyPlan } from "../src/agents/videosolver/index.js";
import type { Shot, ShotList } from "../src/domain/shots.js";
import type { Tool } from "../src/domain/tool.js";
import { parseVrd } from "../src/domain/vrd.js";
import { seedTools } from "../src/toolstack/seed.js";
import { stepTools } from "../src/toolstack/step-tools.js";
import { coffeeVrd, twelveBeatScript } from "../test/agents/shotmaster/fixtures.js";
import { agentModel } from "../test/fakes/agent-model.js";
import { startFakeOpenAI } from "../test/fakes/openai.js";
import { measure } from "./measure.js";

const brief60 = parseVrd({
  title: "Northwind Bikes — commute without the sweat",
  objective: "Test rides booked at the city showroom",
  audience: "Office workers 28–45 who drive under 10 km to work",
  duration_seconds: 60,
  platform: "youtube",
  tone: ["upbeat", "practical"],
  style: "Live action, bright city mornings",
  key_messages: [
    "Pedal assist up to 25 km/h",
    "Charges from any socket in 3 hours",
    "Free test ride this week",
  ],
  call_to_action: "Book a test ride at northwind.example",
  characters: [{ name: "Sam", description: "mid-30s, short curly hair, navy rain jacket, grey chinos" }],
  constraints: { max_cost_usd: 60, quality_priority: "medium" },
});

export async function benchScriptsmith() {
  const vrd = applyAnswers(brief60, askClarifyingQuestions(brief60), {});
  let problems = 0;
  const timing = await measure(async () => {
    const script = await generateAltBeats(vrd, {}, {});
    problems += validateScript(script, vrd, {}).length;
  });
  return {
    what: "template VRD → validated script, 60 s",
    target_median_ms: 5,
    ...timing,
    validation_problems: problems,
  };
}

export async function benchShotmaster() {
  const vrd = applyAnswers(brief60, askClarifyingQuestions(brief60), {});
  const script = await generateAltBeats(vrd, {}, {});
  const template = await measure(() => generateShotList(script, vrd, {}));

  // LLM mode: a 12-beat script, the fake model answering each call after 1 s.
  const fake = await startFakeOpenAI({ latencyMs: 1000 });
  fake.respond((body) => agentModel(body));
  try {
    const llm = createLlm({
      apiKey: "sk-bench",
      baseUrl: fake.url,
      model: "bench-model",
      method: "jsonSchema",
      timeoutMs: 10_000,
    });
    const start = performance.now();
    const list = await generateShotList(twelveBeatScript, coffeeVrd, { llm });
    const wall = performance.now() - start;
    return {
      template: {
        what: "template 60 s script → shot list",
        target_median_ms: 10,
        shots: (await generateShotList(script, vrd, {})).shots.length,
        ...template,
      },
      llm: {
        what: "12-beat script → shot list, fake model at 1 s per call",
        target_wall_ms: 3000,
        wall_ms: Math.round(wall),
        llm_calls: list.metadata.usage.calls,
        tokens: list.metadata.usage.total_tokens,
        max_concurrent_calls: fake.maxInFlight,
        shots: list.shots.length,
        warnings: list.metadata.warnings.length,
      },
    };
  } finally {
    await fake.close();
  }
}

/** A deterministic large shot list: 300 shots cycling through realistic requirement mixes. */
function largeShotList(base: ShotList, count: number): ShotList {
  const shots: Shot[] = [];
  for (let i = 0; i < count; i++) {
    const source = base.shots[i % base.shots.length] as Shot;
    shots.push({ ...source, id: `S${String(i + 1).padStart(3, "0")}`, duration_s: 2 + (i % 9) });
  }
  return { ...base, shots };
}

/** 50 tools: the seed's generators plus price/quality variants of them (the step tools ride along). */
function manyTools(count: number): Tool[] {
  const generators = seedTools().filter((t) => t.category === "video_generation" && t.status === "available");
  const tools: Tool[] = [];
  for (let i = 0; tools.length < count; i++) {
    const t = generators[i % generators.length] as Tool;
    const round = Math.floor(i / generators.length);
    if (round === 0) tools.push(t);
    else
      tools.push({
        ...t,
        tool_id: `${t.tool_id}-v${round}`,
        name: `${t.name} (variant ${round})`,
        pricing: {
          ...t.pricing,
          usd: t.pricing.usd === null ? null : Math.round(t.pricing.usd * (1 + 0.13 * round) * 1000) / 1000,
        },
        quality: { ...t.quality, score: Math.min(1, 0.45 + ((i * 37) % 50) / 100) },
      });
  }
  return [...tools, ...stepTools()];
}

export async function benchOptimiser() {
  const vrd = applyAnswers(brief60, askClarifyingQuestions(brief60), {});
  const base = await generateShotList(await generateAltBeats(vrd, {}, {}), vrd, {});
  const shotList = largeShotList(base, 300);
  const tools = manyTools(50);
  const unconstrained = generatePlan(shotList, tools, { quality_priority: "high" });
  // A budget that binds: halfway between the cheapest plan and the unconstrained best one.
  const cheapest = unconstrained.variants.find((v) => v.name === "cheapest")?.cost_usd ?? 0;
  const best = unconstrained.cost_breakdown.total_usd;
  const budget = Math.round(cheapest * 1.2 + (best - cheapest * 1.2) / 2);
  const constraints = { max_cost_usd: budget, quality_priority: "high" as const };
  const timing = await measure(() => generatePlan(shotList, tools, constraints), 15, 2);
  const optimal = generatePlan(shotList, tools, constraints);
  const greedy = greedyPlan(shotList, tools, constraints);
  const quality = (plan: typeof optimal) =>
    plan.shot_plans.reduce((sum, p) => sum + (p.quality_score ?? 0), 0);
  return {
    what: "plan for 300 shots × 50 tools under a budget",
    target_median_ms: 200,
    budget_usd: budget,
    ...timing,
    optimiser: {
      total_quality: Number(quality(optimal).toFixed(3)),
      cost_usd: optimal.cost_breakdown.total_usd,
      fits: optimal.fits.budget,
    },
    greedy: {
      total_quality: Number(quality(greedy).toFixed(3)),
      cost_usd: greedy.cost_breakdown.total_usd,
      fits: greedy.fits.budget,
    },
  };
}

/** `npm run demo` wall time: the first run creates the embedded database, later runs reopen it. */
export async function benchDemo() {
  const { spawnSync } = await import("node:child_process");
  const { mkdtempSync, rmSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const dir = mkdtempSync(join(tmpdir(), "greenlight-demo-bench-"));
  const env = { ...process.env, PGLITE_DIR: join(dir, "pglite"), OPENAI_API_KEY: "", DATABASE_URL: "" };
  const run = () => {
    const start = performance.now();
    const result = spawnSync("npm", ["run", "--silent", "demo"], { env, encoding: "utf8" });
    if (result.status !== 0) throw new Error(`demo failed: ${result.stderr}`);
    return performance.now() - start;
  };
  try {
    const first = run();
    const later = [run(), run(), run()].sort((a, b) => a - b);
    return {
      what: "npm run demo wall time",
      target_ms_once_database_exists: 3000,
      first_run_ms: Math.round(first),
      median_ms: Math.round(later[1] as number),
      runs: later.map(Math.round),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
