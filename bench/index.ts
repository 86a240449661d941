/**
 * `npm run bench [name ...]`: runs every bench (or only the named ones) and prints ONE JSON object
 * with a key per bench on stdout. Progress and logs go to stderr.
 *
 * Adding a bench: one line in BENCHES, a lazy import of a module whose function resolves to a
 * JSON-serialisable summary (lazy, so running one bench does not load the others).
 */
import { spawn } from "node:child_process";

const BENCHES: Record<string, () => Promise<unknown>> = {
  scriptsmith: async () => (await import("./agents.js")).benchScriptsmith(),
  shotmaster: async () => (await import("./agents.js")).benchShotmaster(),
  optimiser: async () => (await import("./agents.js")).benchOptimiser(),
  demo: async () => (await import("./agents.js")).benchDemo(),
  production: async () => (await import("./production.js")).runProductionBench(),
  research: async () => (await import("./research.js")).benchResearch(),
  discord: async () => (await import("./discord.js")).benchDiscord(),
  slack: async () => (await import("./slack.js")).benchSlack(),
};

async function main(): Promise<void> {
  const asked = process.argv.slice(2).filter((a) => !a.startsWith("-"));
  const unknown = asked.filter((name) => !(name in BENCHES));
  if (unknown.length > 0) {
    process.stderr.write(
      `Unknown bench: ${unknown.join(", ")}. Available: ${Object.keys(BENCHES).join(", ")}\n`,
    );
    process.exit(2);
  }
  const names = asked.length > 0 ? asked : Object.keys(BENCHES);
  const results: Record<string, unknown> = {};
  for (const name of names) {
    try {
      // Several benches: each in a fresh process (which reports its progress), so one bench's heap
      // and garbage never slow the next.
      results[name] = names.length === 1 ? await runHere(name) : await inChild(name);
    } catch (err) {
      // One failing bench still leaves the others' numbers in the summary.
      results[name] = { error: err instanceof Error ? err.message : String(err) };
      process.exitCode = 1;
    }
  }
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
}

async function runHere(name: string): Promise<unknown> {
  process.stderr.write(`bench ${name}: running\n`);
  const started = Date.now();
  try {
    return await (BENCHES[name] as () => Promise<unknown>)();
  } finally {
    process.stderr.write(`bench ${name}: done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
}

/** Runs one bench in a child process (this script with its name) and returns its summary. */
function inChild(name: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1] as string, name], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += String(chunk);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      try {
        resolve((JSON.parse(out) as Record<string, unknown>)[name]);
      } catch {
        reject(new Error(`bench ${name} exited with ${code} and no summary`));
      }
    });
  });
}

main().then(
  // Benches close what they open; exiting here also ends anything a failed bench left behind.
  () => process.exit(),
  (err) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
