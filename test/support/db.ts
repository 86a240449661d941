/**
 * Databases for tests. Each test file gets its own database, migrated once (`testDb`), and tests
 * empty it with `resetDb` instead of paying for a new one:
 * - PGlite: an initdb costs ~3 s and ~800 MB, so it is done once per machine into a template folder
 *   (os.tmpdir(), keyed by the PGlite version) that each test file copies to /dev/shm and opens
 *   (~0.3 s, ~300 MB).
 * - PostgreSQL (only when TEST_DATABASE_URL is set): a fresh schema per test file, named with the
 *   time and pid, so parallel workers and parallel vitest runs never touch each other's tables.
 *
 * Typical use, running the same tests on every available backend:
 *
 *   describe.each(testBackends())("%s", (backend) => {
 *     const db = useTestDb(backend);
 *     it("…", async () => { await db().query("…"); });
 *   });
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { cp, mkdtemp, rename, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, beforeEach } from "vitest";
import type { Db } from "../../src/db/db.js";
import { migrate } from "../../src/db/migrate.js";
import { openPglite } from "../../src/db/pglite.js";
import { openPostgres } from "../../src/db/postgres.js";

export type Backend = Db["kind"];

/** PGlite always; PostgreSQL too when TEST_DATABASE_URL is set. */
export function testBackends(): Backend[] {
  return process.env.TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];
}

/** A migrated database of its own for the calling test file. Close it in afterAll. */
export async function testDb(backend: Backend = "pglite"): Promise<Db> {
  const db = await emptyTestDb(backend);
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

/** Registers beforeAll (open + migrate), beforeEach (resetDb) and afterAll (close); returns a getter. */
export function useTestDb(backend: Backend = "pglite"): () => Db {
  let db: Db | undefined;
  beforeAll(async () => {
    db = await testDb(backend);
  });
  beforeEach(async () => {
    if (db) await resetDb(db);
  });
  afterAll(async () => {
    await db?.close();
  });
  return () => {
    if (!db) throw new Error("useTestDb: the database is opened in beforeAll; use it inside tests/hooks");
    return db;
  };
}

/** Empties every table except schema_migrations (one TRUNCATE; sequences restart). */
export async function resetDb(db: Db): Promise<void> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables
     WHERE schemaname = current_schema() AND tablename <> 'schema_migrations'`,
  );
  if (rows.length === 0) return;
  const tables = rows.map((row) => `"${row.name.replaceAll('"', '""')}"`).join(", ");
  await db.query(`TRUNCATE ${tables} RESTART IDENTITY CASCADE`);
}

/** A database of its own with no tables at all (for migrator tests). Close it in afterAll. */
export async function emptyTestDb(backend: Backend = "pglite"): Promise<Db> {
  return backend === "postgres" ? openPostgresSchema() : openPgliteCopy();
}

/** The TEST_DATABASE_URL, or an error saying the PostgreSQL suite needs it. */
export function testDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error("TEST_DATABASE_URL is not set (e.g. postgresql://postgres@127.0.0.1:5432/test)");
  return url;
}

// ---- PGlite: copy of a template cluster ----

const copies = new Set<string>();
// A test file that forgets close() still leaves no 40 MB folder behind.
process.once("exit", () => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

/** Copies an empty, never-migrated PGlite cluster into `dir` (fast; no initdb). */
export async function copyPgliteTemplate(dir: string): Promise<void> {
  await cp(await pgliteTemplate(), dir, { recursive: true });
}

async function openPgliteCopy(): Promise<Db> {
  const dir = await scratchDir();
  copies.add(dir);
  await copyPgliteTemplate(dir);
  const db = await openPglite({ dataDir: dir });
  return {
    ...db,
    async close() {
      await db.close();
      await rm(dir, { recursive: true, force: true });
      copies.delete(dir);
    },
  };
}

/**
 * A new temporary folder, in memory (/dev/shm) when there is one: copying a 40 MB cluster to disk
 * takes ~0.7 s here, to tmpfs ~0.05 s. The caller removes it.
 */
export async function scratchDir(): Promise<string> {
  try {
    return await mkdtemp(join("/dev/shm", "greenlight-test-pglite-"));
  } catch {
    return mkdtemp(join(tmpdir(), "greenlight-test-pglite-"));
  }
}

async function pgliteTemplate(): Promise<string> {
  const template = join(tmpdir(), `greenlight-test-pglite-template-${pgliteVersion()}`);
  if (existsSync(join(template, "PG_VERSION"))) return template;
  // Built beside the final name and renamed into place, so a concurrent worker never sees half of
  // it; if another worker won the race, ours is thrown away.
  const building = `${template}.${process.pid}-${randomBytes(4).toString("hex")}`;
  const db = await openPglite({ dataDir: building });
  await db.close();
  try {
    await rename(building, template);
  } catch {
    await rm(building, { recursive: true, force: true });
  }
  return template;
}

function pgliteVersion(): string {
  const entry = createRequire(import.meta.url).resolve("@electric-sql/pglite");
  const manifest = JSON.parse(readFileSync(join(dirname(entry), "..", "package.json"), "utf8"));
  return String(manifest.version);
}

// ---- PostgreSQL: a schema per test file ----

const SCHEMA_PREFIX = "gl_test_";
const STALE_AFTER_SECONDS = 2 * 60 * 60;

async function openPostgresSchema(): Promise<Db> {
  const now = Math.floor(Date.now() / 1000);
  const schema = `${SCHEMA_PREFIX}${now}_${process.pid}_${randomBytes(3).toString("hex")}`;
  const db = await openPostgres({ connectionString: testDatabaseUrl(), schema, max: 4 });
  await dropStaleSchemas(db, now);
  await db.query(`CREATE SCHEMA ${schema}`);
  return {
    ...db,
    async close() {
      await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await db.close();
    },
  };
}

/** Schemas left by test processes that died before close(). */
async function dropStaleSchemas(db: Db, now: number): Promise<void> {
  const { rows } = await db.query<{ name: string }>(
    "SELECT nspname AS name FROM pg_namespace WHERE nspname LIKE 'gl\\_test\\_%'",
  );
  for (const { name } of rows) {
    const createdAt = Number(name.slice(SCHEMA_PREFIX.length).split("_")[0]);
    if (now - createdAt > STALE_AFTER_SECONDS) await db.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
  }
}
