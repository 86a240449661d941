#!/usr/bin/env node
/**
 * `greenlight` — the pipeline from a terminal. Composition root for the CLI: reads config once,
 * opens the database only for commands that need it, and turns every error into one readable message.
 */
import { existsSync, realpathSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Command, InvalidArgumentError, Option } from "commander";
import { parse as parseYaml } from "yaml";
import { llmFromConfig } from "./agents/openai-llm.js";
import { applyAnswers, askClarifyingQuestions, generateAltBeats } from "./agents/scriptsmith/index.js";
import { generateShotList, renderShotListTable } from "./agents/shotmaster/index.js";
import { generatePlan, renderPlanTable } from "./agents/videosolver/index.js";
import { discordCommand } from "./bots/discord/register.js";
import { describeCliError } from "./cli-errors.js";
import { type Config, loadConfig } from "./config.js";
import type { Db } from "./db/db.js";
import { openDb } from "./db/open.js";
import { prepareDatabase } from "./db/prepare.js";
import { Answers } from "./domain/clarify.js";
import { GreenlightError, ValidationError } from "./domain/errors.js";
import { parseOrThrow } from "./domain/parse.js";
import { Script } from "./domain/script.js";
import { ShotList } from "./domain/shots.js";
import { ToolCategory } from "./domain/tool.js";
import { type Constraints, parseVrd, parseVrdText, type Vrd } from "./domain/vrd.js";
import { runPipeline } from "./production/pipeline.js";
import { researchDepsFromConfig } from "./research/from-config.js";
import { type ResearchRunSummary, runResearchOnce, stepErrorText } from "./research/run.js";
import { listTools } from "./toolstack/catalog.js";
import { ToolStackDB } from "./toolstack/toolstack-db.js";

type Format = "md" | "json";
const formatOption = () =>
  new Option("--format <format>", "output format").choices(["md", "json"]).default("md");

/** The package root (the folder with package.json), from src/ under tsx or dist/src/ after a build. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

/** A file's text; a folder or an empty file is named as such instead of failing further on. */
async function readText(path: string, what: string): Promise<string> {
  const text = await readFile(path, "utf8").catch((err: NodeJS.ErrnoException) => {
    if (err.code === "EISDIR") throw new GreenlightError(`${path} is a folder; give the ${what} file`);
    throw err;
  });
  if (text.trim() === "") throw new ValidationError([{ field: "", message: `${path} is empty` }], what);
  return text;
}

/** What the other commands write, so a file given to the wrong command gets the command it needs. */
function describeKind(data: unknown): { kind: string; next: string } | null {
  if (!data || typeof data !== "object" || Array.isArray(data)) return null;
  if ("shots" in data) return { kind: "a shot list", next: "give it to `greenlight plan`" };
  if ("beats" in data) return { kind: "a script", next: "give it to `greenlight shots`" };
  if ("shot_plans" in data) return { kind: "a production plan", next: "it is the last step" };
  if ("duration_seconds" in data || "key_messages" in data || "objective" in data)
    return { kind: "a VRD", next: "run `greenlight script <vrd> --format json` first" };
  return null;
}

/** `expectKey`: a field the wanted kind of file always has (none for free-form maps such as answers). */
async function readStructured(path: string, what: string, expectKey?: string): Promise<unknown> {
  const text = await readText(path, what);
  let data: unknown;
  try {
    data = text.trim().startsWith("{") ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    const why = err instanceof Error ? err.message.split("\n")[0] : String(err);
    throw new ValidationError([{ field: "", message: `${path} is not valid JSON or YAML (${why})` }], what);
  }
  const kind = expectKey ? describeKind(data) : null;
  if (kind && expectKey && !(expectKey in (data as object)))
    throw new ValidationError(
      [{ field: "", message: `${path} is ${kind.kind}, not a ${what}: ${kind.next}` }],
      what,
    );
  return data;
}

async function readVrd(path: string): Promise<Vrd> {
  return parseVrdText(await readText(path, "VRD"));
}

async function readAnswers(path?: string): Promise<Answers> {
  if (!path) return {};
  return parseOrThrow(Answers, await readStructured(path, "answers"), "answers");
}

/** The VRD that travels inside the JSON `script`/`shots` write, or the one named by --vrd. */
async function vrdFor(file: unknown, vrdPath: string | undefined, command: string): Promise<Vrd> {
  if (vrdPath) return readVrd(vrdPath);
  const embedded = (file as { vrd?: unknown } | null)?.vrd;
  if (embedded) return parseVrd(embedded);
  throw new ValidationError(
    [
      {
        field: "vrd",
        message: `${command} needs the brief: pass --vrd <file>, or use the JSON that the previous command writes with --format json`,
      },
    ],
    "input",
  );
}

function print(text: string): void {
  process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}

async function withDatabase<T>(config: Config, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDb({ databaseUrl: config.DATABASE_URL, pgliteDir: config.PGLITE_DIR });
  try {
    await prepareDatabase(db);
    return await fn(db);
  } finally {
    await db.close();
  }
}

function positiveNumber(name: string) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0)
      throw new InvalidArgumentError(`${name} must be a positive number, got "${value}"`);
    return n;
  };
}

export function buildProgram(config: () => Config): Command {
  const program = new Command("greenlight")
    .description("Video brief (VRD) → ALT-beat script → shot list → production plan")
    .configureOutput({ outputError: (text, write) => write(text) });

  program
    .command("demo")
    .description("run the whole pipeline offline on an example VRD (questions answered with defaults)")
    .option("--vrd <file>", "a VRD (YAML or JSON) instead of the built-in example")
    .addOption(formatOption())
    .action(async (opts: { vrd?: string; format: Format }) => {
      const cfg = config();
      const brief = await readVrd(opts.vrd ?? join(packageRoot(), "examples", "product-launch-30s.yaml"));
      const llm = llmFromConfig(cfg);
      await withDatabase(cfg, async (db) => {
        const tools = await new ToolStackDB(db).planningTools();
        const result = await runPipeline(brief, {}, { llm, tools, wordsPerSecond: cfg.SPEAKING_RATE_WPS });
        if (opts.format === "json") return print(JSON.stringify(result, null, 2));
        const mode = llm
          ? `model ${llm.model}`
          : "template mode (no OPENAI_API_KEY: deterministic generators)";
        const questions = result.questions.length
          ? result.questions.map((q, i) => `${i + 1}. ${q.question}\n   → default: ${q.default}`).join("\n")
          : "None: the brief is complete.";
        print(
          [
            `# Greenlight demo — ${brief.title}`,
            `Running in ${mode}.`,
            "",
            "## Clarifying questions (answered with their defaults)",
            questions,
            "",
            result.script.narrative_md.trim(),
            "",
            "## Shot list",
            renderShotListTable(result.shotList).trim(),
            "",
            "## Production plan",
            renderPlanTable(result.plan).trim(),
            "",
            `LLM calls: ${result.usage.calls}, tokens: ${result.usage.total_tokens}.`,
          ].join("\n"),
        );
      });
    });

  program
    .command("script")
    .description("write the ALT-beat script for a VRD")
    .argument("<vrd>", "VRD file (YAML or JSON)")
    .option(
      "--answers <file>",
      "answers to the clarifying questions (JSON or YAML map of question id → answer)",
    )
    .addOption(formatOption())
    .action(async (vrdPath: string, opts: { answers?: string; format: Format }) => {
      const cfg = config();
      const brief = await readVrd(vrdPath);
      const answers = await readAnswers(opts.answers);
      const vrd = applyAnswers(brief, askClarifyingQuestions(brief), answers);
      const script = await generateAltBeats(vrd, answers, {
        llm: llmFromConfig(cfg),
        wordsPerSecond: cfg.SPEAKING_RATE_WPS,
      });
      print(opts.format === "json" ? JSON.stringify({ ...script, vrd }, null, 2) : script.narrative_md);
    });

  program
    .command("shots")
    .description("turn a script (JSON from `greenlight script --format json`) into a shot list")
    .argument("<script>", "script JSON file")
    .option("--vrd <file>", "the VRD, when the script file does not carry it")
    .addOption(formatOption())
    .action(async (scriptPath: string, opts: { vrd?: string; format: Format }) => {
      const cfg = config();
      const file = await readStructured(scriptPath, "script", "beats");
      const script = parseOrThrow(Script, file, "script");
      const vrd = await vrdFor(file, opts.vrd, "shots");
      const shotList = await generateShotList(script, vrd, { llm: llmFromConfig(cfg) });
      print(
        opts.format === "json"
          ? JSON.stringify({ ...shotList, vrd }, null, 2)
          : renderShotListTable(shotList),
      );
    });

  program
    .command("plan")
    .description(
      "choose a tool and workflow per shot within budget and time (JSON from `greenlight shots --format json`)",
    )
    .argument("<shots>", "shot list JSON file")
    .option("--max-cost <usd>", "budget in USD", positiveNumber("--max-cost"))
    .option("--max-minutes <minutes>", "generation time limit in minutes", positiveNumber("--max-minutes"))
    .addOption(new Option("--quality <priority>", "quality priority").choices(["low", "medium", "high"]))
    .addOption(formatOption())
    .action(
      async (
        shotsPath: string,
        opts: {
          maxCost?: number;
          maxMinutes?: number;
          quality?: Constraints["quality_priority"];
          format: Format;
        },
      ) => {
        const cfg = config();
        const file = await readStructured(shotsPath, "shot list", "shots");
        const shotList = parseOrThrow(ShotList, file, "shot list");
        const embedded = (file as { vrd?: unknown }).vrd;
        const base: Partial<Constraints> = embedded ? parseVrd(embedded).constraints : {};
        const constraints = {
          ...base,
          ...(opts.maxCost !== undefined && { max_cost_usd: opts.maxCost }),
          ...(opts.maxMinutes !== undefined && { max_time_minutes: opts.maxMinutes }),
          ...(opts.quality && { quality_priority: opts.quality }),
        };
        await withDatabase(cfg, async (db) => {
          const plan = generatePlan(shotList, await new ToolStackDB(db).planningTools(), constraints);
          print(opts.format === "json" ? JSON.stringify(plan, null, 2) : renderPlanTable(plan));
          // The least demanding plan is still printed, but a script must not take it for one that fits.
          const noFit = plan.shortfall && plan.warnings.find((w) => w.startsWith("No plan fits"));
          if (noFit) throw new GreenlightError(noFit);
        });
      },
    );

  const db = program.command("db").description("database maintenance");
  db.command("migrate")
    .description("apply pending migrations and load the tool seed")
    .action(async () => {
      const cfg = config();
      const dbx = await openDb({ databaseUrl: cfg.DATABASE_URL, pgliteDir: cfg.PGLITE_DIR });
      try {
        const { applied, tools } = await prepareDatabase(dbx);
        print(
          `${applied.length ? `Applied ${applied.join(", ")}` : "Database is up to date"} (${dbx.kind}). ` +
            `Tool seed: ${tools.inserted} inserted, ${tools.updated} updated, ${tools.unchanged} unchanged.`,
        );
      } finally {
        await dbx.close();
      }
    });

  const toolstack = program.command("toolstack").description("the catalogue of video tools");
  toolstack
    .command("list")
    .description("list the tools with price and limits")
    .option("--category <category>", "only this category (e.g. video_generation)")
    .addOption(formatOption())
    .action(async (opts: { category?: string; format: Format }) => {
      await withDatabase(config(), async (dbx) => {
        const category = opts.category ? parseOrThrow(ToolCategory, opts.category, "--category") : undefined;
        const tools = await listTools(dbx, category ? { category } : {});
        if (opts.format === "json") return print(JSON.stringify(tools, null, 2));
        const price = (t: (typeof tools)[number]) =>
          t.pricing.usd === null ? "unknown" : `$${t.pricing.usd} ${t.pricing.unit.replaceAll("_", " ")}`;
        const rows = tools.map(
          (t) =>
            `| ${t.tool_id} | ${t.name} | ${t.category} | ${t.status} | ${price(t)} | ${t.capabilities.max_clip_s ?? "unknown"} |`,
        );
        print(
          [
            "| id | name | category | status | price | max clip s |",
            "|---|---|---|---|---|---|",
            ...rows,
          ].join("\n"),
        );
      });
    });

  const research = program.command("research").description("the Deep Research Agent");
  research
    .command("run")
    .description("discover tools and papers, benchmark configured providers and record the run, once, now")
    .addOption(formatOption())
    .action(async (opts: { format: Format }) => {
      const cfg = config();
      await withDatabase(cfg, async (dbx) => {
        const summary = await runResearchOnce(researchDepsFromConfig(cfg, dbx), { trigger: "cli" });
        if (opts.format === "json") return print(JSON.stringify(summary, null, 2));
        print(researchRunReport(summary));
        // A partial run (one source down) did useful work; a failed one did none: exit non-zero.
        if (summary.status === "failed")
          throw new GreenlightError("The research run failed; see the errors above.");
      });
    });

  program.addCommand(discordCommand(config));
  return program;
}

/** What `greenlight research run` prints: status, counts, each failure once, what was not benchmarked. */
export function researchRunReport(summary: ResearchRunSummary): string {
  const counts = Object.entries(summary.counts).map(([k, v]) => `${k.replaceAll("_", " ")}: ${v}`);
  const skipped = summary.benchmarks.filter((b) => !b.benchmarked);
  return [
    `Research run ${summary.run_id ?? "(not recorded)"}: ${summary.status}`,
    counts.length ? counts.join(", ") : "nothing counted",
    `${summary.changes.length} change(s) found.`,
    ...summary.errors.map((e) => `  ! ${stepErrorText(e)}`),
    skipped.length
      ? `Not benchmarked: ${skipped.map((b) => `${b.tool_id} (${"reason" in b ? b.reason.replace(/^not benchmarked \((.*)\)$/, "$1") : ""})`).join("; ")}`
      : "",
    // The CLI has no chat connection: alerts wait for the bot process, which sends what is unsent.
    summary.notify && summary.notify.alerts_created > 0
      ? `${summary.notify.alerts_created} alert(s) recorded; subscribed channels get them from the running bot (npm start) with its next research run.`
      : "",
  ]
    .filter(Boolean)
    .join("\n");
}

export async function runCli(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  let cached: Config | undefined;
  const program = buildProgram(() => {
    cached ??= loadConfig(env);
    return cached;
  });
  // Every (sub)command throws instead of calling process.exit, so usage errors come back as exit codes.
  const throwOnExit = (command: Command): void => {
    command.exitOverride();
    for (const sub of command.commands) throwOnExit(sub);
  };
  throwOnExit(program);
  try {
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (err) {
    // commander has already printed its own usage errors (and help/version exit with code 0).
    if (
      err &&
      typeof err === "object" &&
      "exitCode" in err &&
      "code" in err &&
      String(err.code).startsWith("commander.")
    )
      return Number(err.exitCode);
    process.stderr.write(`${describeCliError(err)}\n`);
    return 1;
  }
}

// Run when executed (tsx, node, or the npm-linked `greenlight` bin, which is a symlink), not when imported.
const entry = process.argv[1];
const invokedDirectly = entry && realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
if (invokedDirectly) {
  runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
