import { setTimeout as sleep } from "node:timers/promises";
import type { AIMessage, BaseMessageLike } from "@langchain/core/messages";
import { toJsonSchema } from "@langchain/core/utils/json_schema";
import { ChatOpenAICompletions } from "@langchain/openai";
import type { z } from "zod";
import type { Config } from "../config.js";
import { type FieldProblem, UpstreamError, ValidationError } from "../domain/errors.js";
import { problemsOf } from "../domain/parse.js";
import { parseRetryAfter } from "../domain/retry-after.js";
import { addUsage, type TokenUsage } from "../domain/usage.js";
import type { LlmRequest, LlmResult, StructuredLlm } from "./llm.js";

/**
 * The OpenAI-compatible implementation of StructuredLlm (@langchain/openai against any base URL).
 *
 * How to shape a schema an agent sends here (`LlmRequest.schema`):
 * - With `jsonSchema` the request uses `response_format: json_schema` with `strict: true`. OpenAI's
 *   strict mode rejects a schema (HTTP 400, surfaced as UpstreamError) unless every object property is
 *   listed in `required` and objects are closed. So: make every field required, write "may be absent"
 *   as `.nullable()`, and do not use `.optional()` or `.default()` in LLM-facing schemas; fill defaults
 *   in code after parsing. Plain `z.object` is fine (it is sent closed).
 * - Keep value constraints (`.min()`, `.max()`, enums) in zod: some servers ignore them in the JSON
 *   Schema, but our own parse enforces them and the re-ask tells the model what to fix.
 * - `functionCalling` sends the same JSON Schema as a forced tool (not strict); `jsonMode` only asks for
 *   a JSON object, so the system prompt must describe the fields.
 */

export type StructuredMethod = "jsonSchema" | "functionCalling" | "jsonMode";

export interface LlmOptions {
  /** No key → `null`: agents use their template generators. Never logged or put in an error. */
  apiKey?: string;
  /** OpenAI-compatible base URL ending in /v1; defaults to OpenAI's. */
  baseUrl?: string;
  model: string;
  method: StructuredMethod;
  /** Bounds every HTTP call, response body included. */
  timeoutMs: number;
  /** Extra attempts after a 5xx, 429 or refused connection (not after a timeout). Default 1. */
  maxRetries?: number;
}

const OPENAI_BASE_URL = "https://api.openai.com/v1";
/** Pause before a retry, doubled per attempt: short, so a dead server fails fast. */
const RETRY_BACKOFF_MS = 250;
/** How many problems a ValidationError message lists before "…and N more". */
const MAX_REPORTED_PROBLEMS = 5;

export function llmFromConfig(
  config: Pick<
    Config,
    "OPENAI_API_KEY" | "OPENAI_BASE_URL" | "LLM_MODEL" | "LLM_STRUCTURED_METHOD" | "LLM_TIMEOUT_MS"
  >,
): StructuredLlm | null {
  return createLlm({
    apiKey: config.OPENAI_API_KEY,
    baseUrl: config.OPENAI_BASE_URL,
    model: config.LLM_MODEL,
    method: config.LLM_STRUCTURED_METHOD,
    timeoutMs: config.LLM_TIMEOUT_MS,
  });
}

export function createLlm(options: LlmOptions): StructuredLlm | null {
  if (!options.apiKey) return null;
  const { apiKey, model, method, timeoutMs } = options;
  const maxRetries = options.maxRetries ?? 1;
  const baseUrl = options.baseUrl ?? OPENAI_BASE_URL;
  const chat = new ChatCompletionsModel({
    apiKey,
    model,
    timeout: timeoutMs,
    // Retries are ours (see `call`): the library's own wait seconds between attempts and retry timeouts.
    maxRetries: 0,
    // Passing the URL explicitly also keeps the library from reading OPENAI_BASE_URL/LANGSMITH_* itself.
    configuration: { baseURL: baseUrl },
  });
  // Fail at start-up, not on the first production, when langchain refuses the method for this model
  // (it rejects jsonSchema for gpt-3*, gpt-4 and gpt-4-* names).
  try {
    chat.withStructuredOutput({ type: "object", properties: {} }, { method });
  } catch (err) {
    throw new Error(`LLM method ${method} cannot be used with model ${model}: ${(err as Error).message}`);
  }
  const server = describeServer(baseUrl);

  /** One request (retried on 5xx/429/refused) → the raw assistant message and what it cost, or an UpstreamError. */
  async function call(
    structured: ReturnType<typeof bindSchema>,
    messages: BaseMessageLike[],
    caller?: AbortSignal,
  ): Promise<{ message: AIMessage; spent: TokenUsage }> {
    for (let attempt = 0; ; attempt++) {
      // A caller that gave up (its stage timed out) gets its own reason back, not a model error.
      caller?.throwIfAborted();
      const deadline = AbortSignal.timeout(timeoutMs);
      try {
        const signal = caller ? AbortSignal.any([deadline, caller]) : deadline;
        const { raw } = await structured.invoke(messages, { signal });
        const message = raw as AIMessage;
        // Every HTTP call made counts, failed attempts included; only the answered one has tokens.
        return { message, spent: { ...tokensOf(message), calls: attempt + 1 } };
      } catch (err) {
        caller?.throwIfAborted();
        const failure = classify(err, deadline.aborted, { timeoutMs, server, apiKey });
        if (!failure.retry || attempt >= maxRetries) throw failure.error;
        // A server that says when to come back (429/503 Retry-After) is asked again then, unless that is
        // longer than a whole call may take: then the error says how long it asked for.
        const asked = retryAfterMs(err);
        if (asked !== null && asked > timeoutMs)
          throw new UpstreamError(
            `${failure.error.message} (it asks to retry in ${Math.ceil(asked / 1000)} s)`,
            "llm",
            true,
          );
        await sleep(asked ?? RETRY_BACKOFF_MS * 2 ** attempt, undefined, { signal: caller }).catch(() => {});
      }
    }
  }

  function bindSchema(name: string, schema: z.ZodType) {
    const jsonSchema = toJsonSchema(schema) as Record<string, unknown>;
    return chat.withStructuredOutput(jsonSchema, {
      name,
      method,
      includeRaw: true,
      // Strict is what makes OpenAI guarantee the shape; langchain only allows it for the schema methods.
      ...(method === "jsonSchema" ? { strict: true } : {}),
    });
  }

  return {
    model,
    async generate<S extends z.ZodType>(request: LlmRequest<S>): Promise<LlmResult<z.output<S>>> {
      // We hand langchain the JSON Schema, not the zod schema, and parse the raw reply ourselves: with a
      // zod schema a bad reply is thrown away inside the library (and retried as if the network had
      // failed), so we could neither count its tokens nor tell the model what to fix.
      const structured = bindSchema(request.name, request.schema);
      const messages: BaseMessageLike[] = [
        ["system", request.system],
        ["user", request.user],
      ];
      const first = await call(structured, messages, request.signal);
      const firstRead = readReply(replyText(first.message, method), request.schema);
      if (firstRead.ok) return { data: firstRead.data, usage: first.spent };

      // One re-ask, showing the model its reply and what was wrong with it.
      const retry = await call(
        structured,
        [
          ...messages,
          ["assistant", firstRead.text || "(empty reply)"],
          ["user", reaskPrompt(request.name, firstRead.problems)],
        ],
        request.signal,
      );
      const secondRead = readReply(replyText(retry.message, method), request.schema);
      if (secondRead.ok) return { data: secondRead.data, usage: addUsage(first.spent, retry.spent) };
      throw new ValidationError(
        firstProblems(secondRead.problems),
        `${request.name} from the model (${model}), even after one re-ask`,
      );
    },
  };
}

/**
 * ChatOpenAI's Chat Completions half, which every OpenAI-compatible server implements. (ChatOpenAI itself
 * switches some model names to the Responses API, which local servers lack.)
 */
class ChatCompletionsModel extends ChatOpenAICompletions {
  /**
   * For json_schema requests the OpenAI SDK JSON-parses the content inside the HTTP call and throws on bad
   * JSON, losing the reply and its usage. Marking the format as self-parsing with a parser that returns
   * null leaves the raw content to us (the invalid-JSON tests fail loudly if a future SDK ignores it).
   */
  protected override _getResponseFormat(format?: Parameters<ChatOpenAICompletions["_getResponseFormat"]>[0]) {
    const resolved = super._getResponseFormat(format);
    if (resolved?.type !== "json_schema") return resolved;
    const copy = { ...resolved };
    Object.defineProperties(copy, {
      $brand: { value: "auto-parseable-response-format", enumerable: false },
      $parseRaw: { value: () => null, enumerable: false },
    });
    return copy;
  }
}

type Read<T> = { ok: true; data: T } | { ok: false; text: string; problems: FieldProblem[] };

/** Parse the reply text as JSON and then with the request's schema, collecting field problems. */
function readReply<S extends z.ZodType>(text: string, schema: S): Read<z.output<S>> {
  let json: unknown;
  try {
    json = parseJsonReply(text);
  } catch (err) {
    const why =
      text.trim() === "" ? "the reply was empty" : `the reply is not valid JSON (${(err as Error).message})`;
    return { ok: false, text, problems: [{ field: "", message: why }] };
  }
  const result = schema.safeParse(json, { reportInput: true });
  if (result.success) return { ok: true, data: result.data };
  return { ok: false, text, problems: problemsOf(schema, result.error) };
}

/** Local models in JSON mode often wrap the object in a ```json fence; unwrapping saves a re-ask. */
function stripCodeFence(text: string): string {
  const fenced = /^\s*```[a-zA-Z]*\s*\n([\s\S]*?)\n?```\s*$/.exec(text);
  return fenced?.[1] ?? text;
}

/**
 * The reply as JSON. Models on a bad day wrap it in prose ("Sure! Here it is: {…} Hope that helps")
 * or put a fence after a sentence: when the whole text is not JSON, try the fenced block, then the
 * span from the first `{` to the last `}`. The first parse error is the one reported.
 */
function parseJsonReply(text: string): unknown {
  try {
    return JSON.parse(stripCodeFence(text));
  } catch (err) {
    const fenced = /```[a-zA-Z]*\s*\n([\s\S]*?)\n?```/.exec(text)?.[1];
    const start = text.indexOf("{");
    const end = text.lastIndexOf("}");
    const braces = start >= 0 && end > start ? text.slice(start, end + 1) : undefined;
    for (const candidate of [fenced, braces]) {
      if (candidate === undefined) continue;
      try {
        return JSON.parse(candidate);
      } catch {
        // try the next candidate
      }
    }
    throw err;
  }
}

/** The text that should hold the JSON: the forced tool call's arguments, else the message content. */
function replyText(message: AIMessage, method: StructuredMethod): string {
  if (method === "functionCalling") {
    const toolCalls = message.additional_kwargs?.tool_calls;
    const args = toolCalls?.[0]?.function?.arguments;
    if (typeof args === "string") return args;
  }
  const content = message.content;
  if (typeof content === "string") return content;
  return content
    .map((part) => (typeof part === "object" && "text" in part ? String(part.text) : ""))
    .join("");
}

function tokensOf(message: AIMessage): TokenUsage {
  const u = message.usage_metadata;
  const input = u?.input_tokens ?? 0;
  const output = u?.output_tokens ?? 0;
  return {
    calls: 0,
    input_tokens: input,
    output_tokens: output,
    total_tokens: u?.total_tokens ?? input + output,
  };
}

function reaskPrompt(name: string, problems: FieldProblem[]): string {
  const lines = firstProblems(problems).map((p) => `- ${p.field ? `${p.field}: ` : ""}${p.message}`);
  return [
    `Your previous reply for "${name}" could not be used:`,
    ...lines,
    "Reply again with only the corrected JSON object, fixing every problem listed and keeping everything else.",
  ].join("\n");
}

function firstProblems(problems: FieldProblem[]): FieldProblem[] {
  if (problems.length <= MAX_REPORTED_PROBLEMS) return problems;
  const more = problems.length - MAX_REPORTED_PROBLEMS;
  return [...problems.slice(0, MAX_REPORTED_PROBLEMS), { field: "", message: `…and ${more} more` }];
}

/**
 * Map whatever the client threw to an UpstreamError with a sentence a person can act on, and whether
 * another attempt is worth it: yes for 5xx, 429 and a refused/reset connection; not for a timeout (the
 * configured budget is the whole wait) nor for anything the server will answer the same way again.
 */
function classify(
  err: unknown,
  timedOut: boolean,
  context: { timeoutMs: number; server: string; apiKey: string },
): { error: UpstreamError; retry: boolean } {
  const e = err as { name?: string; status?: unknown; error?: { message?: unknown }; message?: unknown };
  const className = (err as object | null)?.constructor?.name ?? "";
  const clean = (text: string) => redact(text, context.apiKey).slice(0, 300);

  if (timedOut || e?.name === "TimeoutError" || className === "APIConnectionTimeoutError") {
    const message = `the model did not answer within ${context.timeoutMs} ms (${context.server})`;
    return { error: new UpstreamError(message, "llm"), retry: false };
  }
  if (typeof e?.status === "number") {
    const status = e.status;
    const detail = typeof e.error?.message === "string" ? e.error.message : String(e.message ?? "");
    const what =
      status === 401 || status === 403
        ? "rejected the API key"
        : status === 404
          ? "does not know this model or endpoint"
          : status === 429
            ? "is rate limiting us"
            : `returned ${status}`;
    const transient = status === 429 || status >= 500;
    const message = `the model server ${what} (HTTP ${status}): ${clean(detail)}`;
    return { error: new UpstreamError(message, "llm", transient), retry: transient };
  }
  if (className === "APIConnectionError") {
    const cause = (err as { cause?: { code?: unknown; cause?: { code?: unknown } } }).cause;
    const code = cause?.code ?? cause?.cause?.code;
    const why = typeof code === "string" ? code : "connection error";
    const message = `could not reach the model server at ${context.server} (${why})`;
    return { error: new UpstreamError(message, "llm"), retry: true };
  }
  if (err instanceof TypeError) {
    // The library read a 200 reply that is not a chat completion (no choices, no message, an HTML page).
    const message = `the model server at ${context.server} answered without a chat completion message (no choices); check that OPENAI_BASE_URL is an OpenAI-compatible /v1 endpoint`;
    return { error: new UpstreamError(message, "llm"), retry: true };
  }
  if (className === "LengthFinishReasonError") {
    const message = "the model's reply was cut off at its token limit";
    return { error: new UpstreamError(message, "llm", false), retry: false };
  }
  const message = `the model call failed: ${clean(String(e?.message ?? err))}`;
  return { error: new UpstreamError(message, "llm", false), retry: false };
}

/** The base URL without credentials or query, for messages. */
function describeServer(baseUrl: string): string {
  try {
    const url = new URL(baseUrl);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/$/, "")}`;
  } catch {
    return "the configured base URL";
  }
}

/** Servers echo keys back ("Incorrect API key provided: sk-…"); never let one into an error message. */
function redact(text: string, apiKey: string): string {
  return text
    .split(apiKey)
    .join("[redacted]")
    .replace(/\bsk-[A-Za-z0-9_*-]{4,}/g, "sk-[redacted]");
}

/** The Retry-After of an HTTP error, in ms, or null. */
function retryAfterMs(err: unknown): number | null {
  const headers = (err as { headers?: unknown } | null)?.headers;
  let value: string | null | undefined;
  if (headers instanceof Headers) value = headers.get("retry-after");
  else if (headers && typeof headers === "object")
    value = (headers as Record<string, string | undefined>)["retry-after"];
  return parseRetryAfter(value, Date.now());
}
