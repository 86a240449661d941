/**
 * Field names as careless people write them. A brief pasted from a doc says "Call To Action",
 * `call-to-action`, `cta` or `call_to_acton`; silently dropping such a field would quietly change
 * the production (no call to action, no budget), so names are tidied before validation:
 * - spelling variants of a known name (case, spaces, hyphens) and listed aliases are renamed;
 * - a field that belongs one level down (a top-level `budget`) is moved there;
 * - a near miss of a known name ("call_to_acton") is refused, suggesting the name it resembles.
 * Names far from every known one are left alone (zod drops them), so extra metadata does no harm.
 */
import { closest, distance } from "fastest-levenshtein";
import type { z } from "zod";

export interface FieldNameRules {
  /** Other names people use, per object path ("" is the top level): alias → field. */
  aliases?: Record<string, Record<string, string>>;
  /** Top-level names that belong inside an object field: name → "object.field". */
  moved?: Record<string, string>;
}

export interface FieldNameProblem {
  path: (string | number)[];
  message: string;
}

const spelling = (key: string) =>
  key
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");

/** The object (or list-of-objects) schema inside optional/default/preprocess wrappers, if any. */
function objectShape(
  schema: z.ZodType | undefined,
): { shape: Record<string, z.ZodType>; list: boolean } | null {
  // biome-ignore lint/suspicious/noExplicitAny: walking zod internals generically
  let s: any = schema;
  let list = false;
  for (let depth = 0; s?.def && depth < 10; depth++) {
    const type = s.def.type;
    if (type === "object") return { shape: s.def.shape, list };
    if (type === "array" && !list) {
      list = true;
      s = s.def.element;
    } else if (["optional", "nullable", "default", "prefault"].includes(type)) s = s.def.innerType;
    else if (type === "pipe") s = s.def.out;
    else return null;
  }
  return null;
}

/** Words this short are too easily near each other to guess between (x, do, tv...). */
const MIN_GUESS_LENGTH = 4;

function tidyObject(
  value: Record<string, unknown>,
  shape: Record<string, z.ZodType>,
  path: (string | number)[],
  rules: FieldNameRules,
  problems: FieldNameProblem[],
): Record<string, unknown> {
  const known = Object.keys(shape);
  const aliases = rules.aliases?.[path.filter((p) => typeof p === "string").join(".")] ?? {};
  const out: Record<string, unknown> = {};
  const unknown: [string, unknown][] = [];
  for (const [key, field] of Object.entries(value)) {
    if (key in shape) out[key] = field;
    else unknown.push([key, field]);
  }
  for (const [key, field] of unknown) {
    const name = spelling(key);
    const target = known.includes(name) ? name : aliases[name];
    if (target) {
      if (!(target in out)) out[target] = field;
      continue;
    }
    if (name.length < MIN_GUESS_LENGTH) continue;
    const guess = closest(name, known);
    if (distance(name, guess) <= Math.max(1, Math.floor(guess.length / 4)))
      problems.push({ path: [...path, key], message: `unknown field; did you mean ${guess}?` });
  }
  for (const [key, field] of Object.entries(out)) {
    const inner = objectShape(shape[key]);
    if (!inner) continue;
    if (!inner.list && isRecord(field))
      out[key] = tidyObject(field, inner.shape, [...path, key], rules, problems);
    if (inner.list && Array.isArray(field))
      out[key] = field.map((item, i) =>
        isRecord(item) ? tidyObject(item, inner.shape, [...path, key, i], rules, problems) : item,
      );
  }
  return out;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/** `value` with its field names tidied per the rules above, and the near misses it holds. */
export function tidyFieldNames(
  value: unknown,
  shape: Record<string, z.ZodType>,
  rules: FieldNameRules = {},
): { value: unknown; problems: FieldNameProblem[] } {
  if (!isRecord(value)) return { value, problems: [] };
  const lifted: Record<string, unknown> = { ...value };
  for (const [key, field] of Object.entries(value)) {
    const destination = rules.moved?.[spelling(key)];
    if (!destination || key in shape) continue;
    const [parent, child] = destination.split(".") as [string, string];
    const current = lifted[parent];
    if (current !== undefined && !isRecord(current)) continue; // the parent's own error will show
    delete lifted[key];
    if (current?.[child] === undefined) lifted[parent] = { ...current, [child]: field };
  }
  const problems: FieldNameProblem[] = [];
  return { value: tidyObject(lifted, shape, [], rules, problems), problems };
}
