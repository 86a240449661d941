/**
 * Slack's HTTP mode on the API's own port: POST /slack/events on the Fastify instance, as a Bolt
 * Receiver. The raw body is kept for the signature check (a bad or stale signature is a 401), the
 * response is sent as soon as a listener calls ack() — listeners go on working after it — and a
 * request nobody acknowledges is answered empty before Slack's 3 s deadline.
 */
import type { App, Receiver, ReceiverEvent } from "@slack/bolt";
import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import { checkSlackSignature } from "./signature.js";

export const SLACK_EVENTS_PATH = "/slack/events";

/** Answer a request nobody acknowledged this soon, inside Slack's 3 s. */
const UNACKED_AFTER_MS = 2500;

type AckBody = string | Record<string, unknown> | undefined;

export interface FastifyReceiverOptions {
  fastify: FastifyInstance;
  signingSecret: string;
  logger?: Logger;
  path?: string;
  /** Called as a request is taken up; the function it returns is called once the response is sent. */
  onRequest?: () => () => void;
}

export class FastifyReceiver implements Receiver {
  private bolt: App | undefined;
  /** Listener work still running after its acknowledgement. */
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly options: FastifyReceiverOptions) {
    const { fastify, path = SLACK_EVENTS_PATH } = options;
    // An encapsulated scope: its body parser keeps the raw text and does not affect the API's routes.
    fastify.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser("*", { parseAs: "string" }, (_req, body, done) => done(null, body));
      scope.post(path, async (request, reply) => {
        const answered = this.options.onRequest?.();
        try {
          return await this.handle(request.headers, String(request.body ?? ""), reply);
        } finally {
          answered?.();
        }
      });
    });
  }

  init(app: App): void {
    this.bolt = app;
  }

  // The route lives on the API server, which main.ts starts and stops.
  async start(): Promise<void> {}
  async stop(): Promise<void> {
    await this.idle();
  }

  /** Resolves when every request received so far has been fully handled (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  private async handle(
    headers: Record<string, string | string[] | undefined>,
    rawBody: string,
    reply: import("fastify").FastifyReply,
  ) {
    const header = (name: string) => {
      const v = headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const check = checkSlackSignature({
      signingSecret: this.options.signingSecret,
      rawBody,
      signature: header("x-slack-signature"),
      timestamp: header("x-slack-request-timestamp"),
    });
    if (!check.ok) {
      this.options.logger?.warn({ reason: check.reason }, "refused a Slack request");
      return reply.code(401).send({ error: "invalid Slack signature" });
    }

    let body: Record<string, unknown>;
    try {
      body = parseBody(rawBody, header("content-type") ?? "");
    } catch {
      return reply.code(400).send({ error: "unreadable Slack payload" });
    }
    if (body.type === "url_verification") return reply.send({ challenge: body.challenge });
    if (body.ssl_check) return reply.send("");

    const answer = await new Promise<AckBody>((resolve) => {
      let acked = false;
      const timer = setTimeout(() => {
        if (acked) return;
        acked = true;
        this.options.logger?.warn({ type: body.type }, "no Slack listener acknowledged the request");
        resolve(undefined);
      }, UNACKED_AFTER_MS);
      const retry = header("x-slack-retry-num");
      const event: ReceiverEvent = {
        body,
        retryNum: retry === undefined ? undefined : Number(retry),
        retryReason: header("x-slack-retry-reason"),
        ack: async (response?: AckBody) => {
          if (acked) return;
          acked = true;
          clearTimeout(timer);
          resolve(response);
        },
      };
      if (!this.bolt) {
        event.ack(undefined);
        return;
      }
      const work = this.bolt.processEvent(event).catch((error) => {
        this.options.logger?.error({ err: error }, "Slack event handling failed");
        event.ack(undefined);
      });
      this.inFlight.add(work);
      void work.finally(() => this.inFlight.delete(work));
    });
    if (answer === undefined || answer === "") return reply.code(200).type("text/plain").send("");
    if (typeof answer === "string") return reply.code(200).type("text/plain").send(answer);
    return reply.code(200).send(answer);
  }
}

/** Slash commands and interactions come form-encoded (interactions as one `payload` JSON field); events as JSON. */
export function parseBody(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.includes("application/json")) return JSON.parse(raw) as Record<string, unknown>;
  const form = new URLSearchParams(raw);
  const payload = form.get("payload");
  if (payload !== null) return JSON.parse(payload) as Record<string, unknown>;
  return Object.fromEntries(form.entries());
}
