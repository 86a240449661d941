import { XMLParser, XMLValidator } from "fast-xml-parser";
import { z } from "zod";
import { UpstreamError } from "../../domain/errors.js";
import type { HttpClient } from "../http.js";
import { malformedReply, pageThrough, parseItems, type SourceBatch } from "./records.js";

/**
 * arXiv API (Atom 1.0; research_sources.arxiv in the seed): GET <ARXIV_API_URL>?search_query=…
 * &start=…&max_results=…&sortBy=submittedDate&sortOrder=descending. No auth; arXiv asks for one
 * request every 3 s on a single connection, which the HTTP client enforces (minIntervalMs).
 */

/** The searches the SOTA tracker runs (field-prefixed arXiv query syntax). */
export const ARXIV_QUERIES = {
  video_generation: 'cat:cs.CV AND abs:"video generation"',
  text_to_video: 'abs:"text-to-video"',
  image_to_video: 'abs:"image-to-video"',
  lip_sync: '(abs:"lip-sync" OR abs:"lip sync" OR abs:"talking head")',
} as const;

const isoDate = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), "a date")
  .transform((s) => new Date(s).toISOString());

export const ArxivPaper = z.object({
  /** Without the version, e.g. "2503.20314" (or "hep-th/9901001" for old-style ids). */
  arxiv_id: z.string().min(1),
  version: z.number().int().min(1),
  title: z.string().min(1),
  summary: z.string(),
  authors: z.array(z.string()),
  published: isoDate,
  updated: isoDate,
  categories: z.array(z.string()),
  primary_category: z.string().nullable(),
  /** As arXiv gives it (with version), e.g. http://arxiv.org/abs/2503.20314v1. */
  abs_url: z.string(),
  pdf_url: z.string().nullable(),
  /** arxiv:comment, where authors often link their code ("Code: https://github.com/…"). */
  comment: z.string().nullable(),
});
export type ArxivPaper = z.output<typeof ArxivPaper>;

export interface ArxivSearchOptions {
  /** Most papers to return for this query (all pages together). Default 100. */
  maxResults?: number;
  /** max_results per request; arXiv allows up to 2000. Default 100. */
  pageSize?: number;
  start?: number;
  sortBy?: "relevance" | "lastUpdatedDate" | "submittedDate";
  sortOrder?: "ascending" | "descending";
}

export interface ArxivSource {
  readonly name: "arxiv";
  /** Pages through one search query. */
  search(
    query: string,
    options?: ArxivSearchOptions,
  ): Promise<SourceBatch<ArxivPaper> & { total: number | null }>;
}

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  // Keep every value a string: "2503.20314" must not become a number.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // Besides &amp; &lt; …, decode numeric character references (&#233;, &#x2014;), which arXiv uses for
  // accented names and symbols; without this a title keeps the literal "&#233;".
  htmlEntities: true,
  isArray: (name) => ["entry", "author", "link", "category"].includes(name),
});

type Node = Record<string, unknown>;
const text = (value: unknown): string | undefined => {
  if (typeof value === "string") return value;
  if (value && typeof value === "object" && typeof (value as Node)["#text"] === "string")
    return (value as Node)["#text"] as string;
  return undefined;
};
const oneLine = (s: string | undefined) => s?.replace(/\s+/g, " ").trim();
const attr = (value: unknown, name: string): string | undefined => {
  const v = value && typeof value === "object" ? (value as Node)[`@_${name}`] : undefined;
  return typeof v === "string" ? v : undefined;
};
const list = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value === undefined ? [] : [value];

/** "http://arxiv.org/abs/2503.20314v2" → { id: "2503.20314", version: 2 }. */
export function splitArxivId(idUrl: string): { id: string; version: number } | null {
  const match = /arxiv\.org\/abs\/(.+?)(?:v(\d+))?$/.exec(idUrl.trim());
  if (!match?.[1]) return null;
  return { id: match[1], version: match[2] ? Number(match[2]) : 1 };
}

/** One <entry> as the fields ArxivPaper validates (missing pieces left undefined → item skipped). */
function entryFields(entry: Node): unknown {
  const ids = splitArxivId(text(entry.id) ?? "");
  const links = list(entry.link);
  const abs = links.find((l) => attr(l, "rel") === "alternate");
  const pdf = links.find((l) => attr(l, "title") === "pdf" || attr(l, "type") === "application/pdf");
  return {
    arxiv_id: ids?.id,
    version: ids?.version,
    title: oneLine(text(entry.title)),
    summary: oneLine(text(entry.summary)) ?? "",
    authors: list(entry.author)
      .map((a) => oneLine(text((a as Node)?.name)))
      .filter((n): n is string => Boolean(n)),
    published: text(entry.published),
    updated: text(entry.updated),
    categories: list(entry.category)
      .map((c) => attr(c, "term"))
      .filter((t): t is string => Boolean(t)),
    primary_category: attr(entry["arxiv:primary_category"], "term") ?? null,
    abs_url: attr(abs, "href") ?? text(entry.id),
    pdf_url: attr(pdf, "href") ?? null,
    comment: oneLine(text(entry["arxiv:comment"])) ?? null,
  };
}

/**
 * An arXiv Atom feed → papers. Not well-formed XML, or no <feed>, is an error for the source; an entry
 * missing its id/title/dates is skipped and counted. arXiv reports a bad query as a feed whose only
 * entry has an id under /api/errors: that is an error too, carrying arXiv's explanation.
 */
export function parseArxivFeed(body: string): SourceBatch<ArxivPaper> & { total: number | null } {
  const valid = XMLValidator.validate(body);
  if (valid !== true)
    throw malformedReply("arxiv", `not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const doc = xml.parse(body) as Node;
  const feed = doc.feed as Node | undefined;
  if (!feed || typeof feed !== "object") throw malformedReply("arxiv", "no Atom <feed>");
  const entries = list(feed.entry) as Node[];
  const failure = entries.find((e) => (text(e.id) ?? "").includes("/api/errors"));
  if (failure)
    throw new UpstreamError(
      `arxiv: query rejected: ${oneLine(text(failure.summary)) ?? "unknown error"}`,
      "arxiv",
      false,
    );
  const totalText = text(feed["opensearch:totalResults"]);
  const total = totalText !== undefined && /^\d+$/.test(totalText) ? Number(totalText) : null;
  return { ...parseItems(ArxivPaper, entries.map(entryFields)), total };
}

/** Extra tries of a page that came back empty before its feed's total was reached. */
const EMPTY_PAGE_RETRIES = 2;

export function createArxivSource(http: HttpClient): ArxivSource {
  return {
    name: "arxiv",
    async search(query, options = {}) {
      const maxResults = options.maxResults ?? 100;
      const pageSize = Math.min(options.pageSize ?? 100, 2000);
      const out: SourceBatch<ArxivPaper> & { total: number | null } = {
        records: [],
        skipped: 0,
        total: null,
      };
      let start = options.start ?? 0;
      let seen = 0;
      const readFeed = async () => {
        const { text: body } = await http.getText("", {
          search_query: query,
          start,
          max_results: Math.min(pageSize, maxResults - seen),
          sortBy: options.sortBy ?? "submittedDate",
          sortOrder: options.sortOrder ?? "descending",
        });
        return parseArxivFeed(body);
      };
      const entries = (page: SourceBatch<ArxivPaper>) => page.records.length + page.skipped;
      await pageThrough("arxiv", query, out, async () => {
        let page = await readFeed();
        // arXiv sometimes answers a page with a valid but empty feed although its total says there are
        // more; asking again usually gets the entries. After EMPTY_PAGE_RETRIES the total is taken to be stale.
        for (let retry = 0; retry < EMPTY_PAGE_RETRIES; retry += 1) {
          if (entries(page) > 0 || page.total === null || start >= page.total) break;
          page = await readFeed();
        }
        out.records.push(...page.records);
        out.skipped += page.skipped;
        out.total = page.total;
        const count = entries(page);
        seen += count;
        start += count;
        return count > 0 && (page.total === null || start < page.total) && seen < maxResults;
      });
      return out;
    },
  };
}
