/**
 * Request bodies and queries of the REST API, as zod schemas: the same schemas parse the requests
 * (every field error at once, via parseOrThrow) and feed the OpenAPI document.
 */
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { Answers } from "../domain/clarify.js";
import { Origin, REVIEW_STAGES, STAGES } from "../domain/production.js";
import { Beat, ScriptMetadata } from "../domain/script.js";
import { AssetSummary, ContinuityBible, Shot } from "../domain/shots.js";
import { AspectRatio, Constraints, Platform, QualityPriority, Vrd } from "../domain/vrd.js";

/**
 * A whole number sent as text ("3": a query string, a form, a shell script) is read as the number;
 * anything else stays as typed, so the error shows it (not "NaN").
 */
function wholeNumberFromText(v: unknown): unknown {
  return typeof v === "string" && /^\s*\d+\s*$/.test(v) ? Number(v) : v;
}

/** An artefact's or production's version, as a number or whole-number text. */
const Version = z.preprocess(wholeNumberFromText, z.number().int().min(1));

/** POST /api/production/script and POST /api/production/stream. */
export const ScriptRequest = z.object({
  vrd: Vrd,
  /**
   * Answers to the clarifying questions, keyed by question id (an id not asked is refused, see
   * clarifiedBrief); unanswered ones use their defaults.
   */
  clarifications: Answers.default({}),
});

/**
 * POST /api/production/shots: the original plan sends `script_id` + `beats`; the whole script (the
 * /script response) may be posted as is. Without `vrd` a minimal brief is derived from the script.
 */
export const ShotsRequest = z.object({
  script_id: z.string().min(1),
  beats: z.array(Beat).min(1),
  vrd: Vrd.optional(),
  title: z.string().min(1).optional(),
  logline: z.string().min(1).optional(),
  version: Version.optional(),
  metadata: ScriptMetadata.optional(),
  narrative_md: z.string().optional(),
  /** Used only when there is neither `vrd` nor `metadata`: defaults `other` and 16:9. */
  platform: Platform.optional(),
  aspect_ratio: AspectRatio.optional(),
});

/** POST /api/production/plan: `shot_list_id` + `shots` + `constraints`, or the whole /shots response. */
export const PlanRequest = z.object({
  shot_list_id: z.string().min(1),
  shots: z.array(Shot).min(1),
  constraints: Constraints.default({ quality_priority: "medium" }),
  script_id: z.string().min(1).optional(),
  version: Version.optional(),
  /** Tools are filtered by the delivery aspect ratio; default 16:9 when the body does not say. */
  aspect_ratio: AspectRatio.optional(),
  continuity_bible: ContinuityBible.optional(),
  asset_summary: AssetSummary.optional(),
});

/** POST /api/productions. */
export const StartProductionRequest = z.object({
  vrd: Vrd,
  /** Answers given up front; the script starts once every question is answered. */
  answers: Answers.optional(),
});

/**
 * POST /api/productions/:id/answers: the answers, or `skip: true` to use every default; both together
 * keep the answers given and use the defaults for the rest.
 */
export const AnswersRequest = z
  .object({ answers: Answers.optional(), skip: z.boolean().optional() })
  .superRefine((body, ctx) => {
    if (body.skip !== true && body.answers === undefined)
      ctx.addIssue({ code: "custom", path: ["answers"], message: 'is required (or send "skip": true)' });
    // An empty map changes nothing but would still be recorded as an answer.
    else if (body.skip !== true && body.answers && Object.keys(body.answers).length === 0)
      ctx.addIssue({
        code: "custom",
        path: ["answers"],
        message: 'must answer at least one question by its id (or send "skip": true)',
      });
  });

const ReviewStage = z.enum(REVIEW_STAGES);
/** The version the client saw: a stale one gets 409 instead of acting on something else. */
const SeenVersion = Version.optional();

export const ApproveRequest = z.object({ stage: ReviewStage, version: SeenVersion });

/** Strict: a misspelt field ("pintool", "budget") would otherwise be dropped and the revision do nothing asked. */
export const ReviseRequest = z.strictObject({
  stage: ReviewStage,
  /** May be empty for a plan revision that pins/excludes tools or changes limits (the service checks). */
  feedback: z.string().trim().max(4000).default(""),
  shot_ids: z.array(z.string().min(1)).min(1).optional(),
  /** Only the limits that change (no defaults filled in, so the rest of the plan's limits stay). */
  constraints: z
    .strictObject({
      max_cost_usd: Constraints.shape.max_cost_usd,
      max_time_minutes: Constraints.shape.max_time_minutes,
      quality_priority: QualityPriority.optional(),
      deadline: Constraints.shape.deadline,
    })
    .optional(),
  pin_tool: z.object({ shot_id: z.string().min(1), tool_id: z.string().min(1) }).optional(),
  exclude_tool: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
  version: SeenVersion,
});

/** GET /api/productions query: `stage` may be repeated or comma separated. */
export const ListQuery = z.object({
  platform: Origin.shape.platform.optional(),
  workspace_id: z.string().min(1).optional(),
  channel_id: z.string().min(1).optional(),
  owner_id: z.string().min(1).optional(),
  stage: z
    .preprocess(
      (v) =>
        typeof v === "string"
          ? v
              .split(",")
              .map((s) => s.trim())
              .filter(Boolean)
          : v,
      z.array(z.enum(STAGES)).min(1),
    )
    .optional(),
  limit: z.preprocess(wholeNumberFromText, z.number().int().min(1).max(200)).default(50),
});

/** GET /api/productions/:id/events query (`after` = the Last-Event-ID header for clients that cannot set it). */
export const EventsQuery = z.object({
  after: z.preprocess(wholeNumberFromText, z.number().int().min(0).max(2_147_483_647)).optional(),
});

/** A request with no body at all is read as `{}`, so the 400 names each required field. */
export const bodyOf = (request: { body?: unknown }): unknown => request.body ?? {};

/**
 * A VRD may be sent as an object or as its JSON/YAML text (as pasted in chat). Text that does not
 * parse to an object is left as is, so the schema reports "vrd: must be an object".
 */
export function withVrdObject(body: unknown): unknown {
  const vrd = (body as { vrd?: unknown } | null)?.vrd;
  if (typeof vrd !== "string") return body;
  let parsed: unknown;
  try {
    const source = vrd.trim();
    parsed = source.startsWith("{") ? JSON.parse(source) : parseYaml(source);
  } catch {
    return body;
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return body;
  const inner = (parsed as { vrd?: unknown }).vrd;
  return { ...(body as object), vrd: inner && typeof inner === "object" ? inner : parsed };
}
