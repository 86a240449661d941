import pg from "pg";
import { COLUMN_PARSERS } from "./column-types.js";
import { checkedChannelName, type Db, type Queryable, type QueryResult } from "./db.js";

export interface PostgresOptions {
  connectionString: string;
  /** Tables live in this schema (search_path); default: the server's (usually `public`). */
  schema?: string;
  /** Pool size; default 10. */
  max?: number;
  /** An idle pooled connection failed (server restart…); the pool drops it and reconnects. */
  onIdleClientError?: (error: Error) => void;
}

// Per-pool type parsers (pg's global `types.setTypeParser` would leak into every other pool).
const typeParsers = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    const own = format === "binary" ? undefined : COLUMN_PARSERS[oid];
    return own ?? pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/** PostgreSQL through a `pg` Pool. Connects once before returning, so a bad URL fails at start-up. */
export async function openPostgres(options: PostgresOptions): Promise<Db> {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    types: typeParsers,
    ...(options.schema ? { options: `-c search_path=${checkedSchemaName(options.schema)}` } : {}),
  });
  pool.on("error", (error) => options.onIdleClientError?.(error));
  try {
    await pool.query("SELECT 1");
  } catch (error) {
    await pool.end();
    throw error;
  }
  let closed = false;
  const listeners = new Set<() => Promise<void>>();

  return {
    kind: "postgres",
    query: (sql, params) => run(pool, sql, params),
    async transaction(fn) {
      const client = await pool.connect();
      let finished = false;
      const tx: Queryable = {
        query(sql, params) {
          if (finished) return Promise.reject(new Error("transaction already finished; use db.query"));
          return run(client, sql, params);
        },
      };
      try {
        await client.query("BEGIN");
        const result = await fn(tx);
        await client.query("COMMIT");
        client.release();
        return result;
      } catch (error) {
        // A connection that cannot even roll back is destroyed instead of going back to the pool.
        await client.query("ROLLBACK").then(
          () => client.release(),
          (rollbackError: Error) => client.release(rollbackError),
        );
        throw error;
      } finally {
        finished = true;
      }
    },
    async listen(channel, fn) {
      if (closed) throw new Error("database is closed");
      const stop = await listenOn(
        { connectionString: options.connectionString },
        checkedChannelName(channel),
        fn,
        options.onIdleClientError,
      );
      const unlisten = async () => {
        listeners.delete(unlisten);
        await stop();
      };
      listeners.add(unlisten);
      return unlisten;
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...listeners].map((unlisten) => unlisten()));
      await pool.end();
    },
  };
}

const RELISTEN_DELAY_MS = 1000;

/**
 * LISTEN needs a connection of its own (a pooled one goes back to the pool and stops hearing). When
 * it drops, it is re-opened after a second; notifications sent meanwhile are lost.
 */
async function listenOn(
  config: pg.ClientConfig,
  channel: string,
  fn: (payload: string) => void,
  onError?: (error: Error) => void,
): Promise<() => Promise<void>> {
  let current: pg.Client | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const connect = async () => {
    const client = new pg.Client(config);
    client.on("notification", (message) => {
      if (message.channel === channel) fn(message.payload ?? "");
    });
    client.on("error", (error) => {
      onError?.(error);
      dropped(client);
    });
    client.on("end", () => dropped(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${channel}`);
    } catch (error) {
      client.removeAllListeners("end");
      await client.end().catch(() => {});
      throw error;
    }
    if (stopped) {
      await client.end().catch(() => {});
      return;
    }
    current = client;
  };
  const dropped = (client: pg.Client) => {
    if (stopped || current !== client) return;
    current = null;
    client.end().catch(() => {});
    retrySoon();
  };
  const retrySoon = () => {
    timer = setTimeout(() => {
      connect().catch((error: Error) => {
        onError?.(error);
        if (!stopped) retrySoon();
      });
    }, RELISTEN_DELAY_MS);
    timer.unref();
  };

  await connect();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    const client = current;
    current = null;
    await client?.end().catch(() => {});
  };
}

async function run<R>(
  target: pg.Pool | pg.PoolClient,
  sql: string,
  params?: readonly unknown[],
): Promise<QueryResult<R>> {
  // Without parameters pg uses the simple protocol; several statements give an array of results.
  const raw = (await target.query(sql, params ? [...params] : undefined)) as
    | pg.QueryResult
    | pg.QueryResult[];
  const result = Array.isArray(raw) ? raw.at(-1) : raw;
  if (!result) return { rows: [], rowCount: 0 };
  return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
}

/** Schema names go into the connection's startup options, so only plain lowercase names are accepted. */
function checkedSchemaName(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`schema name "${schema}" must be lowercase letters, digits and underscores`);
  }
  return schema;
}
