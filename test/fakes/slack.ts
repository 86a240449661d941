import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import { messageBlockProblems, viewProblems } from "./slack-blocks.js";

/**
 * A loopback stand-in for Slack: the Web API methods the bot calls (POST /api/<method>, form-encoded
 * or JSON as @slack/web-api sends them), the external file-upload URL, and a Socket Mode WebSocket
 * (apps.connections.open hands out its URL). Every call is recorded with its parsed arguments.
 */

export interface SlackCall {
  method: string;
  // biome-ignore lint/suspicious/noExplicitAny: call arguments are asserted on freely in tests
  args: Record<string, any>;
  token: string | null;
  /** What the fake answered (ts of a post, view id …). */
  // biome-ignore lint/suspicious/noExplicitAny: asserted on freely in tests
  response?: Record<string, any>;
}

export interface FakeSlackUser {
  name?: string;
  display_name?: string;
  is_admin?: boolean;
  is_owner?: boolean;
}

export interface FakeSlack {
  /** Web API base, ends with "/" (SLACK_API_URL / clientOptions.slackApiUrl). */
  apiUrl: string;
  calls: SlackCall[];
  /** The ts of each chat.postMessage, in the order of callsTo("chat.postMessage"). */
  readonly postTs: string[];
  /** Calls of one method, in order. */
  callsTo(method: string): SlackCall[];
  /** Bodies received at the external upload URL, by file id. */
  uploads: Map<string, string>;
  /** users.info answers; unknown users are plain members named after their id. */
  users: Map<string, FakeSlackUser>;
  /** Answer the next call to `method` with HTTP 429 and this Retry-After (seconds). */
  rateLimitNext(method: string, retryAfterSeconds: number): void;
  /** Answer the next `times` calls to `method` with `{ ok: false, error }` (e.g. channel_not_found); 0 stops. */
  failNext(method: string, error: string, times?: number): void;
  /** Answer every chat.* call to `channel` with `{ ok: false, error }` (the bot is not in it); null stops. */
  refuseChannel(channel: string, error: string | null): void;
  /** Socket Mode: connections made to the fake WebSocket. */
  readonly socketConnections: number;
  /** Sends an envelope over the newest Socket Mode connection; resolves with the app's ack payload. */
  sendEnvelope(type: string, payload: unknown, options?: { timeoutMs?: number }): Promise<unknown>;
  close(): Promise<void>;
}

export const FAKE_TEAM = { id: "T0001", domain: "greenlight-test" };
export const FAKE_BOT = { user_id: "UBOT0001", bot_id: "B0001" };

export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: SlackCall[] = [];
  const uploads = new Map<string, string>();
  const users = new Map<string, FakeSlackUser>();
  const limited = new Map<string, number>();
  const failing = new Map<string, { error: string; times: number }>();
  const refused = new Map<string, string>();
  const sockets = new Set<Socket>();
  const connections: WebSocket[] = [];
  const waitingAcks = new Map<string, (payload: unknown) => void>();
  let seq = 0;
  let socketCount = 0;
  const base = Math.floor(Date.now() / 1000);
  const nextTs = () => `${base}.${String(++seq).padStart(6, "0")}`;
  let url = "";

  function answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case "auth.test":
        return {
          url: `https://${FAKE_TEAM.domain}.slack.com/`,
          team: "Greenlight Test",
          user: "greenlight",
          team_id: FAKE_TEAM.id,
          user_id: FAKE_BOT.user_id,
          bot_id: FAKE_BOT.bot_id,
          is_enterprise_install: false,
        };
      case "chat.postMessage": {
        const ts = nextTs();
        return {
          channel: args.channel,
          ts,
          message: {
            type: "message",
            text: args.text,
            ts,
            ...(args.thread_ts ? { thread_ts: args.thread_ts } : {}),
          },
        };
      }
      case "chat.update":
        return { channel: args.channel, ts: args.ts, text: args.text };
      case "chat.postEphemeral":
        return { message_ts: nextTs() };
      case "chat.getPermalink":
        return {
          channel: args.channel,
          permalink: `https://${FAKE_TEAM.domain}.slack.com/archives/${args.channel}/p${String(args.message_ts).replace(".", "")}`,
        };
      case "views.open":
      case "views.update":
      case "views.publish":
        return { view: { id: `V${String(++seq).padStart(8, "0")}`, ...(args.view as object) } };
      case "users.info": {
        const id = String(args.user);
        const u = users.get(id) ?? {};
        return {
          user: {
            id,
            team_id: FAKE_TEAM.id,
            name: u.name ?? id.toLowerCase(),
            real_name: u.display_name ?? id,
            is_admin: u.is_admin ?? false,
            is_owner: u.is_owner ?? false,
            profile: { display_name: u.display_name ?? "", real_name: u.display_name ?? id },
          },
        };
      }
      case "files.getUploadURLExternal": {
        const fileId = `F${String(++seq).padStart(8, "0")}`;
        return { upload_url: `${url}upload/${fileId}`, file_id: fileId };
      }
      case "files.completeUploadExternal": {
        const files = JSON.parse(String(args.files ?? "[]")) as Array<{ id: string; title?: string }>;
        return { files: files.map((f) => ({ id: f.id, title: f.title ?? "", name: f.title ?? "" })) };
      }
      case "apps.connections.open":
        return { url: `${url.replace(/^http/, "ws")}socket` };
      default:
        return {};
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://fake").pathname;
    const raw = await readBody(req);
    if (path.startsWith("/upload/")) {
      uploads.set(path.slice("/upload/".length), raw);
      calls.push({ method: "upload", args: { file_id: path.slice(8), body: raw }, token: null });
      res.writeHead(200, { "content-type": "text/plain" }).end(`OK - ${raw.length}`);
      return;
    }
    if (!path.startsWith("/api/")) {
      res.writeHead(404).end();
      return;
    }
    const method = path.slice("/api/".length);
    const args = parseArgs(raw, String(req.headers["content-type"] ?? ""));
    const auth = String(req.headers.authorization ?? "");
    const token = auth.startsWith("Bearer ")
      ? auth.slice(7)
      : typeof args.token === "string"
        ? args.token
        : null;
    const wait = limited.get(method);
    if (wait !== undefined) {
      limited.delete(method);
      calls.push({ method: `${method} (429)`, args, token });
      res.writeHead(429, { "retry-after": String(wait), "content-type": "application/json" });
      res.end(JSON.stringify({ ok: false, error: "ratelimited" }));
      return;
    }
    const failure = failing.get(method);
    const refusal = method.startsWith("chat.") ? refused.get(String(args.channel)) : undefined;
    if (failure || refusal) {
      const error = refusal ?? (failure as { error: string }).error;
      if (!refusal && failure && --failure.times <= 0) failing.delete(method);
      calls.push({ method: `${method} (${error})`, args, token });
      return sendJson(res, { ok: false, error });
    }
    // Blocks or a view Slack would refuse are refused here too, with the reasons.
    const invalid = refusedPayload(method, args);
    if (invalid) {
      calls.push({ method: `${method} (${invalid.error})`, args, token, response: invalid });
      return sendJson(res, { ok: false, ...invalid });
    }
    const call: SlackCall = { method, args, token };
    calls.push(call);
    if (!token) return sendJson(res, { ok: false, error: "not_authed" });
    call.response = { ok: true, ...answer(method, args) };
    sendJson(res, call.response);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent) res.writeHead(500).end(err.message);
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  const wss = new WebSocketServer({ server, path: "/socket" });
  wss.on("connection", (ws) => {
    socketCount += 1;
    connections.push(ws);
    ws.on("message", (data) => {
      const message = JSON.parse(String(data)) as { envelope_id?: string; payload?: unknown };
      if (message.envelope_id) waitingAcks.get(message.envelope_id)?.(message.payload ?? {});
    });
    ws.send(JSON.stringify({ type: "hello", num_connections: 1, debug_info: { host: "fake" } }));
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  url = `http://127.0.0.1:${port}/`;

  return {
    apiUrl: `${url}api/`,
    calls,
    callsTo: (method) => calls.filter((c) => c.method === method),
    get postTs() {
      return calls.filter((c) => c.method === "chat.postMessage").map((c) => String(c.response?.ts));
    },
    uploads,
    users,
    rateLimitNext(method, seconds) {
      limited.set(method, seconds);
    },
    refuseChannel(channel, error) {
      if (error) refused.set(channel, error);
      else refused.delete(channel);
    },
    failNext(method, error, times = 1) {
      if (times > 0) failing.set(method, { error, times });
      else failing.delete(method);
    },
    get socketConnections() {
      return socketCount;
    },
    sendEnvelope(type, payload, options = {}) {
      const ws = connections.findLast((c) => c.readyState === c.OPEN);
      if (!ws) return Promise.reject(new Error("no Socket Mode connection is open"));
      const envelopeId = `env-${++seq}`;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waitingAcks.delete(envelopeId);
          reject(new Error(`envelope ${envelopeId} was not acknowledged`));
        }, options.timeoutMs ?? 3000);
        waitingAcks.set(envelopeId, (ack) => {
          clearTimeout(timer);
          waitingAcks.delete(envelopeId);
          resolve(ack);
        });
        ws.send(
          JSON.stringify({
            envelope_id: envelopeId,
            type,
            payload,
            accepts_response_payload: type !== "events_api",
          }),
        );
      });
    },
    async close() {
      for (const c of connections) c.terminate();
      wss.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Slack's refusal of a message's blocks or a view that breaks Block Kit's rules, or null. */
function refusedPayload(
  method: string,
  args: Record<string, unknown>,
): { error: string; errors: string[] } | null {
  if (/^chat\.(postMessage|update|postEphemeral)$/.test(method) && args.blocks !== undefined) {
    const errors = messageBlockProblems(args.blocks);
    return errors.length > 0 ? { error: "invalid_blocks", errors } : null;
  }
  if (/^views\.(open|update|push|publish)$/.test(method)) {
    const errors = viewProblems(args.view);
    return errors.length > 0 ? { error: "invalid_arguments", errors } : null;
  }
  return null;
}

/** Form fields as Slack's client sends them: objects and arrays JSON-encoded (blocks, view, files). */
function parseArgs(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.includes("application/json"))
    return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    args[key] =
      (key === "blocks" || key === "view" || key === "attachments") && value ? JSON.parse(value) : value;
  }
  return args;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function sendJson(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
}
