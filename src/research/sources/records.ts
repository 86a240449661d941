import type { z } from "zod";
import { UpstreamError } from "../../domain/errors.js";

/** What one source call produced: the records that parsed, and how many items were malformed. */
export interface SourceBatch<T> {
  records: T[];
  /** Items that did not match the record schema (skipped, not fatal). */
  skipped: number;
}

/** Parse each item with `schema`; a malformed item is skipped and counted, never fatal. */
export function parseItems<S extends z.ZodType>(
  schema: S,
  items: readonly unknown[],
): SourceBatch<z.output<S>> {
  const records: z.output<S>[] = [];
  let skipped = 0;
  for (const item of items) {
    const parsed = schema.safeParse(item);
    if (parsed.success) records.push(parsed.data);
    else skipped += 1;
  }
  return { records, skipped };
}

/** The reply as a whole does not have the documented shape: an error for that source. */
export function malformedReply(source: string, what: string): UpstreamError {
  return new UpstreamError(`${source}: malformed reply (${what})`, source, false);
}

/** Parse the whole reply envelope with `schema`, or throw malformedReply naming the first problem. */
export function parseEnvelope<S extends z.ZodType>(source: string, schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path.length ? issue.path.join(".") : "body";
  throw malformedReply(source, `${path}: ${issue?.message ?? "unexpected shape"}`);
}

/**
 * The `rel="next"` target of an RFC 8288 Link header (Hugging Face and GitHub paginate this way),
 * resolved against the URL of the reply that carried it (a target may be relative, e.g.
 * "</api/models?cursor=…>").
 */
export function nextLink(header: string | null, replyUrl: string): string | null {
  if (!header) return null;
  for (const part of header.split(",")) {
    const match = /<([^>]+)>\s*;(.*)/.exec(part.trim());
    if (!match?.[1] || !/\brel="?next"?/.test(match[2] ?? "")) continue;
    try {
      return new URL(match[1], replyUrl).href;
    } catch {
      return null;
    }
  }
  return null;
}
