/**
 * Research bench (issue 8): one full research run over 1,000 arXiv entries + 1,000 GitHub repositories
 * + 1,000 Hugging Face models served by the loopback fakes, on embedded PGlite (in memory) with the
 * seed tool stack and one subscribed channel. Target: under 10 s. Peak RSS is printed (stderr) and
 * returned. The fakes answer at once, so this measures our parsing, merging and database work, not
 * the network (the real sources' polite intervals would make a real run take minutes).
 */
import { performance } from "node:perf_hooks";
import { loadConfig } from "../src/config.js";
import { migrate } from "../src/db/migrate.js";
import { openPglite } from "../src/db/pglite.js";
import type { AlertSink } from "../src/research/alerts.js";
import { runResearchOnce } from "../src/research/run.js";
import { createResearchSources } from "../src/research/sources/index.js";
import { subscribe } from "../src/research/subscriptions.js";
import { loadToolSeed } from "../src/toolstack/seed.js";
import {
  generateArxivEntries,
  generateGithubRepos,
  generateHfModels,
  startFakeResearch,
} from "../test/fakes/research.js";

const N = 1_000;
const TARGET_S = 10;

export async function benchResearch(): Promise<object> {
  const fake = await startFakeResearch({
    arxiv: generateArxivEntries(N),
    github: generateGithubRepos(N),
    huggingface: generateHfModels(N),
  });
  const db = await openPglite({ dataDir: "memory://" });
  try {
    await migrate(db);
    await loadToolSeed(db);
    await subscribe(db, { platform: "slack", workspace: "T-bench", channel: "C-bench" });
    let digestItems = 0;
    const sink: AlertSink = {
      platform: "slack",
      async sendDigest(_channel, digest) {
        digestItems += digest.items.length + digest.more.count;
      },
    };
    const sources = createResearchSources(loadConfig({ ...fake.config }), { minIntervalMs: 0 });

    const started = performance.now();
    const run = await runResearchOnce(
      {
        db,
        sources,
        sinks: [sink],
        discoveryLimits: { githubPerTopic: N, huggingfacePerTag: N },
        papersPerQuery: N,
      },
      { trigger: "cli" },
    );
    const wallS = (performance.now() - started) / 1000;
    const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    process.stderr.write(`research bench: ${wallS.toFixed(2)} s, peak RSS ${peakRssMb} MB\n`);

    const count = async (table: string) =>
      (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]?.n ?? 0;
    return {
      what: `one research run: ${N} arXiv entries + ${N} GitHub repos + ${N} HF models from the fakes (PGlite)`,
      target_s: TARGET_S,
      wall_s: Math.round(wallS * 1000) / 1000,
      within_target: wallS < TARGET_S,
      peak_rss_mb: peakRssMb,
      status: run.status,
      errors: run.errors,
      counts: run.counts,
      tools_in_db: await count("tools"),
      techniques_in_db: await count("sota_techniques"),
      alerts_in_db: await count("alerts"),
      alerts_in_digest: digestItems,
    };
  } finally {
    await db.close();
    await fake.close();
  }
}

// `npx tsx bench/research.ts` runs it alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  benchResearch().then(
    (result) => {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      process.exit(0);
    },
    (error) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
