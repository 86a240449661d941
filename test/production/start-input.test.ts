import { beforeEach, describe, expect, it } from "vitest";
import { NotFoundError, ValidationError } from "../../src/domain/errors.js";
import { RequestKeyReusedError } from "../../src/production/contract.js";
import { testBackends, useTestDb } from "../support/db.js";
import { briefWithoutBudget, completeBrief, makeService, origin, owner, seed, types } from "./support.js";

/** What a front end may hand `start` and the actions: retried keys, answers up front, unstorable text. */
describe.each(testBackends())("start and input the database cannot store (%s)", (backend) => {
  const db = useTestDb(backend);
  beforeEach(() => seed(db()));

  it("a request key reused with a different brief is refused, naming the first production", async () => {
    const rt = makeService(db());
    const first = await rt.service.start(completeBrief(), origin, { requestKey: "key-1" });
    const other = { ...completeBrief(), title: "Another video" };
    const refused = rt.service.start(other, origin, { requestKey: "key-1" });
    await expect(refused).rejects.toBeInstanceOf(RequestKeyReusedError);
    await expect(refused).rejects.toThrow(first.id);
    // The same request again is still the first production.
    expect((await rt.service.start(completeBrief(), origin, { requestKey: "key-1" })).id).toBe(first.id);
    expect(await rt.service.list()).toHaveLength(1);
  });

  it("answers given with the start are applied with the creation, once, even when the start is retried", async () => {
    const rt = makeService(db());
    const answers = { budget: "$25" };
    const p = await rt.service.start(briefWithoutBudget(), origin, { requestKey: "key-2", answers });
    expect(p).toMatchObject({ stage: "clarifying", version: 1, answers });
    const again = await rt.service.start(briefWithoutBudget(), origin, { requestKey: "key-2", answers });
    expect(again).toMatchObject({ id: p.id, version: 1 });
    expect(types(await rt.service.events(p.id))).toEqual(["created", "questions", "answered"]);
    // Other answers under the same key are another request.
    await expect(
      rt.service.start(briefWithoutBudget(), origin, { requestKey: "key-2", answers: { budget: "$90" } }),
    ).rejects.toBeInstanceOf(RequestKeyReusedError);
  });

  it("bad answers with the start create nothing", async () => {
    const rt = makeService(db());
    await expect(
      rt.service.start(briefWithoutBudget(), origin, { answers: { nonsense: "x" } }),
    ).rejects.toMatchObject({ problems: [{ field: "answers.nonsense" }] });
    expect(await rt.service.list()).toHaveLength(0);
  });

  it("a NUL character or a lone surrogate is a ValidationError naming the field, not a database error", async () => {
    const rt = makeService(db());
    await expect(
      rt.service.start({ ...completeBrief(), title: "Ember\u0000Oak" }, origin),
    ).rejects.toMatchObject({ problems: [{ field: "vrd.title" }] });
    const p = await rt.service.start(briefWithoutBudget(), origin);
    const bad = rt.service.answer(p.id, { budget: "\ud800" }, owner);
    await expect(bad).rejects.toBeInstanceOf(ValidationError);
    await expect(bad).rejects.toMatchObject({ problems: [{ field: "budget" }] });
    await expect(rt.service.list({ owner_id: "U\u0000" })).rejects.toBeInstanceOf(ValidationError);
    expect((await rt.service.get(p.id)).version).toBe(1);
  });

  it("an id with a NUL character is simply unknown", async () => {
    const rt = makeService(db());
    await expect(rt.service.get("prod_\u0000")).rejects.toBeInstanceOf(NotFoundError);
    await expect(rt.service.events("prod_\u0000")).rejects.toBeInstanceOf(NotFoundError);
    await expect(rt.service.cancel("prod_\u0000", owner)).rejects.toBeInstanceOf(NotFoundError);
  });
});
