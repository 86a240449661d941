/**
 * Forms (modals) in neutral terms: the VRD form, the revise form and the answer-all form, how their
 * submitted values become domain input, and where a validation problem belongs. The Slack and
 * Discord renderers turn a FormSpec into `views.open` or a Discord modal.
 */
import { type Answers, USE_DEFAULT } from "../../domain/clarify.js";
import { type FieldProblem, ValidationError } from "../../domain/errors.js";
import type { Production, ReviewStage } from "../../domain/production.js";
import { PLATFORMS, type VrdForm } from "../../domain/vrd.js";
import type { RevisionRequest } from "../../production/contract.js";
import { encodeAction, optionValue } from "./actions.js";
import { PLATFORM_LABEL, REVIEW_NOUN } from "./format.js";
import { DEFAULT_LABEL } from "./questions-view.js";

export interface FormOption {
  label: string;
  value: string;
}

export interface FormField {
  /** Stable id: the block/action id in Slack, the custom_id in Discord, the key of the submitted value. */
  id: string;
  label: string;
  /** "channel": a conversation picker (Slack only; the value is a channel id). */
  kind: "short" | "paragraph" | "select" | "date" | "channel";
  required: boolean;
  placeholder?: string;
  /** Pre-filled value (an option value for selects, YYYY-MM-DD for dates). */
  initial?: string;
  options?: FormOption[];
  maxLength?: number;
  hint?: string;
}

export interface FormSpec {
  /** Encoded action the submission means (Slack callback_id, Discord modal custom_id). */
  id: string;
  title: string;
  submit: string;
  fields: FormField[];
}

/** Submitted values by field id, as a platform adapter extracted them (blank = absent). */
export type FormValues = Record<string, string | undefined>;

export type FormSurface = "slack" | "discord";

/** Discord's five-input VRD form puts tone and call to action in one box: tone on line 1, CTA after. */
export const TONE_AND_CTA = "tone_cta";

/**
 * The VRD form. Slack shows every field; Discord allows five inputs (title, objective, audience,
 * key messages, tone & call to action), and takes duration, platform and quality as /vrd options.
 */
export function vrdForm(surface: FormSurface, initial: VrdForm = {}): FormSpec {
  const id = encodeAction({ kind: "vrd_form" });
  const title: FormField = {
    id: "title",
    label: "Title",
    kind: "short",
    required: true,
    maxLength: 150,
    placeholder: "Ember & Oak — never run out",
    initial: initial.title,
  };
  const objective: FormField = {
    id: "objective",
    label: "Objective",
    kind: "paragraph",
    required: true,
    maxLength: 1000,
    placeholder: "What should the video achieve? e.g. sign-ups for a coffee subscription",
    initial: initial.objective,
  };
  const audience: FormField = {
    id: "audience",
    label: "Audience",
    kind: "short",
    required: false,
    maxLength: 500,
    placeholder: "Urban professionals 25–40 who brew at home",
    initial: initial.audience,
  };
  const keyMessages: FormField = {
    id: "key_messages",
    label: "Key messages (one per line)",
    kind: "paragraph",
    required: true,
    maxLength: 3000,
    placeholder: "Roasted to order, shipped within 48 hours\nPause or skip anytime",
    initial: initial.key_messages,
  };
  if (surface === "discord") {
    const toneCta = [initial.tone, initial.call_to_action].filter((s) => s?.trim()).join("\n");
    return {
      id,
      title: "New video brief",
      submit: "Start",
      fields: [
        title,
        objective,
        audience,
        keyMessages,
        {
          id: TONE_AND_CTA,
          label: "Tone (line 1) & call to action (line 2)",
          kind: "paragraph",
          required: false,
          maxLength: 400,
          placeholder: "warm, cozy, a little wry\nStart your free bag at emberoak.example",
          initial: toneCta || undefined,
        },
      ],
    };
  }
  return {
    id,
    title: "New video brief",
    submit: "Start",
    fields: [
      title,
      objective,
      audience,
      {
        id: "duration_seconds",
        label: "Duration (seconds)",
        kind: "short",
        required: true,
        placeholder: "5 to 600, e.g. 30",
        initial: initial.duration_seconds,
      },
      {
        id: "platform",
        label: "Platform",
        kind: "select",
        required: true,
        options: PLATFORMS.map((p) => ({ label: PLATFORM_LABEL[p], value: p })),
        initial: initial.platform,
      },
      {
        id: "tone",
        label: "Tone",
        kind: "short",
        required: false,
        placeholder: "warm, cozy, a little wry (comma separated)",
        initial: initial.tone,
      },
      keyMessages,
      {
        id: "call_to_action",
        label: "Call to action",
        kind: "short",
        required: false,
        maxLength: 300,
        placeholder: "Start your free bag at emberoak.example",
        initial: initial.call_to_action,
      },
      {
        id: "max_cost_usd",
        label: "Budget (USD)",
        kind: "short",
        required: false,
        placeholder: "e.g. 20",
        initial: initial.max_cost_usd,
      },
      {
        id: "quality_priority",
        label: "Quality",
        kind: "select",
        required: false,
        options: [
          { label: "Low — cheapest that works", value: "low" },
          { label: "Medium — balanced", value: "medium" },
          { label: "High — best available", value: "high" },
        ],
        initial: initial.quality_priority ?? "medium",
      },
      { id: "deadline", label: "Deadline", kind: "date", required: false, initial: initial.deadline },
    ],
  };
}

/** The field that asks where to run a production when the form was not opened from a channel. */
export const CHANNEL_FIELD = "channel";

/**
 * The VRD form opened from somewhere without a channel (a Slack global shortcut): the same form with
 * "Post in" first, so the production has a channel its team can follow (not a private DM).
 */
export function vrdFormWithChannel(surface: FormSurface, initial: VrdForm = {}): FormSpec {
  const form = vrdForm(surface, initial);
  return {
    ...form,
    fields: [
      {
        id: CHANNEL_FIELD,
        label: "Post in",
        kind: "channel",
        required: true,
        hint: "The production runs in a thread there. Invite @Greenlight to private channels first.",
      },
      ...form.fields,
    ],
  };
}

const VRD_KEYS = [
  "title",
  "objective",
  "audience",
  "duration_seconds",
  "platform",
  "tone",
  "style",
  "key_messages",
  "call_to_action",
  "max_cost_usd",
  "max_time_minutes",
  "quality_priority",
  "deadline",
] as const satisfies readonly (keyof VrdForm)[];

/**
 * Submitted values → the VrdForm that `vrdFromForm` parses. `extra` carries what Discord takes as
 * command options (duration, platform, quality); the combined tone & CTA box is split here.
 */
export function vrdFormFromValues(values: FormValues, extra: VrdForm = {}): VrdForm {
  const form: VrdForm = { ...extra };
  for (const key of VRD_KEYS) {
    const v = values[key];
    if (v !== undefined && v.trim() !== "") form[key] = v;
  }
  const combined = values[TONE_AND_CTA]?.trim();
  if (combined) {
    const [tone, ...cta] = combined.split("\n");
    if (tone?.trim()) form.tone = tone.trim();
    if (cta.join("\n").trim()) form.call_to_action = cta.join(" ").trim();
  }
  return form;
}

/** The form field a problem belongs to: `constraints.max_cost_usd` → max_cost_usd, `key_messages[2]` → key_messages. */
export function fieldForProblem(problemField: string, form: FormSpec): FormField | undefined {
  const key = problemField.replace(/^(constraints|answers)\./, "").replace(/[[.].*$/, "");
  const direct = form.fields.find((f) => f.id === key);
  if (direct) return direct;
  if (key === "tone" || key === "call_to_action") return form.fields.find((f) => f.id === TONE_AND_CTA);
  return undefined;
}

export interface PlacedProblems {
  /** Message per form field id (several problems joined). */
  byField: Record<string, string>;
  /** Problems no field of the form shows (e.g. a Discord command option), named in words. */
  elsewhere: FieldProblem[];
}

/** Where each problem of a ValidationError is shown on `form`. */
export function placeProblems(error: ValidationError, form: FormSpec): PlacedProblems {
  const byField: Record<string, string> = {};
  const elsewhere: FieldProblem[] = [];
  for (const p of error.problems) {
    const field = fieldForProblem(p.field, form);
    if (!field) {
      elsewhere.push(p);
      continue;
    }
    // A sub-path (key_messages[2]) is named inside the message so the person finds the line.
    const message =
      p.field && p.field !== field.id && !/^(constraints|answers)\./.test(p.field)
        ? `${p.field}: ${p.message}`
        : p.message;
    byField[field.id] = byField[field.id] ? `${byField[field.id]}; ${message}` : message;
  }
  return { byField, elsewhere };
}

/** Revise form: what to change, and for shots/plan which shots. The id carries the version seen. */
export function reviseForm(production: Pick<Production, "id" | "version">, stage: ReviewStage): FormSpec {
  const noun = REVIEW_NOUN[stage];
  const fields: FormField[] = [
    {
      id: "feedback",
      label: `What should change in the ${noun}?`,
      kind: "paragraph",
      required: true,
      maxLength: 2000,
      placeholder:
        stage === "script_review"
          ? "Make beat 3 funnier; the CTA should mention the free bag"
          : "Warmer light in the kitchen shots",
    },
  ];
  if (stage !== "script_review")
    fields.push({
      id: "shots",
      label: "Only these shots (optional)",
      kind: "short",
      required: false,
      placeholder: "S03, S07 — leave empty for all",
    });
  if (stage === "plan_review")
    fields.push({
      id: "max_cost_usd",
      label: "New budget in USD (optional)",
      kind: "short",
      required: false,
      placeholder: "e.g. 25",
    });
  return {
    id: encodeAction({ kind: "revise", productionId: production.id, stage, version: production.version }),
    title: `Revise the ${noun}`,
    submit: "Send",
    fields,
  };
}

/** Revise form values → RevisionRequest; ValidationError names the field at fault. */
export function revisionFromValues(values: FormValues, stage: ReviewStage): RevisionRequest {
  const problems: FieldProblem[] = [];
  const feedback = values.feedback?.trim() ?? "";
  if (!feedback) problems.push({ field: "feedback", message: "must not be empty" });
  const request: RevisionRequest = { feedback };
  const shotsText = values.shots?.trim();
  if (shotsText && stage !== "script_review") {
    const tokens = shotsText.split(/[\s,;]+/).filter(Boolean);
    const bad = tokens.filter((t) => !/^S\d{2,3}[a-z]?$/i.test(t));
    if (bad.length > 0)
      problems.push({ field: "shots", message: `not shot ids: ${bad.join(", ")} (write e.g. S03, S07)` });
    else request.shotIds = [...new Set(tokens.map((t) => `S${t.slice(1).toLowerCase()}`))];
  }
  const budget = values.max_cost_usd?.trim();
  if (budget && stage === "plan_review") {
    const n = Number(budget.replace(/^\$/, ""));
    if (!Number.isFinite(n) || n <= 0)
      problems.push({ field: "max_cost_usd", message: `must be a positive number, got "${budget}"` });
    else request.constraints = { max_cost_usd: n };
  }
  if (problems.length > 0) throw new ValidationError(problems, "revision");
  return request;
}

/** Answer-all form: one field per open question (a menu when it has options). */
export function answersForm(
  production: Pick<Production, "id" | "version" | "questions" | "answers">,
): FormSpec {
  const open = production.questions.filter((q) => production.answers[q.id] === undefined);
  return {
    id: encodeAction({ kind: "answer_all", productionId: production.id, version: production.version }),
    title: "Answer the questions",
    submit: "Send answers",
    fields: open.map((q) =>
      q.options.length > 0
        ? {
            id: q.id,
            label: q.question,
            kind: "select" as const,
            required: false,
            options: [
              ...q.options.map((o, i) => ({ label: o.label, value: `#${optionValue(i)}` })),
              { label: DEFAULT_LABEL, value: USE_DEFAULT },
            ],
            hint: q.why,
          }
        : {
            id: q.id,
            label: q.question,
            kind: "paragraph" as const,
            required: false,
            maxLength: 2000,
            placeholder: `Default: ${q.default}`.slice(0, 100),
            hint: q.why,
          },
    ),
  };
}

/**
 * Answer-all values → Answers. A menu value is `#<option index>` (or "default"); free text is kept as
 * typed, and a typed option label picks that option. Blank fields are left unanswered.
 */
export function answersFromValues(values: FormValues, production: Pick<Production, "questions">): Answers {
  const answers: Answers = {};
  for (const q of production.questions) {
    const raw = values[q.id]?.trim();
    if (!raw) continue;
    if (raw === USE_DEFAULT) answers[q.id] = USE_DEFAULT;
    else if (/^#\d{1,2}$/.test(raw) && q.options[Number(raw.slice(1))])
      answers[q.id] = q.options[Number(raw.slice(1))]!.value;
    else answers[q.id] = q.options.find((o) => o.label.toLowerCase() === raw.toLowerCase())?.value ?? raw;
  }
  return answers;
}
