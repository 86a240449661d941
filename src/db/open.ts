import type { Db } from "./db.js";
import { openPglite } from "./pglite.js";
import { openPostgres } from "./postgres.js";

export interface OpenDbOptions {
  /** PostgreSQL URL (DATABASE_URL); when set, PGlite is not used. */
  databaseUrl?: string;
  /** Embedded data folder (PGLITE_DIR), created if missing; `memory://` for in-memory. */
  pgliteDir: string;
  /** PostgreSQL only: an idle pooled connection failed (the pool replaces it). */
  onIdleClientError?: (error: Error) => void;
}

/** The database the configuration names: PostgreSQL when a URL is given, otherwise embedded PGlite. */
export async function openDb(options: OpenDbOptions): Promise<Db> {
  if (options.databaseUrl) {
    return openPostgres({
      connectionString: options.databaseUrl,
      onIdleClientError: options.onIdleClientError,
    });
  }
  return openPglite({ dataDir: options.pgliteDir });
}
