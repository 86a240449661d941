import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import type { Db } from "../../src/db/db.js";
import { openPostgres } from "../../src/db/postgres.js";
import { ValidationError } from "../../src/domain/errors.js";
import {
  type ResearchDeps,
  type ResearchRunSummary,
  runResearchOnce,
  withResearchLock,
} from "../../src/research/run.js";
import {
  researchRunCoordinator,
  SCHEDULE_NAME,
  startResearchSchedule,
} from "../../src/research/scheduler.js";
import { createResearchSources } from "../../src/research/sources/index.js";
import { type FakeResearch, startFakeResearch } from "../fakes/research.js";
import { type Backend, testBackends, testDatabaseUrl, testDb, useTestDb } from "../support/db.js";
import { holdResearchLock } from "../support/research-lock.js";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** A second handle on the same database, as another replica would have (PGlite: the same handle). */
async function secondHandle(backend: Backend, db: Db): Promise<Db> {
  if (backend === "pglite") return db;
  const { rows } = await db.query<{ schema: string }>("SELECT current_schema() AS schema");
  const other = await openPostgres({ connectionString: testDatabaseUrl(), schema: rows[0]?.schema, max: 4 });
  closers.push(() => other.close());
  return other;
}

async function fakeResearch(): Promise<FakeResearch> {
  const fake = await startFakeResearch();
  closers.push(() => fake.close());
  return fake;
}

function depsFor(db: Db, fake: FakeResearch): ResearchDeps {
  return {
    db,
    sources: createResearchSources(loadConfig({ ...fake.config }), { minIntervalMs: 0, retries: 0 }),
  };
}

describe.each(testBackends())("research schedule on %s", (backend) => {
  const db = useTestDb(backend);

  it("node-cron's run coordinator lets exactly one replica claim a slot", async () => {
    const other = await secondHandle(backend, db());
    const key = `${SCHEDULE_NAME}:2026-11-20T06:00:00.000Z`;
    const a = researchRunCoordinator(db(), SCHEDULE_NAME, new Map());
    const b = researchRunCoordinator(other, SCHEDULE_NAME, new Map());

    const answers = await Promise.all([a.shouldRun(key, 0), b.shouldRun(key, 0), a.shouldRun(key, 0)]);

    expect(answers.filter(Boolean)).toHaveLength(1);
    const { rows } = await db().query<{ slot: string; trigger: string }>(
      "SELECT slot, trigger FROM research_runs",
    );
    expect(rows).toEqual([{ slot: "2026-11-20T06:00:00.000Z", trigger: "schedule" }]);
  });

  it("a slot already run by another replica is skipped without a second record", async () => {
    const fake = await fakeResearch();
    const slot = "2026-11-20T06:00:00.000Z";
    const first = await runResearchOnce(depsFor(db(), fake), { trigger: "schedule", slot });
    const second = await runResearchOnce(depsFor(await secondHandle(backend, db()), fake), {
      trigger: "schedule",
      slot,
    });

    expect(first.status).toBe("succeeded");
    expect(second).toMatchObject({ run_id: null, status: "skipped" });
    expect((await db().query("SELECT 1 FROM research_runs")).rows).toHaveLength(1);
  });

  it("two schedulers on one database run each slot once", async () => {
    const fake = await fakeResearch();
    const runs: { replica: string; summary: ResearchRunSummary }[] = [];
    const errors: unknown[] = [];
    const start = (replica: string, handle: Db) =>
      startResearchSchedule(depsFor(handle, fake), {
        cron: "* * * * * *", // every second
        timezone: "UTC",
        onRun: (summary) => runs.push({ replica, summary }),
        onError: (error) => errors.push(error),
      });
    const a = start("a", db());
    const b = start("b", await secondHandle(backend, db()));

    await new Promise((resolve) => setTimeout(resolve, 2_600));
    await Promise.all([a.stop(), b.stop()]);

    expect(errors).toEqual([]);
    const { rows } = await db().query<{ slot: string; status: string }>(
      "SELECT slot, status FROM research_runs ORDER BY slot",
    );
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(new Set(rows.map((r) => r.slot)).size).toBe(rows.length);
    expect(rows.every((r) => r.status === "succeeded")).toBe(true);
    // Every slot was run by exactly one of the two replicas.
    expect(runs.map((r) => r.summary.slot).sort()).toEqual(rows.map((r) => r.slot));
  }, 10_000);

  it("the research lock excludes a second holder, also from another connection", async () => {
    const other = await secondHandle(backend, db());
    const { held, release } = await holdResearchLock(db());

    expect(await withResearchLock(other, async () => "ran")).toEqual({ acquired: false });
    release();
    await held;
    expect(await withResearchLock(other, async () => "ran")).toEqual({ acquired: true, value: "ran" });
  });

  // Advisory locks are database-wide; only PostgreSQL can hold two deployments in one database.
  if (backend === "postgres")
    it("a deployment in another schema of the same database keeps its own research lock", async () => {
      const elsewhere = await testDb("postgres");
      closers.push(() => elsewhere.close());
      const { held, release } = await holdResearchLock(db());

      expect(await withResearchLock(elsewhere, async () => "ran")).toEqual({ acquired: true, value: "ran" });
      release();
      await held;
    });
});

describe("startResearchSchedule configuration", () => {
  const deps = { db: {} as Db, sources: {} as ResearchDeps["sources"] };

  it("names RESEARCH_CRON when the expression is invalid", () => {
    expect(() => startResearchSchedule(deps, { cron: "every day", timezone: "UTC" })).toThrow(
      ValidationError,
    );
    expect(() => startResearchSchedule(deps, { cron: "every day", timezone: "UTC" })).toThrow(
      /RESEARCH_CRON/,
    );
  });

  it("names RESEARCH_TZ when the time zone is unknown", () => {
    expect(() => startResearchSchedule(deps, { cron: "0 6 * * *", timezone: "Mars/Olympus" })).toThrow(
      /RESEARCH_TZ/,
    );
  });

  it("reports the next run in the configured time zone", async () => {
    const schedule = startResearchSchedule(deps, { cron: "0 6 * * *", timezone: "Europe/Berlin" });
    try {
      const next = schedule.nextRun();
      expect(next).not.toBeNull();
      const berlinHour = new Intl.DateTimeFormat("en-GB", {
        timeZone: "Europe/Berlin",
        hour: "2-digit",
        hour12: false,
      }).format(next as Date);
      expect(berlinHour).toBe("06");
    } finally {
      await schedule.stop();
    }
  });
});
