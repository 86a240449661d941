/**
 * A fake Discord on 127.0.0.1: the REST API (under /api/v10) and the gateway (WebSocket), enough for
 * the real discord.js client. Point DISCORD_API_URL at `fake.apiUrl`; discord.js then finds the
 * gateway through GET /gateway/bot.
 *
 * REST: interaction callbacks, webhook follow-ups and edits (the interaction token), channel messages,
 * threads from a message (the thread's id is the message's, one thread a message, as on Discord), command
 * registration (bulk overwrite PUT). A channel message sent with a nonce and enforce_nonce comes back as
 * the message made before with that nonce, not a second one. Every call is recorded (method,
 * path without the /api/v10 prefix, body; multipart bodies as payload_json + file names and text).
 * Gateway: HELLO, heartbeat ACK, IDENTIFY → READY + GUILD_CREATE, and INTERACTION_CREATE dispatches
 * sent by the test (`slash`, `submitModal`, `click`, `choose`). Reconnects as Discord does them: op 7
 * RECONNECT (`reconnect`) or a dropped connection (`dropConnection`) → the client RESUMEs and gets the
 * dispatches it missed, then RESUMED; op 9 INVALID_SESSION (`invalidateSession`) → it IDENTIFYs afresh
 * and what it missed is lost. Interaction callbacks are accepted once per interaction (a second one is
 * 400 "already acknowledged", 40060), as Discord does.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { type WebSocket, WebSocketServer } from "ws";

/** A request or message body as the bot sent it: arbitrary JSON that tests dig into. */
// biome-ignore lint/suspicious/noExplicitAny: bodies are whatever the bot sent; tests assert on their shape.
export type Json = any;

export interface RecordedCall {
  method: string;
  /** e.g. /channels/123/messages (no /api/v10). */
  path: string;
  body: Json;
  /** Attachments of a multipart request, with their content as text. */
  files: { name: string; text: string }[];
  /** performance.now() when the request arrived. */
  at: number;
  status: number;
}

export interface FakeMessage {
  id: string;
  channel_id: string;
  /** The latest body the bot posted or edited it to. */
  body: Json;
  /** How the bot created it. */
  via: "channel" | "webhook" | "original";
  /** Ephemeral (flags 64): only the clicker sees it. */
  ephemeral: boolean;
}

export interface FakeUser {
  id: string;
  username: string;
  /** Member permissions as Discord sends them (a decimal bit string); Manage Messages is 8192. */
  permissions?: string;
}

export interface SentInteraction {
  id: string;
  token: string;
  /** performance.now() when it was dispatched. */
  sentAt: number;
}

const EPOCH = 1_420_070_400_000n;
let increment = 0n;
/** A Discord snowflake for now: its timestamp is what discord.js reads as createdAt. */
export function snowflake(at = Date.now()): string {
  increment = (increment + 1n) % 4096n;
  return String(((BigInt(at) - EPOCH) << 22n) | increment);
}

export interface FakeDiscord {
  apiUrl: string;
  applicationId: string;
  guildId: string;
  channelId: string;
  botUser: FakeUser;
  calls: RecordedCall[];
  messages: Map<string, FakeMessage>;
  /** Threads created: thread id (= the message's id) → parent channel, message and name. */
  threads: Map<string, { parent: string; message: string; name: string }>;
  identified: number;
  /** RESUMEs the fake accepted (and answered with the missed dispatches and RESUMED). */
  resumed: number;
  /** Sends op 7 RECONNECT: the client closes, reconnects to resume_gateway_url and RESUMEs. */
  reconnect(): void;
  /** Drops every gateway connection without a close frame (a network failure); the client RESUMEs. */
  dropConnection(): void;
  /** Sends op 9 INVALID_SESSION (not resumable): the client must IDENTIFY again. */
  invalidateSession(): void;
  /** Resolves once the client has a live session again (READY or RESUMED after `count` of them). */
  sessionsReady(count: number, timeoutMs?: number): Promise<void>;
  slash(
    name: string,
    options: Record<string, string | number>,
    /** `dm`: sent from a direct message with the bot (no guild, no member), as an old registration allows. */
    opts?: { user?: FakeUser; subcommand?: string; dm?: boolean },
  ): SentInteraction;
  submitModal(
    customId: string,
    values: Record<string, string>,
    opts?: { user?: FakeUser; channelId?: string; message?: FakeMessage },
  ): SentInteraction;
  click(customId: string, opts: { message: FakeMessage; user?: FakeUser }): SentInteraction;
  choose(customId: string, value: string, opts: { message: FakeMessage; user?: FakeUser }): SentInteraction;
  /** Dispatches the same interaction again (as a gateway resume may replay it). */
  redeliver(interaction: SentInteraction): void;
  /** Resolves with the callback call of this interaction once it arrives. */
  callbackOf(interaction: SentInteraction, timeoutMs?: number): Promise<RecordedCall>;
  /** Every webhook request with this token (or all tokens) answers 401 Invalid Webhook Token from now on. */
  expireTokens(token?: string): void;
  /**
   * The next `times` requests matching `method` and `path` get this status and JSON body instead
   * (e.g. 403 {code: 50013} Missing Permissions, or 429 {retry_after} with its headers). `lost`: the
   * request is carried out all the same, only its answer is replaced (a 502 from a proxy, a timeout).
   */
  failNext(method: string, path: RegExp, answer: FailureAnswer, times?: number): void;
  close(): Promise<void>;
}

export interface FailureAnswer {
  status: number;
  body: Json;
  headers?: Record<string, string>;
  lost?: boolean;
}

export const starter: FakeUser = { id: "400000000000000001", username: "ana", permissions: "3072" };
export const stranger: FakeUser = { id: "400000000000000002", username: "bo", permissions: "3072" };
export const moderator: FakeUser = { id: "400000000000000003", username: "mod", permissions: "11264" };

async function readBody(req: IncomingMessage): Promise<{ body: Json; files: RecordedCall["files"] }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const type = req.headers["content-type"] ?? "";
  if (raw.length === 0) return { body: null, files: [] };
  if (type.startsWith("multipart/form-data")) {
    const form = await new Request("http://fake/", {
      method: "POST",
      headers: { "content-type": type },
      body: raw,
    }).formData();
    const files: RecordedCall["files"] = [];
    let body: Json = null;
    for (const [key, value] of form.entries()) {
      if (key === "payload_json") body = JSON.parse(String(value));
      else if (typeof value !== "string") files.push({ name: value.name, text: await value.text() });
    }
    return { body, files };
  }
  return { body: JSON.parse(raw.toString("utf8")), files: [] };
}

export async function startFakeDiscord(): Promise<FakeDiscord> {
  const applicationId = "300000000000000001";
  const guildId = "300000000000000002";
  const channelId = "300000000000000003";
  const botUser: FakeUser = { id: applicationId, username: "Greenlight" };
  const calls: RecordedCall[] = [];
  const messages = new Map<string, FakeMessage>();
  const threads = new Map<string, { parent: string; message: string; name: string }>();
  /** Interaction token → the channel it was used in, its original response, whether it was answered. */
  const tokens = new Map<
    string,
    { channelId: string; original?: string; component?: string; acknowledged?: boolean }
  >();
  const expired = new Set<string>();
  let expireAll = false;
  const waiters = new Map<string, (call: RecordedCall) => void>();
  const registered = new Map<string, string>();
  const sockets = new Set<WebSocket>();
  const dispatched = new Map<string, unknown>();
  const failures: Array<{ method: string; path: RegExp; answer: FailureAnswer; times: number }> = [];
  /** `<channel>:<nonce>` → the message first sent with it (enforce_nonce). */
  const nonces = new Map<string, FakeMessage>();
  let seq = 0;
  /** The one gateway session (a single shard): its id, and every dispatch it was sent, for RESUME. */
  let session: { id: string; log: { t: string; s: number; d: unknown }[] } | null = null;
  /** READY or RESUMED sent so far. */
  let sessionStarts = 0;
  const fake = { identified: 0, resumed: 0 } as FakeDiscord;

  const userJson = (u: FakeUser) => ({
    id: u.id,
    username: u.username,
    global_name: u.username,
    discriminator: "0",
    avatar: null,
    bot: u === botUser,
  });
  const messageJson = (m: FakeMessage) => ({
    id: m.id,
    channel_id: m.channel_id,
    author: userJson(botUser),
    content: m.body?.content ?? "",
    embeds: m.body?.embeds ?? [],
    components: m.body?.components ?? [],
    attachments: [],
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    pinned: false,
    type: 0,
    flags: m.ephemeral ? 64 : 0,
    webhook_id: m.via === "channel" ? undefined : applicationId,
  });
  const create = (channel: string, body: Json, via: FakeMessage["via"]): FakeMessage => {
    const m: FakeMessage = {
      id: snowflake(),
      channel_id: channel,
      body,
      via,
      ephemeral: ((body?.flags ?? 0) & 64) !== 0,
    };
    messages.set(m.id, m);
    return m;
  };

  async function route(method: string, path: string, body: Json): Promise<[number, unknown]> {
    const hit = (verb: string | null, pattern: RegExp) =>
      verb === null || method === verb ? path.match(pattern) : null;
    if (method === "GET" && path === "/gateway/bot")
      return [
        200,
        {
          url: wsUrl,
          shards: 1,
          session_start_limit: { total: 1000, remaining: 1000, reset_after: 14_400_000, max_concurrency: 1 },
        },
      ];
    if (method === "GET" && path === "/users/@me") return [200, userJson(botUser)];
    const callback = hit("POST", /^\/interactions\/(\d+)\/([^/]+)\/callback$/);
    if (callback) {
      const token = callback[2]!;
      const state = tokens.get(token);
      if (!state) return [404, { message: "Unknown interaction", code: 10062 }];
      if (state.acknowledged)
        return [400, { message: "Interaction has already been acknowledged.", code: 40060 }];
      state.acknowledged = true;
      // After an update (6, 7) of a component's message, @original is that message.
      if ((body?.type === 6 || body?.type === 7) && state.component) state.original = state.component;
      if (body?.type === 4 || body?.type === 5) {
        const original = create(state.channelId, body.data ?? {}, "original");
        state.original = original.id;
      }
      return [204, null];
    }
    const webhook = hit(null, /^\/webhooks\/(\d+)\/([^/]+)(\/messages\/([^/]+))?$/);
    if (webhook) {
      const token = webhook[2]!;
      if (expireAll || expired.has(token)) return [401, { message: "Invalid Webhook Token", code: 50027 }];
      const state = tokens.get(token);
      if (!state) return [404, { message: "Unknown Webhook", code: 10015 }];
      const target = webhook[4] === undefined ? undefined : decodeURIComponent(webhook[4]);
      if (method === "POST" && !target) return [200, messageJson(create(state.channelId, body, "webhook"))];
      if (method === "PATCH" && target) {
        const id = target === "@original" ? state.original : target;
        let message = id ? messages.get(id) : undefined;
        if (!message) {
          message = create(state.channelId, body, "original");
          state.original = message.id;
        }
        message.body = { ...message.body, ...body };
        return [200, messageJson(message)];
      }
    }
    const thread = hit("POST", /^\/channels\/(\d+)\/messages\/(\d+)\/threads$/);
    if (thread) {
      const id = thread[2]!;
      if (threads.has(id))
        return [400, { message: "A thread has already been created for this message", code: 160004 }];
      threads.set(id, { parent: thread[1]!, message: thread[2]!, name: body?.name });
      return [
        201,
        { id, type: 11, guild_id: guildId, parent_id: thread[1], name: body?.name, owner_id: applicationId },
      ];
    }
    const post = hit("POST", /^\/channels\/(\d+)\/messages$/);
    if (post) {
      const key = body?.enforce_nonce && body.nonce !== undefined ? `${post[1]}:${body.nonce}` : null;
      const made = (key && nonces.get(key)) || create(post[1]!, body, "channel");
      if (key) nonces.set(key, made);
      return [200, messageJson(made)];
    }
    const edit = hit("PATCH", /^\/channels\/(\d+)\/messages\/(\d+)$/);
    if (edit) {
      const message = messages.get(edit[2]!);
      if (!message || message.channel_id !== edit[1])
        return [404, { message: "Unknown Message", code: 10008 }];
      message.body = { ...message.body, ...body };
      return [200, messageJson(message)];
    }
    const commands = hit("PUT", /^\/applications\/(\d+)(\/guilds\/(\d+))?\/commands$/);
    if (commands) {
      const list = (body as { name: string }[]).map((c) => {
        const key = `${commands[3] ?? "global"}:${c.name}`;
        if (!registered.has(key)) registered.set(key, snowflake());
        return { ...c, id: registered.get(key), application_id: applicationId, version: "1" };
      });
      return [200, list];
    }
    return [404, { message: `fake Discord has no ${method} ${path}`, code: 0 }];
  }

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const at = performance.now();
    const url = new URL(req.url ?? "/", "http://fake");
    const path = url.pathname.replace(/^\/api(\/v\d+)?/, "");
    let status = 500;
    let payload: unknown = { message: "fake failed" };
    let call: RecordedCall | undefined;
    try {
      const { body, files } = await readBody(req);
      call = { method: req.method ?? "GET", path, body, files, at, status: 0 };
      calls.push(call);
      const failure = failures.find((f) => f.times > 0 && f.method === call!.method && f.path.test(path));
      if (failure) {
        failure.times -= 1;
        if (failure.answer.lost) await route(call.method, path, body);
        call.status = failure.answer.status;
        res
          .writeHead(failure.answer.status, { "content-type": "application/json", ...failure.answer.headers })
          .end(JSON.stringify(failure.answer.body));
        return;
      }
      [status, payload] = await route(call.method, path, body);
      call.status = status;
    } catch (err) {
      payload = { message: String(err) };
    }
    if (status === 204) res.writeHead(204).end();
    else res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(payload));
    const m = path.match(/^\/interactions\/(\d+)\//);
    if (m && call) waiters.get(m[1]!)?.(call);
  });
  const wss = new WebSocketServer({ server });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const wsUrl = `ws://127.0.0.1:${port}`;

  const send = (ws: WebSocket, payload: object) => ws.send(JSON.stringify(payload));
  /** A dispatch of the session: sent to the connected client, kept for a RESUME if none is connected. */
  const dispatch = (t: string, d: unknown) => {
    seq += 1;
    session?.log.push({ t, s: seq, d });
    for (const ws of sockets) send(ws, { op: 0, t, s: seq, d });
  };
  const started = () => {
    sessionStarts += 1;
    for (const waiter of [...sessionWaiters]) waiter();
  };
  const sessionWaiters = new Set<() => void>();
  wss.on("connection", (ws) => {
    sockets.add(ws);
    ws.on("close", () => sockets.delete(ws));
    send(ws, { op: 10, d: { heartbeat_interval: 41_250 } });
    ws.on("message", (raw) => {
      const packet = JSON.parse(String(raw)) as { op: number; d: unknown };
      if (packet.op === 1) send(ws, { op: 11 });
      if (packet.op === 2) {
        fake.identified += 1;
        session = { id: randomBytes(8).toString("hex"), log: [] };
        dispatch("READY", {
          v: 10,
          user: userJson(botUser),
          guilds: [{ id: guildId, unavailable: true }],
          session_id: session.id,
          resume_gateway_url: wsUrl,
          shard: [0, 1],
          application: { id: applicationId, flags: 0 },
        });
        dispatch("GUILD_CREATE", guildJson());
        started();
      }
      if (packet.op === 6) {
        const { session_id, seq: last } = packet.d as { session_id: string; seq: number };
        // An unknown session cannot be resumed: Discord says so with op 9 (d: false).
        if (!session || session.id !== session_id) return send(ws, { op: 9, d: false });
        fake.resumed += 1;
        for (const missed of session.log.filter((e) => e.s > last)) send(ws, { op: 0, ...missed });
        dispatch("RESUMED", {});
        started();
      }
    });
  });

  const guildJson = () => ({
    id: guildId,
    name: "Creators",
    icon: null,
    owner_id: starter.id,
    roles: [
      {
        id: guildId,
        name: "@everyone",
        permissions: "3072",
        position: 0,
        color: 0,
        hoist: false,
        managed: false,
        mentionable: false,
        flags: 0,
      },
    ],
    emojis: [],
    stickers: [],
    features: [],
    channels: [
      { id: channelId, type: 0, name: "videos", guild_id: guildId, position: 0, permission_overwrites: [] },
    ],
    threads: [],
    members: [],
    presences: [],
    voice_states: [],
    member_count: 1,
    large: false,
    unavailable: false,
    joined_at: new Date().toISOString(),
    premium_tier: 0,
    system_channel_flags: 0,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    mfa_level: 0,
    nsfw_level: 0,
    preferred_locale: "en-US",
  });

  const channelJson = (id: string) =>
    threads.has(id)
      ? {
          id,
          type: 11,
          guild_id: guildId,
          parent_id: threads.get(id)!.parent,
          name: threads.get(id)!.name,
          thread_metadata: {
            archived: false,
            auto_archive_duration: 10080,
            archive_timestamp: new Date().toISOString(),
            locked: false,
          },
        }
      : { id, type: 0, guild_id: guildId, name: "videos", position: 0, permission_overwrites: [] };

  function interaction(
    type: number,
    data: object,
    channel: string,
    user: FakeUser,
    extra: { message?: { id: string } } = {},
    dm = false,
  ): SentInteraction {
    const id = snowflake();
    const token = `tok_${randomBytes(12).toString("hex")}`;
    tokens.set(token, { channelId: channel, component: extra.message?.id });
    const sentAt = performance.now();
    // In a DM Discord sends `user` instead of `member`, no guild, and context 1 (BOT_DM).
    const where = dm
      ? {
          channel_id: channel,
          channel: { id: channel, type: 1, recipients: [userJson(user)] },
          user: userJson(user),
          authorizing_integration_owners: { "0": guildId },
          context: 1,
        }
      : {
          guild_id: guildId,
          channel_id: channel,
          channel: channelJson(channel),
          member: {
            user: userJson(user),
            roles: [],
            permissions: user.permissions ?? "3072",
            joined_at: new Date().toISOString(),
            deaf: false,
            mute: false,
            nick: null,
            flags: 0,
          },
          guild_locale: "en-US",
          authorizing_integration_owners: { "0": guildId },
          context: 0,
        };
    const payload = {
      id,
      application_id: applicationId,
      type,
      data,
      ...where,
      token,
      version: 1,
      app_permissions: "2251799813685247",
      locale: "en-US",
      entitlements: [],
      ...extra,
    };
    dispatched.set(id, payload);
    dispatch("INTERACTION_CREATE", payload);
    return { id, token, sentAt };
  }

  Object.assign(fake, {
    apiUrl: `http://127.0.0.1:${port}/api`,
    applicationId,
    guildId,
    channelId,
    botUser,
    calls,
    messages,
    threads,
    slash(name, options, opts = {}) {
      const list = Object.entries(options).map(([k, v]) => ({
        name: k,
        type: typeof v === "number" ? 4 : 3,
        value: v,
      }));
      const data = {
        id: registered.get(`${guildId}:${name}`) ?? snowflake(),
        name,
        type: 1,
        options: opts.subcommand ? [{ name: opts.subcommand, type: 1, options: list }] : list,
      };
      const user = opts.user ?? starter;
      // A DM channel's id is its own snowflake; one per person is enough here.
      if (opts.dm) return interaction(2, data, `5${user.id.slice(1)}`, user, {}, true);
      return interaction(2, data, channelId, user);
    },
    submitModal(customId, values, opts = {}) {
      const components = Object.entries(values).map(([id, value]) => ({
        type: 1,
        components: [{ type: 4, custom_id: id, value }],
      }));
      const channel = opts.channelId ?? opts.message?.channel_id ?? channelId;
      return interaction(
        5,
        { custom_id: customId, components },
        channel,
        opts.user ?? starter,
        opts.message ? { message: messageJson(opts.message) } : {},
      );
    },
    click(customId, opts) {
      return interaction(
        3,
        { custom_id: customId, component_type: 2 },
        opts.message.channel_id,
        opts.user ?? starter,
        { message: messageJson(opts.message) },
      );
    },
    choose(customId, value, opts) {
      return interaction(
        3,
        { custom_id: customId, component_type: 3, values: [value] },
        opts.message.channel_id,
        opts.user ?? starter,
        { message: messageJson(opts.message) },
      );
    },
    reconnect() {
      for (const ws of sockets) send(ws, { op: 7, d: null });
    },
    dropConnection() {
      // Gone at once: what is dispatched from now on waits in the session for a RESUME.
      for (const ws of [...sockets]) {
        sockets.delete(ws);
        ws.terminate();
      }
    },
    invalidateSession() {
      session = null;
      for (const ws of sockets) send(ws, { op: 9, d: false });
    },
    sessionsReady(count, timeoutMs = 15_000) {
      if (sessionStarts >= count) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          sessionWaiters.delete(check);
          reject(new Error(`the client started ${sessionStarts} of ${count} gateway sessions`));
        }, timeoutMs);
        const check = () => {
          if (sessionStarts < count) return;
          clearTimeout(timer);
          sessionWaiters.delete(check);
          resolve();
        };
        sessionWaiters.add(check);
      });
    },
    redeliver(sent) {
      dispatch("INTERACTION_CREATE", dispatched.get(sent.id));
    },
    callbackOf(sent, timeoutMs = 5000) {
      const done = calls.find((c) => c.path.startsWith(`/interactions/${sent.id}/`));
      if (done) return Promise.resolve(done);
      return new Promise<RecordedCall>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no callback for interaction ${sent.id} in ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.set(sent.id, (call) => {
          clearTimeout(timer);
          waiters.delete(sent.id);
          resolve(call);
        });
      });
    },
    expireTokens(token) {
      if (token) expired.add(token);
      else expireAll = true;
    },
    failNext(method, path, answer, times = 1) {
      failures.push({ method, path, answer, times });
    },
    async close() {
      for (const ws of sockets) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  } satisfies Omit<FakeDiscord, "identified" | "resumed">);
  return fake;
}
