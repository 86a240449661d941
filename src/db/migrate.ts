import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { GreenlightError } from "../domain/errors.js";
import type { Db, Queryable } from "./db.js";

/**
 * Plain-SQL migrations: `migrations/NNN_what.sql`, applied in number order, each in its own
 * transaction, recorded in `schema_migrations` with a checksum of the file. The same files run on
 * PGlite and PostgreSQL.
 */
export interface Migration {
  /** File name, e.g. `001_toolstack.sql`; the key in schema_migrations. */
  name: string;
  number: number;
  sql: string;
  checksum: string;
}

export class MigrationError extends GreenlightError {
  override name = "MigrationError";
}

// Any constant works; every migrator takes this transaction-scoped advisory lock, so two processes
// starting at once take turns (the second finds the work done) instead of colliding.
const MIGRATION_LOCK_KEY = 7_312_026_001;
const FILE_NAME = /^(\d+)_[A-Za-z0-9_-]+\.sql$/;

export interface MigrateOptions {
  /** Folder of NNN_name.sql files; default: `migrations/` of this package. */
  folder?: string;
}

/** Applies every pending migration; returns the names applied by this call (in order). */
export async function migrate(db: Db, options: MigrateOptions = {}): Promise<{ applied: string[] }> {
  const migrations = await readMigrations(options.folder ?? findMigrationsFolder());

  // Refuse edited files before applying anything.
  await db.transaction(async (tx) => {
    await lock(tx);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name TEXT PRIMARY KEY,
      checksum TEXT NOT NULL,
      applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`);
    const recorded = await tx.query<{ name: string; checksum: string }>(
      "SELECT name, checksum FROM schema_migrations",
    );
    const checksums = new Map(recorded.rows.map((row) => [row.name, row.checksum]));
    for (const migration of migrations) assertUnchanged(migration, checksums.get(migration.name));
  });

  const applied: string[] = [];
  for (const migration of migrations) {
    const didApply = await db.transaction(async (tx) => {
      await lock(tx);
      const recorded = await tx.query<{ checksum: string }>(
        "SELECT checksum FROM schema_migrations WHERE name = $1",
        [migration.name],
      );
      const checksum = recorded.rows[0]?.checksum;
      if (checksum !== undefined) {
        assertUnchanged(migration, checksum); // applied meanwhile by another process
        return false;
      }
      try {
        await tx.query(migration.sql);
      } catch (error) {
        throw new MigrationError(`Migration ${migration.name} failed: ${(error as Error).message}`, {
          cause: error,
        });
      }
      await tx.query("INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)", [
        migration.name,
        migration.checksum,
      ]);
      return true;
    });
    if (didApply) applied.push(migration.name);
  }
  return { applied };
}

function lock(tx: Queryable) {
  return tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
}

function assertUnchanged(migration: Migration, recordedChecksum: string | undefined): void {
  if (recordedChecksum === undefined || recordedChecksum === migration.checksum) return;
  throw new MigrationError(
    `Migration ${migration.name} was edited after it was applied (checksum ${short(recordedChecksum)} ` +
      `recorded, file now ${short(migration.checksum)}). Restore the file and put the change in a ` +
      "new numbered migration.",
  );
}

const short = (checksum: string) => checksum.slice(0, 12);

/** The migration files of `folder`, sorted by number; a misnamed or duplicate-numbered .sql file is an error. */
export async function readMigrations(folder: string): Promise<Migration[]> {
  const files = (await readdir(folder)).filter((file) => file.endsWith(".sql"));
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = FILE_NAME.exec(file);
    if (!match) {
      throw new MigrationError(`Migration file ${file} in ${folder} must be named NNN_name.sql`);
    }
    // Line endings are normalised so a Windows checkout does not look like an edit.
    const sql = (await readFile(join(folder, file), "utf8")).replaceAll("\r\n", "\n");
    migrations.push({ name: file, number: Number(match[1]), sql, checksum: sha256(sql) });
  }
  migrations.sort((a, b) => a.number - b.number);
  for (let i = 1; i < migrations.length; i++) {
    const [previous, current] = [migrations[i - 1]!, migrations[i]!];
    if (previous.number === current.number) {
      throw new MigrationError(`Migrations ${previous.name} and ${current.name} have the same number`);
    }
  }
  return migrations;
}

/**
 * `migrations/` next to package.json, found by walking up from this module: it runs both from
 * src/db/ (tsx, vitest) and from dist/src/db/ (after tsc).
 */
export function findMigrationsFolder(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new MigrationError(`No package.json above ${fileURLToPath(from)}`);
    dir = parent;
  }
  return join(dir, "migrations");
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
