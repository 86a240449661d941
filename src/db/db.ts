/**
 * What every part of Greenlight needs from a database; PGlite and PostgreSQL both provide it
 * (src/db/pglite.ts, src/db/postgres.ts; src/db/open.ts picks one).
 *
 * Binding parameters ($1, $2, … only):
 * - JSON/JSONB: bind `JSON.stringify(x)` and cast, `$1::jsonb`. Never pass the object itself: `pg`
 *   turns a JS array into a Postgres array literal, so `[1, 2]` would not arrive as JSON.
 * - TEXT[]: pass the JS string array as is (`$2::text[]`).
 * - Timestamps: pass an ISO string (or a Date).
 *
 * Values coming back (identical on both backends, see src/db/column-types.ts):
 * - JSONB → parsed value; TEXT[] → string[]; NULL → null.
 * - TIMESTAMPTZ → ISO 8601 UTC string with milliseconds, e.g. `2025-01-02T03:04:05.678Z`
 *   (not a Date; the domain schemas use strings). DATE → `YYYY-MM-DD`.
 * - INT/FLOAT/INT8 (so `count(*)`) → number; NUMERIC → string.
 *
 * A query without parameters may hold several statements separated by `;` (simple protocol, as in
 * `pg`); its result is that of the last statement. A query with parameters is one statement.
 */
export interface QueryResult<R> {
  rows: R[];
  /** Rows returned (SELECT) or affected (INSERT/UPDATE/DELETE); 0 for other statements. */
  rowCount: number;
}

export interface Queryable {
  /** Positional parameters ($1, $2, …). Bind JSON as `JSON.stringify(x)` with `$n::jsonb`. */
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
}

export interface Db extends Queryable {
  readonly kind: "pglite" | "postgres";
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws.
   * Inside `fn` use only `tx`: on PGlite (one connection) a `db.query` awaited inside `fn` waits for
   * the transaction to end, i.e. forever. A `tx` must not be used after `fn` has returned.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Must be awaited before the process can exit (PGlite keeps it alive otherwise). */
  close(): Promise<void>;
  /**
   * LISTEN on `channel` (a plain lowercase identifier); `fn` gets each NOTIFY payload. Send with
   * `SELECT pg_notify($1, $2)`, inside a transaction to deliver at commit. PostgreSQL reaches every
   * process connected to the database (over a dedicated connection, re-opened if it drops;
   * notifications sent while it is down are lost); PGlite only this process. Resolves once listening;
   * the returned function stops. Payloads are limited to 8000 bytes: send ids, not data.
   */
  listen?(channel: string, fn: (payload: string) => void): Promise<() => Promise<void>>;
}

/** LISTEN/NOTIFY channel names are identifiers; only plain ones are accepted (no quoting needed). */
export function checkedChannelName(channel: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) {
    throw new Error(`channel name "${channel}" must be lowercase letters, digits and underscores`);
  }
  return channel;
}
