/** What every part of Greenlight needs from a database; PGlite and PostgreSQL both provide it. */
export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

export interface Queryable {
  /** Positional parameters ($1, $2, …). Bind JSON as `JSON.stringify(x)` with `$n::jsonb`. */
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
}

export interface Db extends Queryable {
  readonly kind: "pglite" | "postgres";
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Must be awaited before the process can exit (PGlite keeps it alive otherwise). */
  close(): Promise<void>;
}
