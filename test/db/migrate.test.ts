import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/db.js";
import { findMigrationsFolder, migrate, readMigrations } from "../../src/db/migrate.js";
import { openPostgres } from "../../src/db/postgres.js";
import { emptyTestDb, testBackends, testDatabaseUrl } from "../support/db.js";

const repoMigrations = join(import.meta.dirname, "..", "..", "migrations");

async function tableNames(db: Db): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1",
  );
  return rows.map((row) => row.name);
}

async function recorded(db: Db): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>("SELECT name FROM schema_migrations ORDER BY name");
  return rows.map((row) => row.name);
}

describe("findMigrationsFolder", () => {
  it("finds migrations/ beside package.json from src/db and from dist/src/db", () => {
    expect(findMigrationsFolder()).toBe(repoMigrations);
    const compiled = pathToFileURL(join(repoMigrations, "..", "dist", "src", "db", "migrate.js")).href;
    expect(findMigrationsFolder(compiled)).toBe(repoMigrations);
  });
});

describe("readMigrations", () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), "greenlight-migrations-"));
  });
  afterEach(() => rm(folder, { recursive: true, force: true }));

  it("orders files by number, not by name", async () => {
    await writeFile(join(folder, "10_later.sql"), "SELECT 1");
    await writeFile(join(folder, "9_earlier.sql"), "SELECT 1");
    await writeFile(join(folder, "notes.md"), "not a migration");
    expect((await readMigrations(folder)).map((m) => m.name)).toEqual(["9_earlier.sql", "10_later.sql"]);
  });

  it("rejects a misnamed .sql file and duplicate numbers", async () => {
    await writeFile(join(folder, "init.sql"), "SELECT 1");
    await expect(readMigrations(folder)).rejects.toThrow(/init\.sql .*NNN_name\.sql/);
    await rm(join(folder, "init.sql"));
    await writeFile(join(folder, "001_a.sql"), "SELECT 1");
    await writeFile(join(folder, "1_b.sql"), "SELECT 1");
    await expect(readMigrations(folder)).rejects.toThrow(/001_a\.sql and 1_b\.sql have the same number/);
  });
});

describe.each(testBackends())("migrate on %s", (backend) => {
  // One database for the file; every test starts from an empty schema (no schema_migrations either).
  let db: Db;
  const folders: string[] = [];
  beforeAll(async () => {
    db = await emptyTestDb(backend);
  });
  afterAll(() => db.close());
  beforeEach(async () => {
    const { rows } = await db.query<{ schema: string }>("SELECT current_schema() AS schema");
    const schema = rows[0]!.schema;
    await db.query(`DROP SCHEMA ${schema} CASCADE; CREATE SCHEMA ${schema}`);
  });
  afterEach(async () => {
    for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
  });
  async function migrationsFolder(files: Record<string, string>): Promise<string> {
    const folder = await mkdtemp(join(tmpdir(), "greenlight-migrations-"));
    folders.push(folder);
    for (const [name, sql] of Object.entries(files)) await writeFile(join(folder, name), sql);
    return folder;
  }

  it("applies every repository migration in order, then nothing on a re-run", async () => {
    const files = (await readdir(repoMigrations)).filter((f) => f.endsWith(".sql")).sort();
    expect(await migrate(db)).toEqual({ applied: files });
    expect(await migrate(db)).toEqual({ applied: [] });
    expect(await recorded(db)).toEqual(files);
    expect(await tableNames(db)).toEqual([
      "alert_deliveries",
      "alerts",
      "benchmarks",
      "bot_drafts",
      "bot_messages",
      "processed_events",
      "production_approvers",
      "production_events",
      "productions",
      "research_runs",
      "schema_migrations",
      "sota_techniques",
      "subscriptions",
      "tools",
      "workflows",
    ]);
  });

  it("applies only the migrations added since the last run", async () => {
    const first = { "001_a.sql": "CREATE TABLE a (id INT)" };
    expect(await migrate(db, { folder: await migrationsFolder(first) })).toEqual({ applied: ["001_a.sql"] });
    const second = { ...first, "002_b.sql": "CREATE TABLE b (id INT); INSERT INTO b VALUES (1)" };
    expect(await migrate(db, { folder: await migrationsFolder(second) })).toEqual({ applied: ["002_b.sql"] });
    expect(await tableNames(db)).toEqual(["a", "b", "schema_migrations"]);
  });

  it("refuses an applied migration whose file was edited, naming the file, and applies nothing", async () => {
    await migrate(db, { folder: await migrationsFolder({ "001_a.sql": "CREATE TABLE a (id INT)" }) });
    const edited = await migrationsFolder({
      "001_a.sql": "CREATE TABLE a (id BIGINT)",
      "002_b.sql": "CREATE TABLE b (id INT)",
    });
    await expect(migrate(db, { folder: edited })).rejects.toThrow(
      /Migration 001_a\.sql was edited after it was applied/,
    );
    expect(await tableNames(db)).toEqual(["a", "schema_migrations"]);
  });

  it("does not count a CRLF checkout of the same file as an edit", async () => {
    await migrate(db, { folder: await migrationsFolder({ "001_a.sql": "CREATE TABLE a (id INT);\n" }) });
    const crlf = await migrationsFolder({ "001_a.sql": "CREATE TABLE a (id INT);\r\n" });
    expect(await migrate(db, { folder: crlf })).toEqual({ applied: [] });
  });

  it("rolls back a failing migration whole, names it, and keeps the ones before it", async () => {
    const folder = await migrationsFolder({
      "001_a.sql": "CREATE TABLE a (id INT)",
      "002_broken.sql": "CREATE TABLE b (id INT); CREATE TABLE c (id NOT_A_TYPE)",
    });
    await expect(migrate(db, { folder })).rejects.toThrow(/Migration 002_broken\.sql failed: .*not_a_type/);
    expect(await tableNames(db)).toEqual(["a", "schema_migrations"]);
    expect(await recorded(db)).toEqual(["001_a.sql"]);
  });

  it("lets two migrators run at once: both succeed and each migration is applied once", async () => {
    // PostgreSQL: a second pool on the same schema, i.e. another process. PGlite: the same database.
    let other = db;
    if (backend === "postgres") {
      const { rows } = await db.query<{ schema: string }>("SELECT current_schema() AS schema");
      other = await openPostgres({ connectionString: testDatabaseUrl(), schema: rows[0]!.schema });
    }
    const folder = await migrationsFolder({
      "001_a.sql": "CREATE TABLE a (id INT)",
      "002_slow.sql": "CREATE TABLE b (id INT); SELECT pg_sleep(0.2)",
      "003_c.sql": "CREATE TABLE c (id INT)",
    });
    try {
      const [one, two] = await Promise.all([migrate(db, { folder }), migrate(other, { folder })]);
      expect([...one.applied, ...two.applied].sort()).toEqual(["001_a.sql", "002_slow.sql", "003_c.sql"]);
      expect(await recorded(db)).toEqual(["001_a.sql", "002_slow.sql", "003_c.sql"]);
    } finally {
      if (other !== db) await other.close();
    }
  });
});
