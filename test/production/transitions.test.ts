/** Every action in every resting stage: the legal ones are covered elsewhere; the rest must refuse. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/db.js";
import { ConflictError, UpstreamError } from "../../src/domain/errors.js";
import type { Production, ReviewStage, Stage } from "../../src/domain/production.js";
import { testBackends, testDb } from "../support/db.js";
import {
  briefWithoutBudget,
  completeBrief,
  makeService,
  origin,
  owner,
  productionAt,
  seed,
  settled,
  stubLlm,
} from "./support.js";

type Rt = ReturnType<typeof makeService>;
const REVIEWS: ReviewStage[] = ["script_review", "shots_review", "plan_review"];

const ACTIONS: Record<string, (rt: Rt, p: Production) => Promise<Production>> = {
  answer: (rt, p) => rt.service.answer(p.id, {}, owner),
  skipQuestions: (rt, p) => rt.service.skipQuestions(p.id, owner),
  ...Object.fromEntries(
    REVIEWS.flatMap((stage) => [
      [`approve ${stage}`, (rt: Rt, p: Production) => rt.service.approve(p.id, stage, owner)],
      [
        `revise ${stage}`,
        (rt: Rt, p: Production) => rt.service.revise(p.id, stage, { feedback: "tighter" }, owner),
      ],
    ]),
  ),
  retry: (rt, p) => rt.service.retry(p.id, owner),
  cancel: (rt, p) => rt.service.cancel(p.id, owner),
};

const LEGAL: Record<string, string[]> = {
  clarifying: ["answer", "skipQuestions", "cancel"],
  script_review: ["approve script_review", "revise script_review", "cancel"],
  shots_review: ["approve shots_review", "revise shots_review", "cancel"],
  plan_review: ["approve plan_review", "revise plan_review", "cancel"],
  failed: ["retry", "cancel"],
  approved: [],
  cancelled: [],
};

describe.each(testBackends())("illegal transitions (%s)", (backend) => {
  // One database for the whole file, set up once (no reset between tests: they only read).
  let database: Db;
  const db = () => database;
  const at = new Map<string, Production>();
  let rt: Rt;
  afterAll(() => database?.close());

  beforeAll(async () => {
    database = await testDb(backend);
    await seed(db());
    rt = makeService(db());
    at.set("clarifying", await rt.service.start(briefWithoutBudget(), origin));
    for (const stage of ["script_review", "shots_review", "plan_review", "approved"] as Stage[])
      at.set(stage, await productionAt(rt, stage));
    const cancelled = await rt.service.start(briefWithoutBudget(), origin);
    at.set("cancelled", await rt.service.cancel(cancelled.id, owner));
    const broken = makeService(db(), {
      llm: stubLlm(() => {
        throw new UpstreamError("the model server returned 400 (HTTP 400): bad", "llm", false);
      }).llm,
    });
    const failing = await broken.service.start(completeBrief(), origin);
    at.set("failed", await settled(broken, failing.id));
    await broken.runner.stop();
  });

  const cases = Object.entries(LEGAL).flatMap(([stage, legal]) =>
    Object.keys(ACTIONS)
      .filter((action) => !legal.includes(action))
      .map((action) => [stage, action] as const),
  );

  it.each(cases)("in %s, %s is refused and changes nothing", async (stage, action) => {
    const p = at.get(stage)!;
    expect(p.stage).toBe(stage);
    const error = await ACTIONS[action]!(rt, p).catch((e) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toMatch(
      /^Cannot \w+ .* now \(stage \w+\): .*\.$|^Already \w+ by Ana — |^The .* was already |^This production was cancelled by Ana\.$/,
    );
    expect(error.current).toMatchObject({ id: p.id, stage });
    expect(await rt.service.get(p.id)).toMatchObject({ stage, version: p.version });
  });
});
