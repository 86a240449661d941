import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { researchRunReport, runCli } from "../src/cli.js";
import { loadConfig } from "../src/config.js";
import { PLATFORMS } from "../src/domain/vrd.js";
import { researchDepsFromConfig } from "../src/research/from-config.js";
import { runResearchOnce } from "../src/research/run.js";
import { createResearchSources } from "../src/research/sources/index.js";
import { arxivWan, githubWan, hfModel, startFakeResearch } from "./fakes/research.js";
import { copyPgliteTemplate, scratchDir, testDb } from "./support/db.js";

/** Runs the CLI in-process and captures what it prints. */
async function cli(args: string[], env: Record<string, string | undefined>) {
  let out = "";
  let err = "";
  const stdout = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  const stderr = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    err += String(chunk);
    return true;
  });
  try {
    const code = await runCli(args, env);
    return { code, out, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

let dataDir: string;
let work: string;
let env: Record<string, string | undefined>;

beforeAll(async () => {
  dataDir = await scratchDir();
  await copyPgliteTemplate(dataDir);
  work = await mkdtemp(join(tmpdir(), "greenlight-cli-"));
  env = { PGLITE_DIR: dataDir, LOG_LEVEL: "silent" };
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
});

describe("greenlight CLI", () => {
  it("demo runs the whole pipeline offline and prints questions, script, shots and plan", async () => {
    const { code, out, err } = await cli(["demo"], env);
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toContain("template mode");
    expect(out).toMatch(/## Clarifying questions/);
    expect(out).toMatch(/\| 8 \| Change \|/);
    expect(out).toContain("## Shot list");
    expect(out).toMatch(/\| S01 \| B01 \|/);
    expect(out).toContain("## Production plan");
    expect(out).toMatch(/\*\*Cost:\*\* \$\d+\.\d\d known/);
  });

  it("script → shots → plan, each reading the JSON the previous one wrote", async () => {
    const script = await cli(["script", "examples/brand-teaser-15s.yaml", "--format", "json"], env);
    expect(script.code).toBe(0);
    const scriptJson = JSON.parse(script.out);
    expect(scriptJson.beats.length).toBeGreaterThanOrEqual(3);
    expect(scriptJson.metadata.duration_s).toBeCloseTo(15, 1);
    expect(scriptJson.vrd.duration_seconds).toBe(15);
    await writeFile(join(work, "script.json"), script.out);

    const shots = await cli(["shots", join(work, "script.json"), "--format", "json"], env);
    expect(shots.code).toBe(0);
    const shotsJson = JSON.parse(shots.out);
    const beatIds = new Set(shotsJson.shots.map((s: { beat_id: string }) => s.beat_id));
    expect([...beatIds].sort()).toEqual(scriptJson.beats.map((b: { id: string }) => b.id).sort());
    await writeFile(join(work, "shots.json"), shots.out);

    const plan = await cli(["plan", join(work, "shots.json"), "--max-cost", "3", "--quality", "high"], env);
    expect(plan.code).toBe(0);
    expect(plan.out).toContain("budget $3.00");
    for (const id of shotsJson.shots.map((s: { id: string }) => s.id))
      expect(plan.out).toContain(`| ${id} |`);
  });

  it("prints the script as Markdown by default and honours answers", async () => {
    await writeFile(join(work, "answers.yaml"), 'captions: "yes"\n');
    const { code, out } = await cli(
      ["script", "examples/explainer-90s.yaml", "--answers", join(work, "answers.yaml")],
      env,
    );
    expect(code).toBe(0);
    expect(out).toMatch(/^# .+ script v1/m);
    expect(out).toContain("**Checks:**");
  });

  it("a bad VRD lists every problem with its field and exits 1", async () => {
    await writeFile(
      join(work, "bad.yaml"),
      "title: ''\nduration_seconds: 0\nplatform: myspace\nkey_messages: []\n",
    );
    const { code, out, err } = await cli(["script", join(work, "bad.yaml")], env);
    expect(code).toBe(1);
    expect(out).toBe("");
    expect(err).toContain("Invalid VRD:");
    expect(err).toContain("duration_seconds: must be between 5 and 600, got 0");
    expect(err).toContain("objective: is required");
    expect(err).toContain("platform: must be one of");
    expect(err).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("says plainly when a file is missing or is not JSON/YAML", async () => {
    const missing = await cli(["script", join(work, "nope.yaml")], env);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^File not found: .*nope\.yaml/);
    await writeFile(join(work, "garbage.json"), "{ not json");
    const garbage = await cli(["shots", join(work, "garbage.json")], env);
    expect(garbage.code).toBe(1);
    expect(garbage.err).toMatch(/not valid JSON or YAML/);
  });

  it("shots without a brief asks for --vrd", async () => {
    const script = JSON.parse(
      (await cli(["script", "examples/brand-teaser-15s.yaml", "--format", "json"], env)).out,
    );
    delete script.vrd;
    await writeFile(join(work, "bare-script.json"), JSON.stringify(script));
    const { code, err } = await cli(["shots", join(work, "bare-script.json")], env);
    expect(code).toBe(1);
    expect(err).toContain("pass --vrd <file>");
    const withVrd = await cli(
      ["shots", join(work, "bare-script.json"), "--vrd", "examples/brand-teaser-15s.yaml"],
      env,
    );
    expect(withVrd.code).toBe(0);
  });

  it("rejects a bad option value", async () => {
    const { code, err } = await cli(["plan", "x.json", "--max-cost", "-5"], env);
    expect(code).not.toBe(0);
    expect(err).toContain("--max-cost must be a positive number");
  });

  it("db migrate is idempotent and toolstack list shows sourced prices, unknown as unknown", async () => {
    const first = await cli(["db", "migrate"], env);
    expect(first.code).toBe(0);
    const again = await cli(["db", "migrate"], env);
    expect(again.out).toMatch(/Database is up to date \(pglite\)\. Tool seed: 0 inserted, 0 updated/);
    const list = await cli(["toolstack", "list", "--category", "video_generation"], env);
    expect(list.out).toMatch(
      /\| runway-gen4-turbo \| Runway Gen-4 Turbo \| video_generation \| available \| \$0\.05 per second \|/,
    );
    expect(list.out).toMatch(/\| luma-ray2 \|.*\| unknown \|/);
    const bad = await cli(["toolstack", "list", "--category", "toasters"], env);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("must be one of");
  });

  it("a bad environment value stops with a line naming the variable", async () => {
    const { code, err } = await cli(["demo"], { ...env, LLM_TIMEOUT_MS: "soon" });
    expect(code).toBe(1);
    expect(err).toContain("LLM_TIMEOUT_MS");
    expect(err).not.toContain("soon");
  });

  it("names a folder, an empty file and a file meant for another command in one line", async () => {
    const folder = await cli(["script", work], env);
    expect(folder.code).toBe(1);
    expect(folder.err.trim()).toBe(`${work} is a folder; give the VRD file`);
    await writeFile(join(work, "empty.yaml"), "  \n");
    const empty = await cli(["shots", join(work, "empty.yaml")], env);
    expect(empty.code).toBe(1);
    expect(empty.err).toContain("empty.yaml is empty");
    const vrdAsScript = await cli(["shots", "examples/brand-teaser-15s.yaml"], env);
    expect(vrdAsScript.code).toBe(1);
    expect(vrdAsScript.err).toMatch(
      /is a VRD, not a script: run `greenlight script <vrd> --format json` first/,
    );
    for (const r of [folder, empty, vrdAsScript]) expect(r.err).not.toMatch(/\n\s+at |Unexpected error/);
  });

  it("a bad option is one line, without the whole help text", async () => {
    const { code, err } = await cli(["script", "examples/brand-teaser-15s.yaml", "--format", "xml"], env);
    expect(code).not.toBe(0);
    expect(err.trim().split("\n"), err).toHaveLength(1);
    expect(err).toMatch(/Allowed choices are md, json/);
  });

  it("writes a script for every platform and for the shortest and longest durations", async () => {
    for (const [i, platform] of PLATFORMS.entries()) {
      const duration = [5, 600][i % 2];
      const file = join(work, `${platform}.yaml`);
      await writeFile(
        file,
        `title: Test\nobjective: Sign-ups\nduration_seconds: ${duration}\nplatform: ${platform}\nkey_messages: [It is fast]\ncall_to_action: Try it\n`,
      );
      const { code, out, err } = await cli(["script", file, "--format", "json"], env);
      expect(err, platform).toBe("");
      expect(code).toBe(0);
      const script = JSON.parse(out);
      expect(Math.abs(script.metadata.duration_s - (duration ?? 0))).toBeLessThanOrEqual(5);
      expect(script.metadata.warnings).toEqual([]);
    }
  });

  it("plan under a budget no plan fits prints the closest plan and exits non-zero with the gap", async () => {
    const script = await cli(["script", "examples/brand-teaser-15s.yaml", "--format", "json"], env);
    await writeFile(join(work, "teaser-script.json"), script.out);
    const shots = await cli(["shots", join(work, "teaser-script.json"), "--format", "json"], env);
    await writeFile(join(work, "teaser-shots.json"), shots.out);
    const { code, out, err } = await cli(
      ["plan", join(work, "teaser-shots.json"), "--max-cost", "0.01"],
      env,
    );
    expect(code).toBe(1);
    expect(out).toContain("| S01 |");
    expect(err.trim().split("\n")).toHaveLength(1);
    expect(err).toMatch(
      /^No plan fits: the least demanding plan misses the \$0\.01 budget by \$\d+\.\d\d\. To fix: raise the budget/,
    );
  });
});

describe("greenlight research run", () => {
  it("reports what it found, each failing source once, what was not benchmarked and where alerts go", async () => {
    const fake = await startFakeResearch({
      arxiv: [arxivWan()],
      github: [githubWan()],
      huggingface: [hfModel("studio/motion-diffuser-1")],
    });
    const db = await testDb();
    try {
      fake.fail("fal", { status: 500, body: { detail: "down" } });
      // The CLI's own run waits politely between arXiv requests; the report is what this test reads.
      const config = loadConfig({ ...fake.config });
      const deps = {
        ...researchDepsFromConfig(config, db),
        sources: createResearchSources(config, {
          minIntervalMs: 0,
          retries: 0,
          sleep: async () => undefined,
        }),
      };
      const report = researchRunReport(await runResearchOnce(deps, { trigger: "cli" }));
      expect(report).toMatch(/^Research run [0-9a-f-]{36}: partial$/m);
      expect(report).toMatch(/^ {2}! fal: /m);
      expect(report).not.toMatch(/fal: fal:/);
      expect(report).toMatch(/^Not benchmarked: motion-diffuser-1 \(no benchmark adapter [^()]*\);/m);
      expect(report).not.toContain("(not benchmarked");
      expect(report).toMatch(/\d+ alert\(s\) recorded; subscribed channels get them from the running bot/);
    } finally {
      await db.close();
      await fake.close();
    }
  });
});
