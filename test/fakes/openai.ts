import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/**
 * A loopback stand-in for an OpenAI-compatible server: just POST /v1/chat/completions, non-streaming,
 * which is all ChatOpenAI sends for structured output. Tests script each answer with `respond`.
 */

export interface FakeUsage {
  prompt_tokens: number;
  completion_tokens: number;
}

interface ReplyTiming {
  /** Wait this long before answering (on top of the server's `latencyMs`). */
  delayMs?: number;
}

export type FakeReply = ReplyTiming &
  (
    | {
        /** The structured object: sent as message content for response_format requests, as the arguments
         * of a tool call when the request has `tools`. */
        json: unknown;
        usage?: FakeUsage;
      }
    | {
        /** Raw text put where the structured reply goes (content, or tool-call arguments), e.g. bad JSON. */
        content: string;
        usage?: FakeUsage;
      }
    | {
        /** An HTTP error; `body` defaults to an OpenAI-style `{ error: { message, type } }`. */
        status: number;
        body?: unknown;
        /** Extra response headers, e.g. `{ "retry-after": "1" }`. */
        headers?: Record<string, string>;
      }
    | {
        /** Never answer (until `close()`), for timeout tests. */
        hang: true;
      }
  );

/** The parsed JSON body of one chat completion request. */
// biome-ignore lint/suspicious/noExplicitAny: request bodies are asserted on freely in tests
export type ChatRequest = Record<string, any>;

export type FakeHandler = (body: ChatRequest, callIndex: number) => FakeReply | Promise<FakeReply>;

export interface FakeOpenAI {
  /** Base URL to configure, e.g. "http://127.0.0.1:PORT/v1". */
  url: string;
  /** Every chat completion request body received, in order. */
  requests: ChatRequest[];
  /** Most requests that were being answered at the same moment (shows calls ran concurrently). */
  readonly maxInFlight: number;
  /** Requests open right now (a client that gave up has closed its request). */
  readonly inFlight: number;
  /** How to answer from now on: a fixed reply or a function of the request and its 0-based index. */
  respond(reply: FakeHandler | FakeReply): void;
  close(): Promise<void>;
}

export const DEFAULT_FAKE_USAGE: FakeUsage = { prompt_tokens: 11, completion_tokens: 7 };

export async function startFakeOpenAI(options: { latencyMs?: number } = {}): Promise<FakeOpenAI> {
  const requests: ChatRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let handler: FakeHandler = () => ({
    status: 500,
    body: errorBody("the fake has no reply set (call respond)"),
  });
  let completionCount = 0;
  let inFlight = 0;
  let maxInFlight = 0;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (ms <= 0) return resolve();
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://fake").pathname;
    if (req.method !== "POST" || path !== "/v1/chat/completions") {
      return sendJson(res, 404, errorBody(`the fake only serves POST /v1/chat/completions, not ${path}`));
    }
    let body: ChatRequest;
    try {
      body = JSON.parse(await readBody(req)) as ChatRequest;
    } catch {
      return sendJson(res, 400, errorBody("request body is not JSON"));
    }
    const callIndex = requests.length;
    requests.push(body);
    if (body.stream === true) return sendJson(res, 400, errorBody("the fake does not stream"));

    let reply: FakeReply;
    try {
      reply = await handler(body, callIndex);
    } catch (err) {
      return sendJson(res, 500, errorBody(`fake handler threw: ${(err as Error).message}`));
    }
    if ("hang" in reply) return; // leave the request open; close() destroys the socket
    await sleep((options.latencyMs ?? 0) + (reply.delayMs ?? 0));
    if (res.destroyed) return;
    if ("status" in reply) {
      return sendJson(
        res,
        reply.status,
        reply.body ?? errorBody(`fake error ${reply.status}`),
        reply.headers,
      );
    }
    const text = "json" in reply ? JSON.stringify(reply.json) : reply.content;
    completionCount += 1;
    sendJson(res, 200, completion(body, text, reply.usage ?? DEFAULT_FAKE_USAGE, completionCount));
  }

  const server = createServer((req, res) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on("close", () => {
      inFlight -= 1;
    });
    answer(req, res).catch((err: Error) => {
      if (!res.headersSent) sendJson(res, 500, errorBody(`fake failed: ${err.message}`));
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    get maxInFlight() {
      return maxInFlight;
    },
    get inFlight() {
      return inFlight;
    },
    respond(reply) {
      handler = typeof reply === "function" ? reply : () => reply;
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A realistic non-streaming chat.completion: the text as content, or as a tool call when tools were sent. */
function completion(body: ChatRequest, text: string, usage: FakeUsage, n: number) {
  const toolName: string | undefined = body.tool_choice?.function?.name ?? body.tools?.[0]?.function?.name;
  const message = toolName
    ? {
        role: "assistant",
        content: null,
        refusal: null,
        tool_calls: [
          { id: `call_fake_${n}`, type: "function", function: { name: toolName, arguments: text } },
        ],
      }
    : { role: "assistant", content: text, refusal: null };
  return {
    id: `chatcmpl-fake-${n}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: typeof body.model === "string" ? body.model : "fake-model",
    system_fingerprint: "fp_fake",
    choices: [{ index: 0, message, logprobs: null, finish_reason: toolName ? "tool_calls" : "stop" }],
    usage: {
      prompt_tokens: usage.prompt_tokens,
      completion_tokens: usage.completion_tokens,
      total_tokens: usage.prompt_tokens + usage.completion_tokens,
    },
  };
}

function errorBody(message: string) {
  return { error: { message, type: "fake_error", param: null, code: null } };
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
