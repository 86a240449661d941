import type { z } from "zod";
import { errorMessage, UpstreamError } from "../../domain/errors.js";

/** What one source call produced: the records that parsed, and how many items were malformed. */
export interface SourceBatch<T> {
  records: T[];
  /** Items that did not match the record schema (skipped, not fatal). */
  skipped: number;
  /**
   * What went wrong in a call that still returned records (a call that got none throws instead):
   * a later page that failed, or a search the service cut short.
   */
  problems?: SourceProblem[];
}

/** A message that names its source ("github: …"). */
export interface SourceProblem {
  message: string;
  /** Absent: an error (data is missing; the run is partial). "warning": data may be missing; the run still succeeds. */
  level?: "warning";
}

export const isFailure = (problem: { level?: "warning" }) => problem.level !== "warning";

export function addProblem(batch: SourceBatch<unknown>, problem: SourceProblem): void {
  batch.problems = [...(batch.problems ?? []), problem];
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

/**
 * Pages through one query: `readPage(n)` reads page n (from 1) into `out` and says whether more pages
 * follow. The first page failing is the query failing (thrown: nothing came back). A later page failing,
 * after the HTTP client's retries, keeps what the earlier pages returned — it is valid data — and
 * becomes an error in `out.problems` naming the query and the page.
 */
export async function pageThrough<B extends SourceBatch<unknown>>(
  source: string,
  query: string,
  out: B,
  readPage: (page: number) => Promise<boolean>,
): Promise<B> {
  for (let page = 1; ; page += 1) {
    try {
      if (!(await readPage(page))) return out;
    } catch (error) {
      if (page === 1) throw error;
      // The HTTP client's message already starts with the source; say it once.
      const why = errorMessage(error).replace(new RegExp(`^${source}: `), "");
      const pages = page === 2 ? "page 1" : `pages 1–${page - 1}`;
      addProblem(out, {
        message: `${source}: page ${page} of query "${query}" failed: ${why}; kept ${out.records.length} results from ${pages}`,
      });
      return out;
    }
  }
}
