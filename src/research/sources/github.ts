import { z } from "zod";
import type { HttpClient } from "../http.js";
import { addProblem, pageThrough, parseEnvelope, parseItems, type SourceBatch } from "./records.js";

/**
 * GitHub repository search (research_sources.github_search_repositories in the seed):
 * GET <GITHUB_API_URL>/search/repositories?q=topic:text-to-video pushed:>=YYYY-MM-DD stars:>=N
 * archived:false&sort=stars&order=desc&per_page=100&page=N. Search allows 10 requests/min without a
 * token and 30 with one, and returns at most the first 1,000 results of a query.
 */

export const GITHUB_TOPICS = ["text-to-video", "image-to-video", "video-generation"] as const;
/** GitHub serves only the first 1,000 results of any search. */
const SEARCH_RESULT_CAP = 1000;

const isoDate = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), "a date")
  .transform((s) => new Date(s).toISOString());

export const GithubRepo = z
  .object({
    full_name: z.string().regex(/^[^/\s]+\/[^/\s]+$/),
    html_url: z.string().url(),
    description: z.string().nullable().default(null),
    stargazers_count: z.number().int().min(0),
    topics: z.array(z.string()).default([]),
    pushed_at: isoDate,
    license: z
      .object({ spdx_id: z.string().nullable().optional(), key: z.string().nullable().optional() })
      .nullable()
      .default(null),
    archived: z.boolean().default(false),
    fork: z.boolean().default(false),
  })
  .transform((r) => ({
    full_name: r.full_name,
    html_url: r.html_url,
    description: r.description,
    stars: r.stargazers_count,
    topics: r.topics,
    pushed_at: r.pushed_at,
    // "NOASSERTION" is GitHub's "a licence file we could not identify": unknown.
    license: r.license?.spdx_id && r.license.spdx_id !== "NOASSERTION" ? r.license.spdx_id : null,
    archived: r.archived,
    fork: r.fork,
  }));
export type GithubRepo = z.output<typeof GithubRepo>;

const SearchReply = z.object({
  total_count: z.number().int().min(0),
  incomplete_results: z.boolean().optional(),
  items: z.array(z.unknown()),
});

export interface GithubSearchOptions {
  /** Only repositories pushed on or after this day (YYYY-MM-DD). */
  pushedSince: string;
  /** stars:>=N qualifier. Default 100. */
  minStars?: number;
  /** Most repositories for this topic. Default 100 (GitHub's cap is 1,000). */
  maxResults?: number;
  /** per_page, at most 100. */
  pageSize?: number;
}

export interface GithubSource {
  readonly name: "github";
  /** Repositories with a topic, recently pushed, most stars first. */
  searchRepositories(topic: string, options: GithubSearchOptions): Promise<SourceBatch<GithubRepo>>;
}

export function githubHeaders(token: string | undefined): Record<string, string> {
  return {
    Accept: "application/vnd.github+json",
    "X-GitHub-Api-Version": "2022-11-28",
    "User-Agent": "greenlight-research",
    ...(token ? { Authorization: `Bearer ${token}` } : {}),
  };
}

export function createGithubSource(http: HttpClient): GithubSource {
  return {
    name: "github",
    async searchRepositories(topic, options) {
      const maxResults = Math.min(options.maxResults ?? 100, SEARCH_RESULT_CAP);
      const pageSize = Math.min(options.pageSize ?? 100, 100);
      const q = `topic:${topic} pushed:>=${options.pushedSince} stars:>=${options.minStars ?? 100} archived:false`;
      const out: SourceBatch<GithubRepo> = { records: [], skipped: 0 };
      const label = `topic:${topic}`;
      let seen = 0;
      let warned = false;
      await pageThrough("github", label, out, async (page) => {
        const { body } = await http.getJson("/search/repositories", {
          q,
          sort: "stars",
          order: "desc",
          per_page: pageSize,
          page,
        });
        const reply = parseEnvelope("github", SearchReply, body);
        // GitHub's search timed out on its side and returned what it found so far: usable, but
        // repositories may be missing (REST docs, "Search": timeouts and incomplete results).
        if (reply.incomplete_results && !warned) {
          warned = true;
          addProblem(out, {
            level: "warning",
            message: `github: query "${label}" returned incomplete results (GitHub's search timed out); some repositories may be missing`,
          });
        }
        const items = reply.items.slice(0, maxResults - seen);
        const batch = parseItems(GithubRepo, items);
        out.records.push(...batch.records);
        out.skipped += batch.skipped;
        seen += reply.items.length;
        const last = reply.items.length < pageSize || seen >= Math.min(reply.total_count, SEARCH_RESULT_CAP);
        return !last && seen < maxResults;
      });
      return out;
    },
  };
}
