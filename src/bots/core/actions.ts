/**
 * What a click means, encoded into the button's id (Slack action_id, Discord custom_id) so a
 * listener needs no lookup table: `gl1:ap:<production>:<stage>:<version>` and so on. The id must fit
 * Discord's 100-character custom_id (the stricter of the two), so long values never travel in it:
 * an answer carries the index of the chosen option, and `answerFromAction` maps it back.
 */
import { z } from "zod";
import { type Answers, type ClarifyingQuestion, USE_DEFAULT } from "../../domain/clarify.js";
import { ValidationError } from "../../domain/errors.js";
import { parseOrThrow } from "../../domain/parse.js";
import type { Production, ReviewStage } from "../../domain/production.js";

export const ACTION_KINDS = [
  "approve",
  "revise",
  "download",
  "answer",
  "answer_all",
  "skip",
  "retry",
  "cancel",
  /** Open (or reopen, pre-filled) the VRD form; the only action without a production. */
  "vrd_form",
  /** Post the production's messages again where they could not be posted (e.g. the bot was not in the channel). */
  "repost",
] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

const KIND_CODE: Record<ActionKind, string> = {
  approve: "ap",
  revise: "rv",
  download: "dl",
  answer: "an",
  answer_all: "aa",
  skip: "sk",
  retry: "rt",
  cancel: "cx",
  vrd_form: "vf",
  repost: "rp",
};
const STAGE_CODE: Record<ReviewStage, string> = { script_review: "s", shots_review: "h", plan_review: "p" };

const PREFIX = "gl1";
/** Discord custom_id limit; Slack's action_id (255) is looser. Kept here so encode can refuse early. */
export const MAX_ENCODED_ACTION = 100;

const safeId = z.string().regex(/^[A-Za-z0-9_.-]+$/, "may only hold letters, digits, _ . -");

export const BotAction = z
  .object({
    kind: z.enum(ACTION_KINDS),
    productionId: safeId.max(40).optional(),
    stage: z.enum(["script_review", "shots_review", "plan_review"]).optional(),
    /** The production version the person saw; a stale click is refused by the service. */
    version: z.number().int().min(1).max(999_999).optional(),
    questionId: safeId.max(40).optional(),
    /** An option index ("0"…"24") or "default" for answers; never free text. */
    value: z
      .string()
      .regex(/^(\d{1,2}|default)$/, 'must be an option index or "default"')
      .optional(),
  })
  .superRefine((a, ctx) => {
    if (a.kind !== "vrd_form" && !a.productionId)
      ctx.addIssue({ code: "custom", path: ["productionId"], message: "is required" });
    if ((a.kind === "approve" || a.kind === "revise" || a.kind === "download") && !a.stage)
      ctx.addIssue({ code: "custom", path: ["stage"], message: "is required" });
    if (a.kind === "answer" && !a.questionId)
      ctx.addIssue({ code: "custom", path: ["questionId"], message: "is required" });
  });
export type BotAction = z.infer<typeof BotAction>;

/** The id for a button, menu option or modal that means `action`. Throws if it cannot fit. */
export function encodeAction(action: BotAction): string {
  const a = parseOrThrow(BotAction, action, "action");
  const parts = [
    PREFIX,
    KIND_CODE[a.kind],
    a.productionId ?? "",
    a.stage ? STAGE_CODE[a.stage] : "",
    a.version === undefined ? "" : String(a.version),
    a.questionId ?? "",
    a.value ?? "",
  ];
  while (parts.length > 2 && parts[parts.length - 1] === "") parts.pop();
  const id = parts.join(":");
  if (id.length > MAX_ENCODED_ACTION)
    throw new ValidationError(
      [{ field: "", message: `encodes to ${id.length} characters, more than ${MAX_ENCODED_ACTION}` }],
      "action",
    );
  return id;
}

const byCode = <T extends string>(table: Record<T, string>, code: string): T | undefined =>
  (Object.keys(table) as T[]).find((k) => table[k] === code);

/**
 * The action an id means. A forged, garbled or foreign id throws a ValidationError that says so
 * (listeners answer it with an ephemeral "this button is not valid any more"), never a crash.
 */
export function decodeAction(id: unknown): BotAction {
  const fail = (why: string) => new ValidationError([{ field: "action", message: why }], "button");
  if (typeof id !== "string" || id.length === 0) throw fail("is empty");
  if (id.length > MAX_ENCODED_ACTION) throw fail("is too long to be one of ours");
  const [prefix, kindCode, productionId, stageCode, version, questionId, value, ...rest] = id.split(":");
  if (prefix !== PREFIX) throw fail("is not a Greenlight action");
  if (rest.length > 0) throw fail("has too many parts");
  const kind = byCode(KIND_CODE, kindCode ?? "");
  if (!kind) throw fail(`has an unknown kind "${kindCode ?? ""}"`);
  const stage = stageCode ? byCode(STAGE_CODE, stageCode) : undefined;
  if (stageCode && !stage) throw fail(`has an unknown stage "${stageCode}"`);
  if (version && !/^\d+$/.test(version)) throw fail("has a version that is not a number");
  return parseOrThrow(
    BotAction,
    {
      kind,
      productionId: productionId || undefined,
      stage,
      version: version ? Number(version) : undefined,
      questionId: questionId || undefined,
      value: value || undefined,
    },
    "button",
  );
}

/**
 * The id of a menu made from option buttons: the first button's action without its value, so the
 * menu's id alone answers nothing (a listener reads the chosen option's value, which is a full id).
 */
export function menuId(optionIds: readonly string[]): string {
  const first = optionIds[0];
  if (!first) throw new Error("a menu needs at least one option");
  const { value: _chosen, ...rest } = decodeAction(first);
  return encodeAction(rest);
}

/** The id of a question's option as it travels in an answer action. */
export const optionValue = (index: number): string => String(index);

/**
 * The answer an `answer` click gives: the chosen option's full value (looked up by index in the
 * production's question), or the question's default. Throws ValidationError for an unknown question
 * or an index the question does not have (a stale or forged button).
 */
export function answerFromAction(production: Pick<Production, "questions">, action: BotAction): Answers {
  const problem = (message: string) => new ValidationError([{ field: "answer", message }], "answer");
  if (action.kind !== "answer" || !action.questionId) throw problem("is not an answer button");
  const question: ClarifyingQuestion | undefined = production.questions.find(
    (q) => q.id === action.questionId,
  );
  if (!question) throw problem(`question "${action.questionId}" is not asked in this production`);
  // A menu's own id carries no value: only a chosen option (or the explicit default) answers.
  if (action.value === undefined) throw problem(`no option of "${question.id}" was chosen`);
  if (action.value === USE_DEFAULT) return { [question.id]: USE_DEFAULT };
  const option = question.options[Number(action.value)];
  if (!option) throw problem(`question "${question.id}" has no option ${action.value}`);
  return { [question.id]: option.value };
}
