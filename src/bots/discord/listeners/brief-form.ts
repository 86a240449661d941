/**
 * The brief modal of /vrd. Duration and platform normally arrive as the command's options; a /vrd
 * without them (a command registered before they were required, or a client that drops them) gets one
 * "Length & platform" box in place of the optional Audience, so the modal can always be completed and
 * "Fix and resend" never reopens a form that cannot fix the problem.
 */
import { ValidationError } from "../../../domain/errors.js";
import { PLATFORMS, type VrdForm, vrdFromForm } from "../../../domain/vrd.js";
import { PLATFORM_LABEL } from "../../core/format.js";
import { type FormField, type FormSpec, type FormValues, vrdForm } from "../../core/forms.js";

export const LENGTH_AND_PLATFORM = "length_platform";
const OPTION_FIELDS = new Set(["duration_seconds", "platform"]);

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

/** Whether the draft's duration or platform is missing or not valid (domain rules decide). */
function needsLengthField(draft: VrdForm): boolean {
  try {
    vrdFromForm(draft);
    return false;
  } catch (err) {
    return err instanceof ValidationError && err.problems.some((p) => OPTION_FIELDS.has(p.field));
  }
}

/** The brief modal for this draft (what /vrd gave and what was typed before). */
export function briefForm(draft: VrdForm): FormSpec {
  const form = vrdForm("discord", draft);
  if (!needsLengthField(draft)) return form;
  const labels: Record<string, string | undefined> = PLATFORM_LABEL;
  const shown = draft.platform && (labels[draft.platform] ?? draft.platform);
  const field: FormField = {
    id: LENGTH_AND_PLATFORM,
    label: "Length in seconds & platform",
    kind: "short",
    required: true,
    maxLength: 60,
    placeholder: `e.g. 30, TikTok (${PLATFORMS.map((p) => PLATFORM_LABEL[p]).join(", ")})`,
    initial: [draft.duration_seconds, shown].filter(Boolean).join(", ") || undefined,
  };
  return { ...form, fields: form.fields.map((f) => (f.id === "audience" ? field : f)) };
}

/** "30, TikTok", "45s youtube shorts", "Reels 20" → duration and platform (as typed when unknown). */
export function lengthAndPlatform(values: FormValues): VrdForm {
  const text = values[LENGTH_AND_PLATFORM]?.trim();
  if (!text) return {};
  const duration = text.match(/\d+/)?.[0];
  const rest = text.replace(/\d+\s*(s|sec|secs|seconds?)?\b/i, " ").replace(/^[\s,;/·-]+|[\s,;/·-]+$/g, "");
  const key = squash(rest);
  const platform =
    PLATFORMS.find((p) => squash(p) === key || squash(PLATFORM_LABEL[p]) === key) ??
    PLATFORMS.find((p) => key.length > 2 && squash(PLATFORM_LABEL[p]).includes(key));
  return {
    ...(duration ? { duration_seconds: duration } : {}),
    ...(platform || rest ? { platform: platform ?? rest } : {}),
  };
}

/** Problems with duration or platform belong to the Length & platform box when the form has one. */
export function onFormFields(error: ValidationError, form: FormSpec): ValidationError {
  if (!form.fields.some((f) => f.id === LENGTH_AND_PLATFORM)) return error;
  return new ValidationError(
    error.problems.map((p) => (OPTION_FIELDS.has(p.field) ? { ...p, field: LENGTH_AND_PLATFORM } : p)),
    error.what,
  );
}
