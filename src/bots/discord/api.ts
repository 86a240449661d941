/**
 * The Discord REST calls the bot makes, over discord.js's REST client (which queues per route and
 * honours rate limits). Interaction callbacks and webhook calls go without the bot token
 * (`auth: false`): a 401 there means an expired interaction token, and must not make the REST client
 * forget the bot token.
 */
import { DiscordAPIError, HTTPError, RateLimitError, type REST, Routes } from "discord.js";
import type { DiscordMessage, DiscordModal } from "./render.js";

/** Interaction callback types (discord-api-types InteractionResponseType). */
export const CALLBACK = {
  reply: 4,
  deferReply: 5,
  deferUpdate: 6,
  modal: 9,
} as const;

/** An attachment sent with a message (multipart). */
export interface FileUpload {
  name: string;
  data: Buffer;
}

/** A message as the REST API returns it (the fields the bot reads). */
export interface PostedMessage {
  id: string;
  channel_id: string;
}

/** Where an interaction's follow-ups go: its token, valid for 15 minutes from its creation. */
export interface InteractionToken {
  id: string;
  token: string;
  /** When Discord created the interaction (from its snowflake id). */
  createdAt: number;
}

/** An interaction token lives 15 minutes; a little margin keeps a request from racing its expiry. */
export const TOKEN_LIFETIME_MS = 15 * 60 * 1000;
const TOKEN_MARGIN_MS = 30 * 1000;

export function tokenFresh(token: InteractionToken, now: number): boolean {
  return now - token.createdAt < TOKEN_LIFETIME_MS - TOKEN_MARGIN_MS;
}

/**
 * The webhook behind an interaction token is gone: 401 (Invalid Webhook Token, 50027) or
 * 404 Unknown Webhook (10015) / Unknown Interaction (10062).
 */
export function isExpiredToken(error: unknown): boolean {
  if (!(error instanceof DiscordAPIError)) return false;
  return error.status === 401 || error.code === 50027 || error.code === 10015 || error.code === 10062;
}

/**
 * A failure that may pass: Discord unavailable (5xx) or rate-limiting (429) beyond what discord.js
 * retried already, or the request timing out or losing its connection. Anything else (a 4xx) is an
 * answer, and asking again gets the same one.
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof DiscordAPIError) return error.status === 429;
  if (error instanceof HTTPError) return error.status >= 500;
  if (error instanceof RateLimitError) return true;
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code ?? (error.cause as { code?: unknown } | undefined)?.code;
  return (
    error.name === "AbortError" ||
    (typeof code === "string" && /^(ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|EAI_AGAIN|UND_ERR_)/.test(code))
  );
}

/** Discord's answer to a second thread from one message (discord-api-types 160004). */
const THREAD_ALREADY_CREATED = 160004;

function withFiles(message: DiscordMessage, files: FileUpload[]) {
  if (files.length === 0) return { body: message };
  return {
    body: { ...message, attachments: files.map((f, i) => ({ id: i, filename: f.name })) },
    files: files.map((f) => ({ name: f.name, data: f.data, contentType: "application/json" })),
  };
}

export class DiscordApi {
  constructor(
    readonly rest: REST,
    readonly applicationId: string,
  ) {}

  async callback(
    interaction: Pick<InteractionToken, "id" | "token">,
    type: number,
    data?: DiscordMessage | DiscordModal | { flags: number },
  ): Promise<void> {
    await this.rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
      body: data === undefined ? { type } : { type, data },
      auth: false,
    });
  }

  async editOriginal(
    token: string,
    message: DiscordMessage,
    files: FileUpload[] = [],
  ): Promise<PostedMessage> {
    return (await this.rest.patch(Routes.webhookMessage(this.applicationId, token, "@original"), {
      ...withFiles(message, files),
      auth: false,
    })) as PostedMessage;
  }

  async followUp(token: string, message: DiscordMessage, files: FileUpload[] = []): Promise<PostedMessage> {
    return (await this.rest.post(Routes.webhook(this.applicationId, token), {
      ...withFiles(message, files),
      query: new URLSearchParams({ wait: "true" }),
      auth: false,
    })) as PostedMessage;
  }

  /**
   * A message in a channel. With a `nonce` (at most 25 characters) Discord makes it once: sending it
   * again within a few minutes (a retry after a lost answer) returns the message made the first time.
   */
  async post(
    channelId: string,
    message: DiscordMessage,
    { files = [], nonce }: { files?: FileUpload[]; nonce?: string } = {},
  ): Promise<PostedMessage> {
    const once = nonce ? { ...message, nonce, enforce_nonce: true } : message;
    return (await this.rest.post(Routes.channelMessages(channelId), withFiles(once, files))) as PostedMessage;
  }

  async edit(channelId: string, messageId: string, message: DiscordMessage): Promise<void> {
    await this.rest.patch(Routes.channelMessage(channelId, messageId), { body: message });
  }

  /** A public thread started from a message; its id is the channel the production's updates go to. */
  async startThread(channelId: string, messageId: string, name: string): Promise<string> {
    try {
      const thread = (await this.rest.post(Routes.threads(channelId, messageId), {
        body: { name: name.slice(0, 100) || "Video production", auto_archive_duration: 10080 },
      })) as { id: string };
      return thread.id;
    } catch (err) {
      // A message has one thread, with the message's id: an earlier attempt whose answer was lost made it.
      if (err instanceof DiscordAPIError && err.code === THREAD_ALREADY_CREATED) return messageId;
      throw err;
    }
  }
}
