/**
 * `npm run bench [name ...]`: runs every bench (or only the named ones) and prints ONE JSON object
 * with a key per bench on stdout. Progress and logs go to stderr.
 *
 * Adding a bench: one line in BENCHES, a lazy import of a module whose function resolves to a
 * JSON-serialisable summary (lazy, so running one bench does not load the others).
 */
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
    process.stderr.write(`bench ${name}: running\n`);
    const started = Date.now();
    try {
      results[name] = await (BENCHES[name] as () => Promise<unknown>)();
    } catch (err) {
      // One failing bench still leaves the others' numbers in the summary.
      results[name] = { error: err instanceof Error ? err.message : String(err) };
      process.exitCode = 1;
    }
    process.stderr.write(`bench ${name}: done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
}

main().then(
  // Benches close what they open; exiting here also ends anything a failed bench left behind.
  () => process.exit(),
  (err) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
