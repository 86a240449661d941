import { z } from "zod";
import { Answers, ClarifyingQuestion } from "./clarify.js";
import { ProductionPlan } from "./plan.js";
import { Script } from "./script.js";
import { ShotList } from "./shots.js";
import { TokenUsage } from "./usage.js";
import { Vrd } from "./vrd.js";

export const STAGES = [
  "draft",
  "clarifying",
  "scripting",
  "script_review",
  "shooting",
  "shots_review",
  "planning",
  "plan_review",
  "approved",
  "failed",
  "cancelled",
] as const;
export const Stage = z.enum(STAGES);
export type Stage = z.infer<typeof Stage>;

/** Stages in which a generator is running (resumed after a crash). */
export const GENERATING_STAGES = ["scripting", "shooting", "planning"] as const satisfies readonly Stage[];
/** Stages a person approves or revises. */
export const REVIEW_STAGES = [
  "script_review",
  "shots_review",
  "plan_review",
] as const satisfies readonly Stage[];
export type ReviewStage = (typeof REVIEW_STAGES)[number];

/** Where a production was started, so replies go back to the same place. */
export const Origin = z.object({
  platform: z.enum(["slack", "discord", "api", "cli"]),
  workspace_id: z.string().nullable().default(null),
  channel_id: z.string().nullable().default(null),
  thread_id: z.string().nullable().default(null),
  user_id: z.string().min(1),
});
export type Origin = z.infer<typeof Origin>;

export const Production = z.object({
  id: z.string().min(1),
  /** Bumped by every transition; an update names the version it saw. */
  version: z.number().int().min(1),
  stage: Stage,
  vrd: Vrd,
  questions: z.array(ClarifyingQuestion).default([]),
  answers: Answers.default({}),
  script: Script.nullable().default(null),
  shot_list: ShotList.nullable().default(null),
  plan: ProductionPlan.nullable().default(null),
  origin: Origin,
  owner_id: z.string().min(1),
  error: z.string().nullable().default(null),
  usage: TokenUsage,
  created_at: z.string(),
  updated_at: z.string(),
});
export type Production = z.infer<typeof Production>;

export const ProductionEvent = z.object({
  /** Monotonic per production (SSE `id`, resumable with Last-Event-ID). */
  seq: z.number().int().min(1),
  production_id: z.string(),
  type: z.string().min(1),
  stage: Stage,
  actor: z.string().nullable().default(null),
  payload: z.record(z.string(), z.unknown()).default({}),
  created_at: z.string(),
});
export type ProductionEvent = z.infer<typeof ProductionEvent>;
