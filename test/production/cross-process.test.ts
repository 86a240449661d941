/**
 * Two processes on one database, played by two services: on PostgreSQL each on its own connection
 * pool (as two replicas would be), on PGlite sharing the one embedded database. A race to approve has
 * one winner, and each process's subscribers hear the other's events (LISTEN/NOTIFY) exactly once.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/db.js";
import { openPostgres } from "../../src/db/postgres.js";
import { ConflictError } from "../../src/domain/errors.js";
import type { ProductionEvent } from "../../src/domain/production.js";
import { testBackends, testDatabaseUrl, useTestDb } from "../support/db.js";
import { admin, completeBrief, makeService, origin, owner, productionAt, seed } from "./support.js";

async function until(check: () => boolean) {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error("condition never held");
}

describe.each(testBackends())("two processes on one database (%s)", (backend) => {
  const db = useTestDb(backend);
  let other: Db;
  beforeAll(async () => {
    if (backend === "pglite") {
      other = { ...db(), close: async () => {} };
      return;
    }
    const { rows } = await db().query<{ schema: string }>("SELECT current_schema() AS schema");
    other = await openPostgres({ connectionString: testDatabaseUrl(), schema: rows[0]!.schema, max: 4 });
  });
  afterAll(() => other?.close());
  // PGlite has no other processes; its in-process LISTEN still shows a process ignores its own NOTIFY.
  const crossProcessEvents = true;
  beforeEach(() => seed(db()));

  it("racing to approve the same production: one wins, the other is told who did", async () => {
    const a = makeService(db(), { instanceId: "a" });
    const b = makeService(other, { instanceId: "b" });
    const p = await productionAt(a, "script_review");
    const results = await Promise.allSettled([
      a.service.approve(p.id, "script_review", owner, p.version),
      b.service.approve(p.id, "script_review", admin, p.version),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const loser = results.find((r): r is PromiseRejectedResult => r.status === "rejected")!;
    expect(loser.reason).toBeInstanceOf(ConflictError);
    expect(loser.reason.message).toMatch(
      /^Already approved by (Ana|Cy) — the shot list is (being written|waiting for review)\.$/,
    );
    await Promise.all([a.runner.idle(), b.runner.idle()]);
    const events = await a.service.events(p.id);
    expect(events.filter((e) => e.type === "approved")).toHaveLength(1);
    expect(events.filter((e) => e.type === "stage_completed" && e.payload.stage === "shooting")).toHaveLength(
      1,
    );
  });

  it("a process hears the events another process committed, once each, in order", async () => {
    const a = makeService(db(), { instanceId: "a", crossProcessEvents });
    const b = makeService(other, { instanceId: "b", crossProcessEvents });
    await Promise.all([a.runner.resume(), b.runner.resume()]); // listening from here on
    const heardByB: ProductionEvent[] = [];
    const heardByA: ProductionEvent[] = [];
    const writtenBy = new Map<number, string[]>();
    const wrote = (who: string, e: ProductionEvent) =>
      writtenBy.set(e.seq, [...(writtenBy.get(e.seq) ?? []), who]);
    b.service.subscribe((e, { committedHere }) => {
      heardByB.push(e);
      if (committedHere) wrote("b", e);
    });
    a.service.subscribe((e, { committedHere }) => {
      heardByA.push(e);
      if (committedHere) wrote("a", e);
    });

    const p = await a.service.start(completeBrief(), origin); // a runs the script stage
    await a.runner.idle();
    await b.service.approve(p.id, "script_review", owner); // b approves and runs the shot stage
    await b.runner.idle();

    const all = await a.service.events(p.id);
    await until(() => heardByA.length === all.length && heardByB.length === all.length);
    await new Promise((r) => setTimeout(r, 50)); // late notifications must not deliver again
    expect(heardByA).toEqual(all);
    expect(heardByB).toEqual(all);
    expect(all.at(-1)).toMatchObject({ type: "stage_completed", stage: "shots_review" });
    // Each event counts as written by exactly the process that wrote it (metrics count it once).
    const approvedSeq = all.find((e) => e.type === "approved")!.seq;
    expect(all.map((e) => writtenBy.get(e.seq))).toEqual(all.map((e) => [e.seq < approvedSeq ? "a" : "b"]));
  });

  it("the Db listen/notify pair works across connections", async () => {
    const heard: string[] = [];
    const stop = await other.listen!("greenlight_test_channel", (payload) => heard.push(payload));
    await db().transaction(async (tx) => {
      await tx.query("SELECT pg_notify($1, $2)", ["greenlight_test_channel", "one"]);
      expect(heard).toEqual([]); // delivered at commit, not before
    });
    await db().query("SELECT pg_notify($1, $2)", ["greenlight_test_channel", "two"]);
    await until(() => heard.length === 2);
    expect(heard).toEqual(["one", "two"]);
    await stop();
    await db().query("SELECT pg_notify($1, $2)", ["greenlight_test_channel", "three"]);
    await new Promise((r) => setTimeout(r, 50));
    expect(heard).toEqual(["one", "two"]);
  });
});
