/**
 * The real Bolt app in HTTP mode on a Fastify server, the production service in template mode, and
 * the fake Slack Web API; requests are signed as Slack signs them. Helpers build the payloads Slack
 * sends (slash command forms, block_actions, view_submission, events) and read what was posted.
 */
import type { WebClientOptions } from "@slack/web-api";
import Fastify, { type FastifyInstance } from "fastify";
import type { StructuredLlm } from "../../../src/agents/llm.js";
import type { SlackBot } from "../../../src/bots/slack/index.js";
import { createSlackBot, signSlackRequest } from "../../../src/bots/slack/index.js";
import type { Db } from "../../../src/db/db.js";
import { createProductionService, type ProductionRunner } from "../../../src/production/index.js";
import type { ProductionServiceWithAdmin } from "../../../src/production/service.js";
import { FAKE_TEAM, type FakeSlack, type SlackCall, startFakeSlack } from "../../fakes/slack.js";

export const SIGNING_SECRET = "test-signing-secret";
export const CHANNEL = "C0CHANNEL1";
export const OWNER = "U0OWNER01";
export const STRANGER = "U0STRANGER";

export interface Harness {
  slack: FakeSlack;
  fastify: FastifyInstance;
  bot: SlackBot;
  service: ProductionServiceWithAdmin;
  runner: ProductionRunner;
  url: string;
  /** Waits for generation and for every resulting Slack update. */
  settle(): Promise<void>;
  /** Stops the bot, the service and the server; the fake Slack too unless `keepSlack` (a restart). */
  close(options?: { keepSlack?: boolean }): Promise<void>;
}

export interface HarnessOptions {
  runResearch?: () => Promise<never>;
  /** The model the stages call (default none: template mode). */
  llm?: StructuredLlm | null;
  /** Reuse this fake Slack (a restart on the same workspace); close() then leaves it open. */
  slack?: FakeSlack;
  /** Web API client overrides (default: no retries). */
  clientOptions?: WebClientOptions;
}

export async function startHarness(db: Db, options: HarnessOptions = {}): Promise<Harness> {
  const ownsSlack = !options.slack;
  const slack = options.slack ?? (await startFakeSlack());
  slack.users.set(OWNER, { display_name: "Ana" });
  slack.users.set(STRANGER, { display_name: "Stranger" });
  const { service, runner } = createProductionService({
    db,
    llm: options.llm ?? null,
    leaseMs: 2000,
    sweepIntervalMs: 0,
    retry: { attempts: 1, baseDelayMs: 10 },
  });
  const fastify = Fastify();
  const bot = createSlackBot({
    botToken: "xoxb-test",
    signingSecret: SIGNING_SECRET,
    apiUrl: slack.apiUrl,
    fastify,
    db,
    service,
    postIntervalMs: 0,
    clientOptions: options.clientOptions ?? { retryConfig: { retries: 0 } },
    ...(options.runResearch ? { runResearch: options.runResearch } : {}),
  });
  const url = await fastify.listen({ port: 0, host: "127.0.0.1" });
  await bot.start();
  const settle = async () => {
    // Generation causes events, and handling events never causes more generation: two rounds suffice.
    for (let i = 0; i < 2; i++) {
      await runner.idle();
      await bot.idle();
    }
  };
  return {
    slack,
    fastify,
    bot,
    service,
    runner,
    url,
    settle,
    async close({ keepSlack = false } = {}) {
      await bot.stop();
      await runner.stop();
      await fastify.close();
      if (ownsSlack && !keepSlack) await slack.close();
      // Whatever the test did, Slack would have accepted every block and view the bot sent.
      const refused = slack.calls.filter((c) => /\((invalid_blocks|invalid_arguments)\)$/.test(c.method));
      if (refused.length > 0)
        throw new Error(
          `Slack would refuse ${refused.length} payload(s): ${JSON.stringify(refused.map((c) => [c.method, c.response?.errors]))}`,
        );
    },
  };
}

// ---- signed requests ----

export interface SendOptions {
  /** Sign with this secret instead (a forged request). */
  secret?: string;
  /** Unix seconds to sign with (stale requests). */
  timestamp?: number;
  headers?: Record<string, string>;
}

export async function postSigned(
  h: Pick<Harness, "url">,
  body: string,
  contentType: string,
  options: SendOptions = {},
): Promise<{ status: number; body: string; ms: number }> {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const started = performance.now();
  const res = await fetch(`${h.url}/slack/events`, {
    method: "POST",
    headers: {
      "content-type": contentType,
      "x-slack-request-timestamp": timestamp,
      "x-slack-signature": signSlackRequest(options.secret ?? SIGNING_SECRET, timestamp, body),
      ...options.headers,
    },
    body,
  });
  const text = await res.text();
  return { status: res.status, body: text, ms: performance.now() - started };
}

let triggers = 0;
export const newTrigger = () => `${Date.now()}.${++triggers}.trigger`;

export function slashBody(command: string, text: string, user = OWNER, trigger = newTrigger()): string {
  return new URLSearchParams({
    token: "verification-token",
    team_id: FAKE_TEAM.id,
    team_domain: FAKE_TEAM.domain,
    channel_id: CHANNEL,
    channel_name: "video",
    user_id: user,
    user_name: user.toLowerCase(),
    command,
    text,
    api_app_id: "A0APP",
    response_url: "https://hooks.slack.invalid/commands/1",
    trigger_id: trigger,
  }).toString();
}

export const slash = (h: Harness, command: string, text: string, user = OWNER, options: SendOptions = {}) =>
  postSigned(h, slashBody(command, text, user), "application/x-www-form-urlencoded", options);

export function interaction(h: Harness, payload: unknown, options: SendOptions = {}) {
  return postSigned(
    h,
    new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
    "application/x-www-form-urlencoded",
    options,
  );
}

let actionCount = 0;

/** A button click on a message in the production's thread. */
export function clickBody(actionId: string, message: { ts: string; thread_ts?: string }, user = OWNER) {
  const actionTs = `${Math.floor(Date.now() / 1000)}.${String(++actionCount).padStart(6, "0")}`;
  return {
    type: "block_actions",
    api_app_id: "A0APP",
    token: "verification-token",
    trigger_id: newTrigger(),
    user: { id: user, username: user.toLowerCase(), team_id: FAKE_TEAM.id },
    team: { id: FAKE_TEAM.id, domain: FAKE_TEAM.domain },
    channel: { id: CHANNEL, name: "video" },
    container: { type: "message", channel_id: CHANNEL, message_ts: message.ts, is_ephemeral: false },
    message: {
      type: "message",
      ts: message.ts,
      ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
    },
    response_url: "https://hooks.slack.invalid/actions/1",
    actions: [
      {
        type: "button",
        action_id: actionId,
        block_id: "b1",
        value: actionId,
        action_ts: actionTs,
        text: { type: "plain_text", text: "x" },
      },
    ],
  };
}

/** A modal submission with Slack's view.state shape; `values` by block id (= field id). */
export function submissionBody(
  view: { callback_id: string; private_metadata?: string; id?: string },
  values: Record<string, string | { option: string } | { date: string }>,
  user = OWNER,
) {
  const state: Record<string, Record<string, unknown>> = {};
  for (const [field, v] of Object.entries(values)) {
    state[field] =
      typeof v === "string"
        ? { [field]: { type: "plain_text_input", value: v } }
        : "option" in v
          ? {
              [field]: {
                type: "static_select",
                selected_option: { value: v.option, text: { type: "plain_text", text: v.option } },
              },
            }
          : { [field]: { type: "datepicker", selected_date: v.date } };
  }
  return {
    type: "view_submission",
    api_app_id: "A0APP",
    token: "verification-token",
    trigger_id: newTrigger(),
    team: { id: FAKE_TEAM.id, domain: FAKE_TEAM.domain },
    user: { id: user, username: user.toLowerCase(), team_id: FAKE_TEAM.id },
    view: {
      id: view.id ?? `V${Date.now()}${++actionCount}`,
      type: "modal",
      callback_id: view.callback_id,
      private_metadata: view.private_metadata ?? "",
      hash: "1.abc",
      state: { values: state },
    },
  };
}

export function eventBody(event: Record<string, unknown>, eventId: string) {
  return JSON.stringify({
    token: "verification-token",
    team_id: FAKE_TEAM.id,
    api_app_id: "A0APP",
    type: "event_callback",
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    event,
    authorizations: [{ team_id: FAKE_TEAM.id, user_id: "UBOT0001", is_bot: true }],
  });
}

// ---- reading what was posted ----

// biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON is walked freely in tests
type Block = any;

/** Every text in a message's blocks, joined (what a person would read). */
export function blockText(blocks: Block[] | undefined): string {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      if (typeof o.text === "string") out.push(o.text);
      for (const [k, x] of Object.entries(o)) if (k !== "text" || typeof x !== "string") walk(x);
    }
  };
  walk(blocks ?? []);
  return out.join("\n");
}

/** Buttons (label → action id) of a message. */
export function buttons(blocks: Block[] | undefined): Map<string, string> {
  const found = new Map<string, string>();
  for (const b of blocks ?? [])
    if (b.type === "actions")
      for (const e of b.elements) if (e.type === "button") found.set(e.text.text, e.action_id);
  return found;
}

/** The newest post (or update) whose text matches. */
export function lastPost(
  slack: FakeSlack,
  match: RegExp,
  method = "chat.postMessage",
): SlackCall | undefined {
  return slack
    .callsTo(method)
    .findLast((c) => match.test(String(c.args.text)) || match.test(blockText(c.args.blocks)));
}

export const waitFor = async <T>(
  probe: () => T | undefined | Promise<T | undefined>,
  ms = 5000,
): Promise<T> => {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() > until) throw new Error("waitFor: timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
};
