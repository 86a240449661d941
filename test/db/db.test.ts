import { describe, expect, it } from "vitest";
import { testBackends, useTestDb } from "../support/db.js";

describe.each(testBackends())("Db on %s", (backend) => {
  const db = useTestDb(backend);

  async function insertTool(q: { query: ReturnType<typeof db>["query"] }, id: string) {
    await q.query("INSERT INTO tools (tool_id, name, category) VALUES ($1, $2, 'video')", [id, `Tool ${id}`]);
  }

  async function toolIds(): Promise<string[]> {
    const { rows } = await db().query<{ tool_id: string }>("SELECT tool_id FROM tools ORDER BY tool_id");
    return rows.map((row) => row.tool_id);
  }

  it("binds $n parameters and reports rows returned and affected", async () => {
    await insertTool(db(), "a");
    await insertTool(db(), "b");
    const updated = await db().query("UPDATE tools SET vendor = $1 WHERE tool_id = ANY($2::text[])", [
      "Acme",
      ["a", "b", "zzz"],
    ]);
    expect(updated.rowCount).toBe(2);
    const selected = await db().query<{ tool_id: string; vendor: string }>(
      "SELECT tool_id, vendor FROM tools WHERE tool_id = $1",
      ["b"],
    );
    expect(selected).toEqual({ rows: [{ tool_id: "b", vendor: "Acme" }], rowCount: 1 });
  });

  it("a long chain of queries lets the event loop in (a waiting request is not held behind it)", async () => {
    let answered = false;
    setImmediate(() => {
      answered = true;
    });
    let queriesBeforeAnswer = 0;
    for (let i = 0; i < 2_000 && !answered; i++) {
      await db().query("SELECT $1::int AS i", [i]);
      queriesBeforeAnswer = i + 1;
    }
    expect(answered).toBe(true);
    expect(queriesBeforeAnswer).toBeLessThan(2_000);
  });

  it("runs several statements in one parameterless query and returns the last result", async () => {
    const result = await db().query(
      "INSERT INTO tools (tool_id, name, category) VALUES ('x', 'X', 'video'); SELECT count(*) AS n FROM tools",
    );
    expect(result.rows).toEqual([{ n: 1 }]);
  });

  it("round-trips JSONB, TEXT[] and timestamps in one shape on every backend", async () => {
    const pricing = { per_second_usd: 0.05, tiers: [{ name: "pro", usd: 35 }], note: null };
    const steps = [{ step: "keyframe" }, { step: "image_to_video" }];
    await db().query(
      `INSERT INTO tools (tool_id, name, category, pricing, best_for, limitations, created_at)
       VALUES ($1, $2, $3, $4::jsonb, $5::text[], $6::text[], $7)`,
      [
        "t1",
        "Tool",
        "video",
        JSON.stringify(pricing),
        ["ads", 'quotes " and, commas'],
        [],
        "2025-01-02T03:04:05.678Z",
      ],
    );
    await db().query("INSERT INTO workflows (workflow_id, name, steps) VALUES ($1, $2, $3::jsonb)", [
      "w1",
      "Flow",
      JSON.stringify(steps),
    ]);

    const tool = await db().query("SELECT pricing, best_for, limitations, sources, created_at FROM tools");
    expect(tool.rows[0]).toEqual({
      pricing,
      best_for: ["ads", 'quotes " and, commas'],
      limitations: [],
      sources: [],
      created_at: "2025-01-02T03:04:05.678Z",
    });
    const workflow = await db().query("SELECT steps, use_cases, updated_at FROM workflows");
    expect(workflow.rows[0]?.steps).toEqual(steps);
    expect(workflow.rows[0]?.use_cases).toBeNull();
    expect(workflow.rows[0]?.updated_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const scalars = await db().query(
      "SELECT (SELECT count(*) FROM tools) AS n, DATE '2025-03-04' AS d, 1.50::numeric AS price",
    );
    expect(scalars.rows[0]).toEqual({ n: 1, d: "2025-03-04", price: "1.50" });
  });

  it("commits a transaction whose function resolves and returns its value", async () => {
    const value = await db().transaction(async (tx) => {
      await insertTool(tx, "a");
      await insertTool(tx, "b");
      return "done";
    });
    expect(value).toBe("done");
    expect(await toolIds()).toEqual(["a", "b"]);
  });

  it("rolls back a transaction whose function throws, and rethrows", async () => {
    await insertTool(db(), "kept");
    await expect(
      db().transaction(async (tx) => {
        await insertTool(tx, "discarded");
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect(await toolIds()).toEqual(["kept"]);
  });

  it("rolls back a transaction in which a statement failed", async () => {
    await expect(
      db().transaction(async (tx) => {
        await insertTool(tx, "a");
        await insertTool(tx, "a");
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(await toolIds()).toEqual([]);
  });

  it("keeps working after SQL errors, inside and outside transactions", async () => {
    await expect(db().query("SELECT no_such_column FROM tools")).rejects.toThrow(/no_such_column/);
    await expect(db().query("SELEC 1")).rejects.toThrow(/syntax/);
    await expect(db().transaction((tx) => tx.query("SELECT 1/0"))).rejects.toThrow(/division by zero/);
    await insertTool(db(), "after");
    expect(await toolIds()).toEqual(["after"]);
    await db().transaction((tx) => insertTool(tx, "after2"));
    expect(await toolIds()).toEqual(["after", "after2"]);
  });

  it("refuses a transaction handle used after the transaction ended", async () => {
    let leaked: Parameters<Parameters<ReturnType<typeof db>["transaction"]>[0]>[0] | undefined;
    await db().transaction(async (tx) => {
      leaked = tx;
    });
    await expect(leaked!.query("SELECT 1")).rejects.toThrow(/transaction already finished/);
  });

  it("starts every test with empty tables (resetDb) but keeps the schema", async () => {
    expect(await toolIds()).toEqual([]);
    await insertTool(db(), "leftover");
    const { rows } = await db().query<{ n: number }>("SELECT count(*) AS n FROM schema_migrations");
    expect(rows[0]!.n).toBeGreaterThan(0);
  });

  it("really empties tables between tests", async () => {
    expect(await toolIds()).toEqual([]);
  });
});
