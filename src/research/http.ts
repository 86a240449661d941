import { setTimeout as defaultSleep } from "node:timers/promises";
import { errorMessage, UpstreamError } from "../domain/errors.js";
import { parseRetryAfter } from "../domain/retry-after.js";

/**
 * The one polite HTTP client every research source and provider adapter uses (global fetch, Node 20):
 * - a minimum interval between request starts per client (arXiv asks for one request every 3 s);
 * - a rate-limited reply (see `rateLimitWaitMs`) is waited out and retried; when the wait is longer than
 *   `maxRetryAfterMs` the request fails at once, naming when to come back (asking again early is what
 *   gets a client banned, GitHub warns);
 * - 5xx, 429 without a wait, network errors, timeouts and bodies cut off are retried with exponential
 *   backoff;
 * - any other 4xx fails at once (retrying a bad request or a bad token does not help);
 * - failures are UpstreamError naming the source and the status. Header values (tokens) never appear
 *   in an error message; nothing is logged here.
 */
export interface HttpClientOptions {
  /** Base URL; a request path is appended to it ("" = the base URL itself). */
  baseUrl: string;
  /** Name used in errors, e.g. "arxiv"; default: the base URL's host. */
  source?: string;
  /** Sent with every request (auth, Accept, User-Agent …). */
  headers?: Record<string, string>;
  /** Least time between the starts of two requests from this client. Default 0. */
  minIntervalMs?: number;
  /** Retries after the first attempt. Default 3. */
  retries?: number;
  /** First backoff; doubles on each retry (capped at `maxBackoffMs`). Default 500. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /**
   * Longest rate-limit wait honoured; a longer one fails the request at once. Default 65 s: GitHub's
   * search limit resets every minute, and a reset time is rounded to whole seconds.
   */
  maxRetryAfterMs?: number;
  /** Per attempt. Default 30 s. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Injected for tests; default setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  /** Injected for tests (HTTP-date Retry-After is relative to it); default Date.now. */
  now?: () => number;
}

export type QueryValue = string | number | boolean | undefined | null | readonly (string | number)[];

export interface HttpRequest {
  query?: Record<string, QueryValue>;
  method?: "GET" | "POST" | "DELETE";
  /** JSON body (POST). */
  json?: unknown;
  headers?: Record<string, string>;
}

export interface HttpResponse {
  status: number;
  url: string;
  headers: Headers;
  text: string;
}

export interface HttpClient {
  readonly source: string;
  readonly baseUrl: string;
  /** `path` is appended to the base URL, or an absolute URL on the base URL's origin (pagination links). */
  request(path: string, init?: HttpRequest): Promise<HttpResponse>;
  getText(path: string, query?: Record<string, QueryValue>): Promise<HttpResponse>;
  /** Parsed JSON body; a body that is not JSON is an UpstreamError (not transient). */
  getJson<T = unknown>(
    path: string,
    query?: Record<string, QueryValue>,
  ): Promise<{ body: T; response: HttpResponse }>;
}

/** Retries after a refused connection or a timeout (the host is down or silent). */
const MAX_UNREACHABLE_RETRIES = 1;

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const base = new URL(options.baseUrl);
  const source = options.source ?? base.host;
  const doFetch = options.fetch ?? globalThis.fetch;
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const retries = options.retries ?? 3;
  const backoffMs = options.backoffMs ?? 500;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 65_000;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const minIntervalMs = options.minIntervalMs ?? 0;

  // Requests from one client start one at a time, `minIntervalMs` apart: a chain of "slots".
  let slotChain: Promise<void> = Promise.resolve();
  let lastStart = Number.NEGATIVE_INFINITY;
  const takeSlot = (): Promise<void> => {
    const slot = slotChain.then(async () => {
      const wait = lastStart + minIntervalMs - now();
      if (wait > 0) await sleep(wait);
      lastStart = now();
    });
    slotChain = slot.catch(() => undefined);
    return slot;
  };

  const resolveUrl = (path: string, query?: Record<string, QueryValue>): URL => {
    let url: URL;
    if (/^https?:\/\//i.test(path)) {
      url = new URL(path);
      // Pagination links come from the server; never send our headers (tokens) to another origin.
      if (url.origin !== base.origin)
        throw new UpstreamError(
          `${source}: refusing to follow a link to another host (${url.host})`,
          source,
          false,
        );
    } else {
      const root = base.href.replace(/\/+$/, "");
      url = new URL(path === "" ? root : `${root}/${path.replace(/^\/+/, "")}`);
      for (const [key, value] of base.searchParams)
        if (!url.searchParams.has(key)) url.searchParams.set(key, value);
    }
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined || value === null) continue;
      if (Array.isArray(value)) for (const v of value) url.searchParams.append(key, String(v));
      else url.searchParams.set(key, String(value));
    }
    return url;
  };

  const backoff = (attempt: number) => Math.min(maxBackoffMs, backoffMs * 2 ** attempt);
  // Errors name the path, never the query string or headers.
  const where = (url: URL) => `${url.pathname}`;

  async function request(path: string, init: HttpRequest = {}): Promise<HttpResponse> {
    const url = resolveUrl(path, init.query);
    const headers: Record<string, string> = { ...options.headers, ...init.headers };
    let body: string | undefined;
    if (init.json !== undefined) {
      body = JSON.stringify(init.json);
      headers["Content-Type"] ??= "application/json";
    }
    let lastProblem = "";
    // A host that is down or silent fails the same way again: one retry, not `retries`, so a run with
    // every source down ends in seconds (a timeout alone costs `timeoutMs` per try).
    let unreachableTries = 0;
    let attempts = 0;
    for (let attempt = 0; attempt <= retries; attempt += 1) {
      attempts = attempt + 1;
      await takeSlot();
      let response: Response;
      let text: string;
      try {
        response = await doFetch(url, {
          method: init.method ?? "GET",
          headers,
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        // Read inside the try: a server that stalls or drops the connection mid-body fails like one
        // that never answered (the timeout covers the body too), not with a bare fetch error.
        text = await response.text();
      } catch (error) {
        const timedOut = (error as Error)?.name === "TimeoutError";
        lastProblem = timedOut
          ? `no answer within ${timeoutMs} ms`
          : `network error (${networkCause(error)})`;
        unreachableTries += 1;
        if (unreachableTries > MAX_UNREACHABLE_RETRIES) break;
        if (attempt < retries) await sleep(backoff(attempt));
        continue;
      }
      // The URL actually answered (after redirects): a relative pagination link is relative to it.
      if (response.ok)
        return { status: response.status, url: response.url || url.href, headers: response.headers, text };
      const detail = excerpt(text);
      lastProblem = `HTTP ${response.status}${detail ? `: ${detail}` : ""}`;
      const wait = rateLimitWaitMs(response.status, response.headers, text, now());
      if (wait !== null && wait > maxRetryAfterMs)
        throw new UpstreamError(
          `${source}: rate limited until ${new Date(now() + wait).toISOString()}; ${lastProblem} (${where(url)})`,
          source,
          true,
        );
      const retryable = wait !== null || response.status === 429 || response.status >= 500;
      if (!retryable) throw new UpstreamError(`${source}: ${lastProblem} (${where(url)})`, source, false);
      if (attempt < retries) await sleep(wait ?? backoff(attempt));
    }
    throw new UpstreamError(
      `${source}: ${lastProblem} (${where(url)}; gave up after ${attempts} attempt${attempts === 1 ? "" : "s"})`,
      source,
      true,
    );
  }

  return {
    source,
    baseUrl: options.baseUrl,
    request,
    getText: (path, query) => request(path, { query }),
    async getJson<T>(path: string, query?: Record<string, QueryValue>) {
      const response = await request(path, { query });
      try {
        return { body: JSON.parse(response.text) as T, response };
      } catch {
        throw new UpstreamError(
          `${source}: the reply is not JSON (${new URL(response.url).pathname})`,
          source,
          false,
        );
      }
    },
  };
}

/** A short, single-line excerpt of an error body (servers often explain a 4xx there). */
function excerpt(body: string): string {
  const text = body.replace(/\s+/g, " ").trim();
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

/** undici says "fetch failed" and keeps the reason (ECONNREFUSED, ENOTFOUND …) in `cause`. */
function networkCause(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } })?.cause;
  if (typeof cause?.code === "string") return cause.code;
  if (typeof cause?.message === "string" && cause.message) return cause.message;
  return errorMessage(error);
}

/** GitHub: "otherwise, wait for at least one minute before retrying" a secondary rate limit. */
const UNSPECIFIED_RATE_LIMIT_WAIT_MS = 60_000;

/**
 * How long a reply asks us to wait before asking again, or null when it is not a rate limit:
 * - 403, 429 or 503 with Retry-After (delta seconds or an HTTP date);
 * - 403 or 429 with `x-ratelimit-remaining: 0`: until `x-ratelimit-reset` (UTC epoch seconds) — GitHub's
 *   primary rate limit, which it may answer with either status;
 * - a 429 with an IETF `RateLimit` header (`"api";r=0;t=55`, Hugging Face): `t` seconds, until the
 *   window resets;
 * - a 403 whose body says "rate limit" with neither header (GitHub's secondary rate limit): a minute.
 * Other 403s (a token without access) are not rate limits and are not retried; a 429 with no wait
 * stated is retried with the usual backoff.
 */
export function rateLimitWaitMs(
  status: number,
  headers: Headers,
  body: string,
  nowMs: number,
): number | null {
  if (status !== 403 && status !== 429 && status !== 503) return null;
  const retryAfter = parseRetryAfter(headers.get("retry-after"), nowMs);
  if (retryAfter !== null) return retryAfter;
  if (status === 503) return null;
  if (headers.get("x-ratelimit-remaining")?.trim() === "0") {
    const reset = Number(headers.get("x-ratelimit-reset"));
    // One extra second: the reset time is rounded down to whole seconds.
    if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - nowMs) + 1000;
    return UNSPECIFIED_RATE_LIMIT_WAIT_MS;
  }
  const resetIn = /(?:^|;)\s*t=(\d+)/.exec(headers.get("ratelimit") ?? "")?.[1];
  if (status === 429 && resetIn !== undefined) return Number(resetIn) * 1000;
  if (status === 403 && /rate limit/i.test(body)) return UNSPECIFIED_RATE_LIMIT_WAIT_MS;
  return null;
}
