import type { z } from "zod";
import { type FieldProblem, ValidationError } from "./errors.js";

/** `a.b[2].c` from a zod issue path. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

function show(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string")
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (Array.isArray(value)) return `${value.length} item${value.length === 1 ? "" : "s"}`;
  if (value === null) return "null";
  if (typeof value === "object") return "an object";
  return String(value);
}

/** zod's names of types, in plain words. */
const EXPECTED: Record<string, string> = {
  number: "a number",
  int: "a whole number",
  array: "a list",
  object: "an object",
};

/** Plain words for one zod issue: "must be between 5 and 600, got 0". */
export function describeIssue(
  issue: z.core.$ZodIssue,
  schemaBounds?: { min?: number; max?: number },
): string {
  const input = (issue as { input?: unknown }).input;
  const got = `, got ${show(input)}`;
  switch (issue.code) {
    case "invalid_type":
      if (input === undefined) return "is required";
      return `must be ${EXPECTED[issue.expected] ?? `a ${issue.expected}`}${got}`;
    case "too_small": {
      const unit = issue.origin === "array" ? " item(s)" : issue.origin === "string" ? " character(s)" : "";
      if (issue.origin === "string" && Number(issue.minimum) === 1) return "must not be empty";
      if (issue.origin === "array")
        return `must have at least ${issue.minimum} item${Number(issue.minimum) === 1 ? "" : "s"}${got}`;
      if (!issue.inclusive) return `must be greater than ${issue.minimum}${got}`;
      if (schemaBounds?.max !== undefined && issue.origin === "number")
        return `must be between ${issue.minimum} and ${schemaBounds.max}${got}`;
      return `must be at least ${issue.minimum}${unit}${got}`;
    }
    case "too_big": {
      const unit = issue.origin === "array" ? " item(s)" : issue.origin === "string" ? " character(s)" : "";
      if (issue.origin === "array") return `must have at most ${issue.maximum} items${got}`;
      if (schemaBounds?.min !== undefined && issue.origin === "number")
        return `must be between ${schemaBounds.min} and ${issue.maximum}${got}`;
      return `must be at most ${issue.maximum}${unit}${got}`;
    }
    case "invalid_value":
      return `must be one of ${issue.values.map((v) => String(v)).join(", ")}${got}`;
    case "invalid_format":
      // A schema's own message ("an option index") is kept; zod's default one names the regex badly.
      if (issue.format === "regex" && issue.message.startsWith("Invalid string") && "pattern" in issue)
        return `must match the pattern ${String(issue.pattern)}${got}`;
      return issue.message;
    case "unrecognized_keys":
      return `unknown field${issue.keys.length > 1 ? "s" : ""}: ${issue.keys.join(", ")}`;
    default:
      return issue.message;
  }
}

/** Number bounds of a schema reached by a path, so a range error can name both ends. */
function boundsAt(
  schema: z.ZodType,
  path: readonly PropertyKey[],
): { min?: number; max?: number } | undefined {
  // biome-ignore lint/suspicious/noExplicitAny: walking zod internals generically
  let s: any = schema;
  for (const key of path) {
    while (s?.def && ["optional", "nullable", "default", "pipe", "prefault"].includes(s.def.type))
      s = s.def.innerType ?? s.def.out;
    if (!s?.def) return undefined;
    if (s.def.type === "object") s = s.def.shape?.[key as string];
    else if (s.def.type === "array") s = s.def.element;
    else return undefined;
  }
  while (s?.def && ["optional", "nullable", "default", "pipe", "prefault"].includes(s.def.type))
    s = s.def.innerType ?? s.def.out;
  if (s?.def?.type !== "number") return undefined;
  const min = s.minValue ?? undefined;
  const max = s.maxValue ?? undefined;
  // .int() bounds a number by the safe integers: no bound a person set, so not worth naming.
  const named = (n: unknown) =>
    typeof n === "number" && Math.abs(n) < Number.MAX_SAFE_INTEGER ? n : undefined;
  return { min: named(min), max: named(max) };
}

export function problemsOf(schema: z.ZodType, error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({
    field: fieldPath(issue.path),
    message: describeIssue(issue, boundsAt(schema, issue.path)),
  }));
}

/**
 * Parse `data` with `schema`, or throw a ValidationError listing every problem at once, each naming
 * its field in plain words. Every boundary (bot payload, REST body, LLM reply, DB row) goes through here.
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, data: unknown, what = "input"): z.output<S> {
  const result = schema.safeParse(data, { reportInput: true });
  if (result.success) return result.data;
  throw new ValidationError(problemsOf(schema, result.error), what);
}
