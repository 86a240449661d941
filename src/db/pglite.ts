import { mkdir } from "node:fs/promises";
import { PGlite, type Results, type Transaction } from "@electric-sql/pglite";
import { COLUMN_PARSERS } from "./column-types.js";
import { checkedChannelName, type Db, type Queryable, type QueryResult } from "./db.js";

export interface PgliteOptions {
  /** A folder (created if missing) or `memory://` for a throw-away in-memory database. */
  dataDir: string;
}

/**
 * Embedded PostgreSQL (WASM) behind the Db interface, written on PGlite's own query/transaction API
 * (its node-postgres adapter stops working after the first SQL error).
 * A fresh folder costs an initdb (~3 s, ~800 MB RSS on Node 20); reopening one takes ~0.3 s.
 */
const EMBEDDED_SHARED_BUFFERS = "32MB";

export async function openPglite({ dataDir }: PgliteOptions): Promise<Db> {
  const inMemory = dataDir.startsWith("memory://");
  if (!inMemory) await mkdir(dataDir, { recursive: true });
  const pg = await PGlite.create(dataDir, {
    parsers: { ...COLUMN_PARSERS },
    // PostgreSQL's default 128 MB of shared buffers is sized for a server; one embedded process with
    // a small catalogue does as well with 32 MB, and the process stays ~100 MB smaller.
    postgresqlconf: [`shared_buffers=${EMBEDDED_SHARED_BUFFERS}`],
  });
  let closed = false;

  return {
    kind: "pglite",
    async query(sql, params) {
      await nextTurn();
      return run(pg, sql, params);
    },
    transaction: async (fn) => {
      await nextTurn();
      return pg.transaction(async (tx) => {
        let finished = false;
        try {
          return await fn(transactionQueryable(tx, () => finished));
        } finally {
          finished = true;
        }
      });
    },
    async listen(channel, fn) {
      const unlisten = await pg.listen(checkedChannelName(channel), fn);
      return async () => {
        if (!closed) await unlisten();
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      await pg.close();
    },
  };
}

/**
 * PGlite runs a query synchronously on this thread and resolves at once, so a chain of awaited
 * queries never lets the event loop in: a burst of incoming requests (Slack waits 3 s for an
 * acknowledgement) would wait behind all of it. So before a query or transaction, once queries have
 * held the thread for SLICE_MS without the loop turning, the loop gets a turn. Not between a
 * transaction's queries: it holds the database until it ends. (Yielding before every query instead
 * slows a busy server by ~10 %: each query would wait for a whole turn of the loop.)
 */
const SLICE_MS = 5;
let sliceStart = performance.now();
let turnMarked = false;

async function nextTurn(): Promise<void> {
  if (!turnMarked) {
    turnMarked = true;
    setImmediate(() => {
      turnMarked = false;
      sliceStart = performance.now();
    });
  }
  if (performance.now() - sliceStart > SLICE_MS) await new Promise<void>((resolve) => setImmediate(resolve));
}

function transactionQueryable(tx: Transaction, isFinished: () => boolean): Queryable {
  return {
    query(sql, params) {
      if (isFinished()) return Promise.reject(new Error("transaction already finished; use db.query"));
      return run(tx, sql, params);
    },
  };
}

/**
 * Without parameters: simple protocol (several statements allowed, last result returned), as `pg`
 * does. With parameters: one prepared statement.
 */
async function run<R>(
  target: Pick<PGlite | Transaction, "query" | "exec">,
  sql: string,
  params?: readonly unknown[],
): Promise<QueryResult<R>> {
  if (params === undefined || params.length === 0) {
    const results = await target.exec(sql);
    return toQueryResult<R>(results.at(-1));
  }
  return toQueryResult<R>(await target.query<R>(sql, [...params]));
}

function toQueryResult<R>(result: Results<unknown> | undefined): QueryResult<R> {
  if (!result) return { rows: [], rowCount: 0 };
  const rows = result.rows as R[];
  // PGlite sets rowCount from the command tag (SELECT n / INSERT 0 n / UPDATE n); DDL has none.
  return { rows, rowCount: result.rowCount ?? rows.length };
}
