/**
 * Persistence of productions and their event log. Every change is one UPDATE guarded by the version
 * (or, for a running stage, by the lease) plus its events, in the caller's transaction; a guard that
 * no longer holds returns null and changes nothing.
 */
import type { Queryable } from "../db/db.js";
import { parseOrThrow } from "../domain/parse.js";
import { Production, ProductionEvent, type Stage } from "../domain/production.js";
import { noUsage } from "../domain/usage.js";
import { Vrd } from "../domain/vrd.js";
import type { RevisionRequest } from "./contract.js";

/** A production with the columns only the workflow sees. */
export interface StoredProduction {
  production: Production;
  /** The VRD as submitted (answers are applied to it, never to an already-answered VRD). */
  brief: Vrd;
  /** The revision the generating stage applies; null → a fresh generation. */
  revision: RevisionRequest | null;
  /** The generating stage a failed production re-runs on Retry. */
  failedStage: Stage | null;
  leaseOwner: string | null;
}

/** What a transition may change. Undefined keys are left alone. */
export interface ProductionChanges {
  stage?: Stage;
  vrd?: Vrd;
  questions?: Production["questions"];
  answers?: Production["answers"];
  script?: Production["script"];
  shot_list?: Production["shot_list"];
  plan?: Production["plan"];
  error?: string | null;
  usage?: Production["usage"];
  revision?: RevisionRequest | null;
  failed_stage?: Stage | null;
}

export interface NewEvent {
  type: string;
  /** The production's stage after the event; default: the stage after the update. */
  stage?: Stage;
  actor?: string | null;
  payload?: Record<string, unknown>;
}

const JSON_COLUMNS = new Set([
  "vrd",
  "questions",
  "answers",
  "script",
  "shot_list",
  "plan",
  "usage",
  "revision",
]);

export interface ProductionRow {
  id: string;
  version: number;
  stage: string;
  vrd: unknown;
  questions: unknown;
  answers: unknown;
  script: unknown;
  shot_list: unknown;
  plan: unknown;
  origin: unknown;
  owner_id: string;
  error: string | null;
  usage: unknown;
  created_at: string;
  updated_at: string;
  brief: unknown;
  revision: unknown;
  failed_stage: string | null;
  lease_owner: string | null;
}

/**
 * Parsed productions by id, version and update time. A production is read far more often than it
 * changes (every click, stage and event delivery loads it), and parsing a script, shot list and plan
 * each time was a tenth of a busy server's CPU. Every content change bumps the version and sets
 * updated_at to its transaction's time, so a key never names two contents. Entries are frozen: callers
 * share them.
 */
const parsed = new Map<string, { production: Production; brief: Vrd }>();
const PARSED_KEPT = 500;

export function fromRow(row: ProductionRow): StoredProduction {
  const key = `${row.id}\u0000${row.version}\u0000${String(row.updated_at)}`;
  let entry = parsed.get(key);
  if (entry) {
    parsed.delete(key); // re-inserted below: most recently used last
  } else {
    entry = deepFreeze(parseRow(row));
  }
  parsed.set(key, entry);
  if (parsed.size > PARSED_KEPT) parsed.delete(parsed.keys().next().value as string);
  return {
    ...entry,
    revision: (row.revision as RevisionRequest | null) ?? null,
    failedStage: (row.failed_stage as Stage | null) ?? null,
    leaseOwner: row.lease_owner,
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

function parseRow(row: ProductionRow): { production: Production; brief: Vrd } {
  const production = parseOrThrow(
    Production,
    {
      id: row.id,
      version: row.version,
      stage: row.stage,
      vrd: row.vrd,
      questions: row.questions ?? [],
      answers: row.answers ?? {},
      script: row.script,
      shot_list: row.shot_list,
      plan: row.plan,
      origin: row.origin,
      owner_id: row.owner_id,
      error: row.error,
      usage: row.usage ?? noUsage(),
      created_at: row.created_at,
      updated_at: row.updated_at,
    },
    "stored production",
  );
  return { production, brief: row.brief ? parseOrThrow(Vrd, row.brief, "stored brief") : production.vrd };
}

export async function loadProduction(db: Queryable, id: string): Promise<StoredProduction | null> {
  const { rows } = await db.query<ProductionRow>("SELECT * FROM productions WHERE id = $1", [id]);
  return rows[0] ? fromRow(rows[0]) : null;
}

export async function findByRequestKey(db: Queryable, key: string): Promise<StoredProduction | null> {
  const { rows } = await db.query<ProductionRow>("SELECT * FROM productions WHERE request_key = $1", [key]);
  return rows[0] ? fromRow(rows[0]) : null;
}

export interface NewProduction {
  id: string;
  stage: Stage;
  brief: Vrd;
  vrd: Vrd;
  questions: Production["questions"];
  /** Answers given with the start; default none. */
  answers?: Production["answers"];
  origin: Production["origin"];
  requestKey: string | null;
}

/** Inserts a production at version 1 with its first events; null when `requestKey` was used already. */
export async function insertProduction(
  tx: Queryable,
  p: NewProduction,
  events: NewEvent[],
): Promise<{ stored: StoredProduction; events: ProductionEvent[] } | null> {
  const { rows } = await tx.query<ProductionRow>(
    `INSERT INTO productions (id, version, stage, vrd, brief, questions, answers, origin, owner_id, usage, request_key, last_seq)
     VALUES ($1, 1, $2, $3::jsonb, $4::jsonb, $5::jsonb, $11::jsonb, $6::jsonb, $7, $8::jsonb, $9, $10)
     ON CONFLICT (request_key) DO NOTHING
     RETURNING *`,
    [
      p.id,
      p.stage,
      JSON.stringify(p.vrd),
      JSON.stringify(p.brief),
      JSON.stringify(p.questions),
      JSON.stringify(p.origin),
      p.origin.user_id,
      JSON.stringify(noUsage()),
      p.requestKey,
      events.length,
      JSON.stringify(p.answers ?? {}),
    ],
  );
  const row = rows[0];
  if (!row) return null;
  const stored = fromRow(row);
  return { stored, events: await insertEvents(tx, stored.production, 1, events) };
}

export interface Guard {
  /** The version the change was decided on. */
  version: number;
  /** A running stage: the lease must still be this owner's. */
  leaseOwner?: string;
}

/**
 * One transition: the guarded update (version + 1, lease released) and its events. Null when the
 * guard failed, i.e. someone else changed the production first.
 */
export async function transition(
  tx: Queryable,
  id: string,
  guard: Guard,
  changes: ProductionChanges,
  events: NewEvent[],
): Promise<{ stored: StoredProduction; events: ProductionEvent[] } | null> {
  const params: unknown[] = [id, guard.version, events.length];
  const sets = ["version = version + 1", "last_seq = last_seq + $3", "updated_at = now()"];
  sets.push("lease_owner = NULL", "lease_expires_at = NULL");
  for (const [column, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    const json = JSON_COLUMNS.has(column);
    params.push(json && value !== null ? JSON.stringify(value) : value);
    sets.push(`${column} = $${params.length}${json ? "::jsonb" : ""}`);
  }
  let where = "id = $1 AND version = $2";
  if (guard.leaseOwner !== undefined) {
    params.push(guard.leaseOwner);
    where += ` AND lease_owner = $${params.length}`;
  }
  const { rows } = await tx.query<ProductionRow & { last_seq: number }>(
    `UPDATE productions SET ${sets.join(", ")} WHERE ${where} RETURNING *`,
    params,
  );
  const row = rows[0];
  if (!row) return null;
  const stored = fromRow(row);
  const first = row.last_seq - events.length + 1;
  return { stored, events: await insertEvents(tx, stored.production, first, events) };
}

/**
 * Events without a transition (progress of a running stage); only while `leaseOwner` holds the
 * lease on `stage`. Null when it does not any more.
 */
export async function appendEvents(
  tx: Queryable,
  id: string,
  lease: { owner: string; stage: Stage },
  events: NewEvent[],
): Promise<ProductionEvent[] | null> {
  // Only the new seq comes back: progress is frequent, and reading and parsing the whole production
  // (script, shot list, plan) for each message was most of its cost.
  const { rows } = await tx.query<{ last_seq: number }>(
    `UPDATE productions SET last_seq = last_seq + $2
     WHERE id = $1 AND lease_owner = $3 AND stage = $4 RETURNING last_seq`,
    [id, events.length, lease.owner, lease.stage],
  );
  const row = rows[0];
  if (!row) return null;
  return insertEvents(tx, { id, stage: lease.stage }, row.last_seq - events.length + 1, events);
}

/**
 * Claims the lease on a production's generating stage for `ms`, with the stage_started events; null
 * when it is not generating or another live process holds it. `resumed` is true when the lease had
 * expired (its holder died mid-stage).
 */
export async function claimStage(
  tx: Queryable,
  id: string,
  owner: string,
  ms: number,
  generating: readonly Stage[],
  events: (stored: StoredProduction, resumed: boolean) => NewEvent[],
): Promise<{ stored: StoredProduction; resumed: boolean; events: ProductionEvent[] } | null> {
  // Locks the row, so two claimers take turns and the second sees the first's lease.
  const { rows: before } = await tx.query<{ lease_owner: string | null }>(
    `SELECT lease_owner FROM productions
     WHERE id = $1 AND stage = ANY($2::text[]) AND (lease_owner IS NULL OR lease_expires_at < now())
     FOR UPDATE`,
    [id, [...generating]],
  );
  if (!before[0]) return null;
  const resumed = before[0].lease_owner !== null;
  const { rows } = await tx.query<ProductionRow & { last_seq: number }>(
    `UPDATE productions SET lease_owner = $2, lease_expires_at = now() + $3::int * interval '1 millisecond'
     WHERE id = $1 RETURNING *`,
    [id, owner, Math.ceil(ms)],
  );
  const stored = fromRow(rows[0]!);
  const news = events(stored, resumed);
  const { rows: counted } = await tx.query<{ last_seq: number }>(
    "UPDATE productions SET last_seq = last_seq + $2 WHERE id = $1 RETURNING last_seq",
    [id, news.length],
  );
  const first = counted[0]!.last_seq - news.length + 1;
  return { stored, resumed, events: await insertEvents(tx, stored.production, first, news) };
}

/** Extends a held lease; false when it is no longer this owner's. */
export async function renewLease(db: Queryable, id: string, owner: string, ms: number): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE productions SET lease_expires_at = now() + $3::int * interval '1 millisecond'
     WHERE id = $1 AND lease_owner = $2`,
    [id, owner, Math.ceil(ms)],
  );
  return rowCount > 0;
}

/** Productions in a generating stage that nobody holds (never claimed, or the holder died). */
export async function orphanedStages(db: Queryable, generating: readonly Stage[]): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM productions
     WHERE stage = ANY($1::text[]) AND (lease_owner IS NULL OR lease_expires_at < now())
     ORDER BY updated_at`,
    [[...generating]],
  );
  return rows.map((r) => r.id);
}

async function insertEvents(
  tx: Queryable,
  production: Pick<Production, "id" | "stage">,
  firstSeq: number,
  events: NewEvent[],
): Promise<ProductionEvent[]> {
  if (events.length === 0) return [];
  const params: unknown[] = [production.id];
  const values = events.map((event, i) => {
    params.push(
      firstSeq + i,
      event.type,
      event.stage ?? production.stage,
      event.actor ?? null,
      JSON.stringify(event.payload ?? {}),
    );
    const n = params.length;
    return `($1, $${n - 4}, $${n - 3}, $${n - 2}, $${n - 1}, $${n}::jsonb)`;
  });
  const { rows } = await tx.query(
    `INSERT INTO production_events (production_id, seq, type, stage, actor, payload)
     VALUES ${values.join(", ")} RETURNING *`,
    params,
  );
  return rows.map(toEvent).sort((a, b) => a.seq - b.seq);
}

export async function readEvents(
  db: Queryable,
  id: string,
  afterSeq = 0,
  untilSeq?: number,
): Promise<ProductionEvent[]> {
  const { rows } = await db.query(
    `SELECT * FROM production_events WHERE production_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq`,
    [id, afterSeq, untilSeq ?? 2_147_483_647],
  );
  return rows.map(toEvent);
}

/** The newest events of the given types, newest first. */
export async function latestEvents(
  db: Queryable,
  id: string,
  types: readonly string[],
  limit = 20,
): Promise<ProductionEvent[]> {
  const { rows } = await db.query(
    `SELECT * FROM production_events WHERE production_id = $1 AND type = ANY($2::text[])
     ORDER BY seq DESC LIMIT $3`,
    [id, [...types], limit],
  );
  return rows.map(toEvent);
}

function toEvent(row: Record<string, unknown>): ProductionEvent {
  return parseOrThrow(ProductionEvent, row, "stored production event");
}
