import { rm } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDb } from "../../src/db/open.js";
import { copyPgliteTemplate, scratchDir, testBackends, testDatabaseUrl } from "../support/db.js";

describe("openDb with PGlite", () => {
  let root: string;
  beforeEach(async () => {
    root = await scratchDir();
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it("reopens a persisted data folder with its data", async () => {
    const pgliteDir = join(root, "pglite");
    await copyPgliteTemplate(pgliteDir);

    const first = await openDb({ pgliteDir });
    expect(first.kind).toBe("pglite");
    await first.query("CREATE TABLE notes (body TEXT NOT NULL)");
    await first.query("INSERT INTO notes VALUES ($1)", ["kept across restarts"]);
    await first.close();

    const second = await openDb({ pgliteDir });
    try {
      expect((await second.query("SELECT body FROM notes")).rows).toEqual([{ body: "kept across restarts" }]);
    } finally {
      await second.close();
    }
  });
});

describe("openDb with PostgreSQL", () => {
  it("fails at open, not at first use, when the server cannot be reached", async () => {
    await expect(
      openDb({ databaseUrl: "postgresql://nobody@127.0.0.1:1/none", pgliteDir: "unused" }),
    ).rejects.toThrow(/ECONNREFUSED/);
  });

  it.each(testBackends().filter((backend) => backend === "postgres"))(
    "uses %s when a URL is given, ignoring the PGlite folder",
    async () => {
      const db = await openDb({ databaseUrl: testDatabaseUrl(), pgliteDir: "/nonexistent/never-created" });
      try {
        expect(db.kind).toBe("postgres");
        expect((await db.query<{ one: number }>("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
      } finally {
        await db.close();
      }
    },
  );
});
