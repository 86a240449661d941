import type { Queryable } from "../db/db.js";
import { errorMessage, UpstreamError } from "../domain/errors.js";
import type { ToolStackChange } from "./changes.js";
import { keyWords, toolKey } from "./discovery.js";
import {
  ARXIV_QUERIES,
  type ArxivPaper,
  type ArxivSearchOptions,
  type ArxivSource,
  isFailure,
  type ResearchSources,
  type SourceProblem,
} from "./sources/index.js";

/**
 * SOTA tracker: arXiv papers become rows of sota_techniques, one per paper (technique_id
 * "arxiv:<id without version>"), with the tools they relate to, a status and a relevance score.
 *
 * Relevance (0..1), keyword scoring on title and abstract. Each group counts once, with its full
 * weight when a phrase is in the title and 60 % of it when only the abstract has one; the sum is
 * capped at 1:
 *   video generation (video generation/diffusion/synthesis, text-to-video, image-to-video …) 0.5
 *   lip-sync (lip-sync, talking head/face, audio-driven …)                                 0.3
 *   camera control (camera control/motion/trajectory/pose)                                   0.2
 *   consistency (temporal/character/subject/identity consistency, identity-preserving …)    0.2
 * A new technique is a `new_sota` change only at or above RELEVANCE_BAR (0.5): a title that is about
 * video generation passes on its own, an abstract needs a second topic.
 *
 * Status, the first rule that holds wins:
 *   superseded  a newer paper of the same family exists: both titles open with a short name before
 *               a colon ("HunyuanVideo 1.5: …", "HunyuanVideo: …"), the names are equal once version
 *               numbers are dropped, and the other was published later;
 *   adopted     a related tool is in the stack (status available or self_hosted);
 *   trending    within TRENDING_WINDOW_DAYS of now, at least TRENDING_MIN_ACTIVITY events — its own
 *               arXiv versions updated in the window plus other tracked papers published in the
 *               window that mention its short name — or a GitHub repository it links to has at
 *               least TRENDING_MIN_STARS stars;
 *   new         otherwise.
 * related_tools: tools whose names (as aliases of at least 5 characters, compared without spaces or
 * punctuation) appear in the title or abstract, and tools whose sources cite the paper's arXiv page.
 */

export const RELEVANCE_BAR = 0.5;
export const TRENDING_WINDOW_DAYS = 30;
export const TRENDING_MIN_ACTIVITY = 3;
export const TRENDING_MIN_STARS = 1000;

export const SOTA_STATUSES = ["new", "trending", "adopted", "superseded"] as const;
export type SotaStatus = (typeof SOTA_STATUSES)[number];

const RELEVANCE_GROUPS: { topic: string; weight: number; phrases: RegExp }[] = [
  {
    topic: "video generation",
    weight: 0.5,
    phrases:
      /\bvideo (?:generation|generative|generator|diffusion|synthesis)\b|\b(?:text|image)[- ]to[- ]video\b|\bvideo foundation models?\b/,
  },
  {
    topic: "lip-sync",
    weight: 0.3,
    phrases:
      /\blip[- ]?sync(?:hroni[sz]ation)?\b|\btalking[- ](?:head|face|portrait)s?\b|\baudio[- ]driven\b/,
  },
  {
    topic: "camera control",
    weight: 0.2,
    phrases: /\bcamera (?:control|motion|trajector(?:y|ies)|poses?)\b/,
  },
  {
    topic: "consistency",
    weight: 0.2,
    phrases:
      /\b(?:temporal|character|subject|identity|multi-shot) consistency\b|\bidentity[- ]preserv(?:ing|ation)\b|\bconsistent characters?\b/,
  },
];

/** 0..1, two decimals; see the module comment. */
export function relevanceScore(title: string, summary: string): number {
  const t = title.toLowerCase();
  const s = summary.toLowerCase();
  let score = 0;
  for (const group of RELEVANCE_GROUPS) {
    if (group.phrases.test(t)) score += group.weight;
    else if (group.phrases.test(s)) score += group.weight * 0.6;
  }
  return Math.round(Math.min(1, score) * 100) / 100;
}

/** "arxiv:2503.20314" — one technique per paper, whatever its version. */
export const techniqueId = (arxivId: string) => `arxiv:${arxivId}`;

/** The short name a title opens with ("Wan: Open and …" → "Wan"), or null. */
export function shortName(title: string): string | null {
  const match = /^([^:]{2,40}):\s/.exec(title);
  const name = match?.[1]?.trim();
  return name && name.split(/\s+/).length <= 4 ? name : null;
}

/** Family of a short name: its key words without version numbers ("HunyuanVideo 1.5" → "hunyuanvideo"). */
export function familyOf(name: string): string {
  return keyWords(name)
    .map((w) => w.replace(/\d+(?:\.\d+)*$/, ""))
    .filter((w) => /[a-z]/.test(w))
    .join("");
}

/** What one version of a paper contributes to `papers` JSONB. */
export interface PaperEntry {
  arxiv_id: string;
  version: number;
  title: string;
  url: string;
  pdf_url: string | null;
  published_at: string;
  updated_at: string;
  authors: string[];
  github_repos: string[];
}

/** GitHub "owner/repo" (lower-case) linked from the abstract or comment. */
export function linkedRepos(paper: Pick<ArxivPaper, "summary" | "comment">): string[] {
  const text = `${paper.summary} ${paper.comment ?? ""}`;
  const repos = [...text.matchAll(/github\.com\/([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+)/g)].map((m) =>
    (m[1] as string).replace(/\.git$|[.]+$/g, "").toLowerCase(),
  );
  return [...new Set(repos)];
}

const canonicalAbs = (arxivId: string) => `https://arxiv.org/abs/${arxivId}`;

function entryOf(paper: ArxivPaper): PaperEntry {
  return {
    arxiv_id: paper.arxiv_id,
    version: paper.version,
    title: paper.title,
    url: `${canonicalAbs(paper.arxiv_id)}v${paper.version}`,
    pdf_url: paper.pdf_url,
    published_at: paper.published,
    updated_at: paper.updated,
    authors: paper.authors.slice(0, 20),
    github_repos: linkedRepos(paper),
  };
}

// ---------------------------------------------------------------- fetching

export interface FetchArxivOptions extends ArxivSearchOptions {
  /** The arXiv client (ResearchSources.arxiv). */
  source: ArxivSource;
}

/**
 * One arXiv search, all pages; malformed entries are skipped (and counted by the source). A page that
 * failed is thrown: a plain list of papers has no way to say it is incomplete.
 */
export async function fetchArxivPapers(query: string, options: FetchArxivOptions): Promise<ArxivPaper[]> {
  const { source, ...search } = options;
  const batch = await source.search(query, search);
  const failed = batch.problems?.find(isFailure);
  if (failed) throw new UpstreamError(failed.message, "arxiv");
  return batch.records;
}

// ---------------------------------------------------------------- the database

interface TechniqueRow {
  technique_id: string;
  name: string;
  description: string | null;
  source_url: string | null;
  papers: PaperEntry[] | null;
  related_tools: string[] | null;
  status: string | null;
  relevance: number | null;
}

interface ToolRef {
  tool_id: string;
  status: string;
  aliases: string[];
  sources: string[];
}

const compact = (s: string) => s.toLowerCase().replace(/[^a-z0-9.]+/g, "");

async function loadToolRefs(db: Queryable): Promise<ToolRef[]> {
  const { rows } = await db.query<{
    tool_id: string;
    name: string;
    vendor: string | null;
    status: string;
    sources: string[] | null;
    api_integration: { model_id?: string | null } | null;
  }>("SELECT tool_id, name, vendor, status, sources, api_integration FROM tools");
  return rows.map((row) => {
    const vendorWord = row.vendor?.toLowerCase().split(/\s+/)[0] ?? "";
    const aliases = new Set<string>();
    for (const alternative of row.name.replace(/\([^)]*\)/g, " ").split(" / ")) {
      aliases.add(compact(alternative));
      const words = alternative.trim().split(/\s+/);
      if (vendorWord && words[0]?.toLowerCase() === vendorWord)
        aliases.add(compact(words.slice(1).join(" ")));
    }
    if (row.api_integration?.model_id) aliases.add(toolKey(row.api_integration.model_id, "id"));
    // Short aliases ("ray2", "veo3") would match inside unrelated words once spaces are gone.
    const usable = [...aliases].filter((a) => a.length >= 5 && /[a-z]/.test(a));
    return { tool_id: row.tool_id, status: row.status, aliases: usable, sources: row.sources ?? [] };
  });
}

function relatedTools(tools: ToolRef[], arxivId: string, title: string, summary: string): string[] {
  const text = compact(`${title} ${summary}`);
  const cite = new RegExp(
    `arxiv\\.org/(?:abs|pdf)/${arxivId.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?:v\\d+)?(?:\\.pdf)?$`,
  );
  return tools
    .filter(
      (t) =>
        t.aliases.some((a) => text.includes(a)) || t.sources.some((u) => cite.test(u.split(" ")[0] ?? "")),
    )
    .map((t) => t.tool_id)
    .sort();
}

interface Technique {
  id: string;
  name: string;
  short: string | null;
  description: string;
  source_url: string;
  papers: PaperEntry[];
  related: string[];
  status: SotaStatus;
  relevance: number;
}

const WORDS = /[a-z0-9][a-z0-9.+-]*/g;

/** Status per technique from the whole set (see the module comment). */
function statuses(
  techniques: Technique[],
  tools: ToolRef[],
  now: Date,
  repoStars: Record<string, number>,
): Map<string, SotaStatus> {
  const windowStart = now.getTime() - TRENDING_WINDOW_DAYS * 86_400_000;
  const inWindow = (iso: string) => {
    const t = Date.parse(iso);
    return t >= windowStart && t <= now.getTime();
  };
  const published = (t: Technique) => t.papers[0]?.published_at ?? "";

  const families = new Map<string, Technique[]>();
  for (const t of techniques) {
    const family = t.short ? familyOf(t.short) : "";
    if (family.length >= 2) families.set(family, [...(families.get(family) ?? []), t]);
  }
  const latestOf = new Map<string, string>();
  for (const [family, members] of families) latestOf.set(family, members.map(published).sort().at(-1) ?? "");

  // Mentions: recent papers whose words include another technique's one-word short name.
  const recent = techniques.filter((t) => inWindow(published(t)));
  const mentionCount = new Map<string, number>();
  for (const t of recent) {
    const words = new Set(`${t.papers[0]?.title ?? ""} ${t.description}`.toLowerCase().match(WORDS) ?? []);
    for (const word of words) mentionCount.set(word, (mentionCount.get(word) ?? 0) + 1);
  }

  const inStack = new Set(
    tools.filter((t) => t.status === "available" || t.status === "self_hosted").map((t) => t.tool_id),
  );
  const result = new Map<string, SotaStatus>();
  for (const t of techniques) {
    const family = t.short ? familyOf(t.short) : "";
    const latest = latestOf.get(family);
    if (latest && (families.get(family)?.length ?? 0) > 1 && published(t) < latest) {
      result.set(t.id, "superseded");
      continue;
    }
    if (t.related.some((id) => inStack.has(id))) {
      result.set(t.id, "adopted");
      continue;
    }
    const versions = t.papers.filter((p) => inWindow(p.updated_at)).length;
    const shortWord = t.short?.toLowerCase();
    const ownWords = new Set(`${t.papers[0]?.title ?? ""} ${t.description}`.toLowerCase().match(WORDS) ?? []);
    const mentions =
      shortWord && /^[a-z0-9][a-z0-9.+-]*$/.test(shortWord) && shortWord.length >= 3
        ? (mentionCount.get(shortWord) ?? 0) - (inWindow(published(t)) && ownWords.has(shortWord) ? 1 : 0)
        : 0;
    const stars = Math.max(0, ...t.papers.flatMap((p) => p.github_repos.map((r) => repoStars[r] ?? 0)));
    result.set(
      t.id,
      versions + mentions >= TRENDING_MIN_ACTIVITY || stars >= TRENDING_MIN_STARS ? "trending" : "new",
    );
  }
  return result;
}

export interface UpdateSotaOptions {
  now?: Date;
  /** Stars per GitHub "owner/repo" (lower-case), e.g. discoverApis' github_stars. */
  repoStars?: Record<string, number>;
  /** Default RELEVANCE_BAR. */
  relevanceBar?: number;
}

export interface SotaUpdate {
  changes: ToolStackChange[];
  inserted: number;
  /** Existing techniques whose versions, related tools or status changed. */
  updated: number;
}

/**
 * Papers → sota_techniques. New papers are inserted; a newer arXiv version is appended to `papers`;
 * related tools and statuses are recomputed for every stored technique. Returns a `new_sota` change
 * for each newly inserted technique at or above the relevance bar. Idempotent: the same papers again
 * change nothing and return no changes.
 */
export async function updateSotaDatabase(
  db: Queryable,
  papers: readonly ArxivPaper[],
  options: UpdateSotaOptions = {},
): Promise<ToolStackChange[]> {
  return (await updateSotaDatabaseDetailed(db, papers, options)).changes;
}

/** updateSotaDatabase with counts (for research_runs). */
export async function updateSotaDatabaseDetailed(
  db: Queryable,
  papers: readonly ArxivPaper[],
  options: UpdateSotaOptions = {},
): Promise<SotaUpdate> {
  const now = options.now ?? new Date();
  const bar = options.relevanceBar ?? RELEVANCE_BAR;
  const tools = await loadToolRefs(db);

  // Newest version of each paper in this batch.
  const incoming = new Map<string, ArxivPaper>();
  for (const p of papers) {
    const seen = incoming.get(p.arxiv_id);
    if (!seen || p.version > seen.version) incoming.set(p.arxiv_id, p);
  }

  const { rows } = await db.query<TechniqueRow>(
    "SELECT technique_id, name, description, source_url, papers, related_tools, status, relevance FROM sota_techniques",
  );
  const before = new Map(rows.map((r) => [r.technique_id, r]));
  const techniques = new Map<string, Technique>();
  for (const r of rows) {
    const entries = Array.isArray(r.papers) ? r.papers : [];
    const title = entries.at(-1)?.title ?? r.name;
    techniques.set(r.technique_id, {
      id: r.technique_id,
      name: r.name,
      short: shortName(title),
      description: r.description ?? "",
      source_url: r.source_url ?? "",
      papers: entries,
      related: r.related_tools ?? [],
      status: (SOTA_STATUSES as readonly string[]).includes(r.status ?? "")
        ? (r.status as SotaStatus)
        : "new",
      relevance: r.relevance ?? relevanceScore(title, r.description ?? ""),
    });
  }

  const inserted = new Set<string>();
  for (const paper of incoming.values()) {
    const id = techniqueId(paper.arxiv_id);
    const known = techniques.get(id);
    if (!known) {
      inserted.add(id);
      techniques.set(id, {
        id,
        name: shortName(paper.title) ?? paper.title,
        short: shortName(paper.title),
        description: paper.summary,
        source_url: canonicalAbs(paper.arxiv_id),
        papers: [entryOf(paper)],
        related: [],
        status: "new",
        relevance: relevanceScore(paper.title, paper.summary),
      });
    } else if (!known.papers.some((e) => e.version >= paper.version)) {
      known.papers = [...known.papers, entryOf(paper)];
      known.description = paper.summary;
      known.short = shortName(paper.title);
      known.relevance = relevanceScore(paper.title, paper.summary);
    }
  }

  for (const t of techniques.values()) {
    const arxivId = t.id.replace(/^arxiv:/, "");
    t.related = relatedTools(tools, arxivId, t.papers.at(-1)?.title ?? t.name, t.description);
  }
  const status = statuses([...techniques.values()], tools, now, options.repoStars ?? {});
  for (const t of techniques.values()) t.status = status.get(t.id) ?? "new";

  let updated = 0;
  for (const t of techniques.values()) {
    if (inserted.has(t.id)) {
      await db.query(
        `INSERT INTO sota_techniques (technique_id, name, description, source_url, papers, related_tools, status, relevance)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6::text[], $7, $8)
         ON CONFLICT (technique_id) DO NOTHING`,
        [
          t.id,
          t.name,
          t.description,
          t.source_url,
          JSON.stringify(t.papers),
          t.related,
          t.status,
          t.relevance,
        ],
      );
      continue;
    }
    const old = before.get(t.id);
    if (
      old &&
      old.status === t.status &&
      (old.papers?.length ?? 0) === t.papers.length &&
      JSON.stringify(old.related_tools ?? []) === JSON.stringify(t.related) &&
      old.relevance === t.relevance
    )
      continue;
    updated += 1;
    await db.query(
      `UPDATE sota_techniques SET name = $2, description = $3, papers = $4::jsonb, related_tools = $5::text[],
         status = $6, relevance = $7, updated_at = now()
       WHERE technique_id = $1`,
      [t.id, t.name, t.description, JSON.stringify(t.papers), t.related, t.status, t.relevance],
    );
  }

  const changes: ToolStackChange[] = [...inserted]
    .map((id) => techniques.get(id) as Technique)
    .filter((t) => t.relevance >= bar)
    .sort((a, b) => b.relevance - a.relevance || a.id.localeCompare(b.id))
    .map((t) => ({
      kind: "new_sota",
      technique_id: t.id,
      title: t.papers.at(-1)?.title ?? t.name,
      url: t.source_url,
      relevance: t.relevance,
    }));
  return { changes, inserted: inserted.size, updated };
}

// ---------------------------------------------------------------- one tracking pass

export interface SotaTrackingDeps {
  sources: Pick<ResearchSources, "arxiv">;
  db: Queryable;
  now?: Date;
  /** Searches to run; default ARXIV_QUERIES. */
  queries?: readonly string[];
  /** Papers per query. Default 100. */
  maxPerQuery?: number;
  /** max_results per arXiv request. Default 100. */
  pageSize?: number;
  repoStars?: Record<string, number>;
}

export interface SotaTrackingResult {
  changes: ToolStackChange[];
  errors: ({ source: "arxiv" } & SourceProblem)[];
  counts: {
    arxiv_papers: number;
    malformed_items: number;
    techniques_new: number;
    techniques_updated: number;
  };
}

/**
 * Every query in turn (arXiv asks for one connection), then one database update with all papers.
 * A failing query (or page of one) is reported and the papers already fetched are still stored.
 */
export async function trackSotaTechniques(deps: SotaTrackingDeps): Promise<SotaTrackingResult> {
  const papers: ArxivPaper[] = [];
  const errors: SotaTrackingResult["errors"] = [];
  let malformed = 0;
  for (const query of deps.queries ?? Object.values(ARXIV_QUERIES)) {
    try {
      const batch = await deps.sources.arxiv.search(query, {
        maxResults: deps.maxPerQuery ?? 100,
        pageSize: deps.pageSize ?? 100,
      });
      papers.push(...batch.records);
      malformed += batch.skipped;
      const problems = batch.problems ?? [];
      errors.push(...problems.map((problem) => ({ source: "arxiv" as const, ...problem })));
      // A page that failed after the HTTP client's retries: arXiv is failing, as when a query fails.
      if (problems.some(isFailure)) break;
    } catch (error) {
      errors.push({ source: "arxiv", message: errorMessage(error) });
      break;
    }
  }
  const update = await updateSotaDatabaseDetailed(deps.db, papers, {
    now: deps.now,
    repoStars: deps.repoStars,
  });
  return {
    changes: update.changes,
    errors,
    counts: {
      arxiv_papers: new Set(papers.map((p) => p.arxiv_id)).size,
      malformed_items: malformed,
      techniques_new: update.inserted,
      techniques_updated: update.updated,
    },
  };
}
