/**
 * Text PostgreSQL cannot store: a NUL character (refused in TEXT and JSONB) and a lone UTF-16
 * surrogate (JSON allows the escape, JSONB refuses it). Input carrying either is refused up front,
 * naming the field, instead of failing the INSERT with an error the user cannot act on.
 */
import { type FieldProblem, ValidationError } from "../domain/errors.js";
import { fieldPath } from "../domain/parse.js";

const NUL = "\u0000";
/** With the `u` flag a surrogate code unit matches only when it is not part of a pair. */
const LONE_SURROGATE = /[\ud800-\udfff]/u;
/** Enough to show what is wrong without echoing a huge hostile body back. */
const MAX_PROBLEMS = 10;

function textProblem(text: string): string | null {
  if (text.includes(NUL)) return "contains a NUL character (\\u0000), which cannot be stored; remove it";
  if (LONE_SURROGATE.test(text))
    return "contains a lone UTF-16 surrogate (an invalid \\ud800–\\udfff escape), which cannot be stored";
  return null;
}

/** True when `text` can be stored as is. */
export function isStorableText(text: string): boolean {
  return textProblem(text) === null;
}

/** Every string (keys included) in `value` that cannot be stored, by field path. */
export function unstorableTextProblems(value: unknown): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const walk = (v: unknown, path: PropertyKey[]) => {
    if (problems.length >= MAX_PROBLEMS) return;
    if (typeof v === "string") {
      const message = textProblem(v);
      if (message) problems.push({ field: fieldPath(path), message });
    } else if (Array.isArray(v)) {
      for (const [i, item] of v.entries()) walk(item, [...path, i]);
    } else if (v !== null && typeof v === "object") {
      for (const [key, item] of Object.entries(v)) {
        const message = textProblem(key);
        // The key itself is the problem: name the object holding it, and show the key escaped.
        if (message)
          problems.push({ field: fieldPath(path), message: `key ${JSON.stringify(key)} ${message}` });
        else walk(item, [...path, key]);
      }
    }
  };
  walk(value, []);
  return problems;
}

/** Throws a ValidationError naming each field with text that cannot be stored. */
export function assertStorable(value: unknown, what: string): void {
  const problems = unstorableTextProblems(value);
  if (problems.length > 0) throw new ValidationError(problems, what);
}
