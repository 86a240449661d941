/** Shared pieces of the production workflow tests: briefs, actors, stub models, a service per test. */
import { afterEach } from "vitest";
import type { z } from "zod";
import type { LlmRequest, LlmResult, StructuredLlm } from "../../src/agents/llm.js";
import type { Db } from "../../src/db/db.js";
import { prepareDatabase } from "../../src/db/prepare.js";
import type { Origin, Production, ProductionEvent, Stage } from "../../src/domain/production.js";
import type { Actor } from "../../src/production/contract.js";
import {
  createProductionService,
  type ProductionRunner,
  type ProductionServiceDeps,
  type ProductionServiceWithAdmin,
} from "../../src/production/service.js";
import { coffee, fixedNow } from "../agents/scriptsmith/fixtures.js";

export { coffee, fixedNow };

/** A brief every clarifying question is already answered by: starts straight at scripting. */
export const completeBrief = () =>
  coffee({
    audio_mode: "voice_over",
    captions: true,
    style: "live-action, natural light, shallow depth of field",
    products: [
      { name: "Ember & Oak bag", description: "kraft paper coffee bag with a copper oak-leaf logo" },
    ],
  } as never);

/** Asks about the budget (and more). */
export const briefWithoutBudget = () => coffee({ constraints: { quality_priority: "medium" } } as never);

export const origin: Origin = {
  platform: "slack",
  workspace_id: "T1",
  channel_id: "C1",
  thread_id: null,
  user_id: "U_OWNER",
};

export const owner: Actor = {
  platform: "slack",
  workspace_id: "T1",
  user_id: "U_OWNER",
  display_name: "Ana",
};
export const stranger: Actor = {
  platform: "slack",
  workspace_id: "T1",
  user_id: "U_OTHER",
  display_name: "Bo",
};
export const admin: Actor = {
  platform: "slack",
  workspace_id: "T1",
  user_id: "U_ADMIN",
  display_name: "Cy",
  privileged: true,
};

type Runtime = { service: ProductionServiceWithAdmin; runner: ProductionRunner };

/** Services made in a test are stopped after it (abandoned: a test may leave a stage hanging). */
const made: ProductionRunner[] = [];
afterEach(async () => {
  await Promise.all(made.splice(0).map((r) => r.stop({ abandon: true })));
});

export function makeService(db: Db, deps: Partial<ProductionServiceDeps> = {}): Runtime {
  const runtime = createProductionService({
    db,
    llm: null,
    now: fixedNow,
    stageTimeoutMs: 5_000,
    retry: { attempts: 2, baseDelayMs: 5 },
    leaseMs: 2_000,
    sweepIntervalMs: 0,
    ...deps,
  });
  made.push(runtime.runner);
  return runtime;
}

/** Tool stack seed for the planning stage (resetDb empties it before each test). */
export async function seed(db: Db): Promise<void> {
  await prepareDatabase(db);
}

/** Waits for the runner, then returns the production. */
export async function settled(rt: Runtime, id: string): Promise<Production> {
  await rt.runner.idle();
  return rt.service.get(id);
}

/** Drives a production of `completeBrief` to `stage` (a review stage or approved). */
export async function productionAt(rt: Runtime, stage: Stage): Promise<Production> {
  let p = await rt.service.start(completeBrief(), origin);
  p = await settled(rt, p.id);
  // At most three approvals lead from script_review to approved.
  for (let step = 0; step < 3 && p.stage !== stage; step++) {
    await rt.service.approve(p.id, p.stage as "script_review", owner, p.version);
    p = await settled(rt, p.id);
  }
  if (p.stage !== stage) throw new Error(`production reached ${p.stage}, not ${stage}`);
  return p;
}

export const types = (events: ProductionEvent[]) => events.map((e) => e.type);

/** Same usage for every call, like a model would report. */
export const CALL_USAGE = { calls: 1, input_tokens: 100, output_tokens: 50, total_tokens: 150 };

/**
 * A model stub: `reply` decides per call (may throw, or never resolve). Answers with the first value
 * the schema accepts from `reply`'s result.
 */
export function stubLlm(reply: (request: LlmRequest<z.ZodType>, call: number) => Promise<unknown> | unknown) {
  let calls = 0;
  const requests: string[] = [];
  const llm: StructuredLlm = {
    model: "stub-1",
    async generate<S extends z.ZodType>(request: LlmRequest<S>): Promise<LlmResult<z.output<S>>> {
      calls += 1;
      requests.push(request.name);
      const data = await reply(request as unknown as LlmRequest<z.ZodType>, calls);
      return { data: request.schema.parse(data) as z.output<S>, usage: CALL_USAGE };
    },
  };
  return { llm, calls: () => calls, requests };
}

/** A promise with its resolve, for pausing a stub model mid-stage. */
export function gate<T = void>() {
  let open!: (value: T) => void;
  const opened = new Promise<T>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}
