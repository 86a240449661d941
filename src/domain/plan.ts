import { z } from "zod";
import { Constraints } from "./vrd.js";

/** A price or duration that may be unknown: `null` is shown as unknown, never as 0. */
const maybe = z.number().min(0).nullable();

export const STEP_KINDS = [
  "keyframe_image",
  "text_to_video",
  "image_to_video",
  "video_to_video",
  "extend",
  "stitch",
  "lip_sync",
  "tts",
  "music",
  "upscale",
] as const;
export const StepKind = z.enum(STEP_KINDS);
export type StepKind = z.infer<typeof StepKind>;

export const WorkflowStep = z.object({
  index: z.number().int().min(1),
  kind: StepKind,
  tool_id: z.string().nullable(),
  description: z.string(),
  /** Clips the tool makes for this step and the seconds it bills (a 1.5 s shot on a 5 s-minimum tool bills 5). */
  clips: z.number().int().min(0).default(0),
  billed_seconds: z.number().min(0).default(0),
  cost_usd: maybe,
  time_s: maybe,
  /** Where the price comes from and as of when. */
  price_source: z.string().nullable().default(null),
});
export type WorkflowStep = z.infer<typeof WorkflowStep>;

export const Alternative = z.object({
  tool_id: z.string(),
  tool_name: z.string(),
  cost_usd: maybe,
  time_s: maybe,
  quality_score: z.number().min(0).max(1).nullable(),
  trade_off: z.string(),
});
export type Alternative = z.infer<typeof Alternative>;

export const ShotPlan = z.object({
  shot_id: z.string(),
  tool_id: z.string(),
  tool_name: z.string(),
  workflow_id: z.string(),
  reason: z.string().min(1),
  steps: z.array(WorkflowStep).min(1),
  /** Sum of the known step costs; `cost_complete` says whether any step's price is unknown. */
  cost_usd: z.number().min(0),
  cost_complete: z.boolean(),
  time_s: maybe,
  quality_score: z.number().min(0).max(1).nullable(),
  alternatives: z.array(Alternative).default([]),
});
export type ShotPlan = z.infer<typeof ShotPlan>;

export const PlanVariant = z.object({
  name: z.enum(["cheapest", "fastest", "best"]),
  cost_usd: z.number().min(0),
  cost_complete: z.boolean(),
  time_minutes: maybe,
  quality_score: z.number().min(0).max(1).nullable(),
  tools_by_shot: z.record(z.string(), z.string()),
});

export const ProductionPlan = z.object({
  production_plan_id: z.string().min(1),
  shot_list_id: z.string().min(1),
  version: z.number().int().min(1),
  constraints: Constraints,
  shot_plans: z.array(ShotPlan).min(1),
  cost_breakdown: z.object({
    known_usd: z.number().min(0),
    unknown_steps: z.number().int().min(0),
    contingency_rate: z.number().min(0),
    contingency_usd: z.number().min(0),
    total_usd: z.number().min(0),
    by_tool: z.record(z.string(), z.number().min(0)).default({}),
    by_step_kind: z.record(z.string(), z.number().min(0)).default({}),
  }),
  timeline_estimate: z.object({
    sequential_minutes: maybe,
    parallel_minutes: maybe,
    unknown_steps: z.number().int().min(0),
    deadline: z.string().nullable().default(null),
    meets_deadline: z.boolean().nullable().default(null),
  }),
  fits: z.object({ budget: z.boolean().nullable(), time: z.boolean().nullable() }),
  variants: z.array(PlanVariant).default([]),
  warnings: z.array(z.string()).default([]),
  /** Set when no plan fits the limits: how far the least demanding plan is over each, and what to relax. */
  shortfall: z
    .object({
      budget_usd: z.number().min(0).nullable(),
      time_minutes: z.number().min(0).nullable(),
      relax: z.array(z.string()),
    })
    .nullable()
    .optional(),
  /** Producer revisions every later re-plan keeps: tools pinned to shots, tools excluded. */
  revisions: z
    .object({
      pinned: z.record(z.string(), z.string()).default({}),
      excluded_tools: z.array(z.string()).default([]),
    })
    .optional(),
  metadata: z.object({ created_at: z.string(), prices_as_of: z.string().nullable().default(null) }),
});
export type ProductionPlan = z.infer<typeof ProductionPlan>;
