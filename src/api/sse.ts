/**
 * Server-sent events over a Fastify reply. The reply is a stream Fastify owns, so hooks (metrics,
 * logging) still see the response end; heartbeat comments keep proxies from closing an idle stream.
 */
import { PassThrough } from "node:stream";
import type { FastifyReply } from "fastify";

export interface SseMessage {
  id?: string | number;
  event: string;
  data: unknown;
}

export interface SseStream {
  send(message: SseMessage): void;
  /** End the stream (idempotent). */
  close(): void;
  readonly closed: boolean;
  /** Called once when the stream ends, whichever side ended it. */
  onClose(fn: () => void): void;
}

export interface SseOptions {
  heartbeatMs: number;
  /** Streams still open when the server closes are ended by it. */
  openStreams: Set<SseStream>;
}

/** One SSE frame; data is JSON on one line (JSON.stringify escapes newlines). */
export function sseFrame(message: SseMessage): string {
  const id = message.id === undefined ? "" : `id: ${message.id}\n`;
  return `${id}event: ${message.event}\ndata: ${JSON.stringify(message.data)}\n\n`;
}

export function openSse(reply: FastifyReply, options: SseOptions): SseStream {
  const body = new PassThrough();
  const listeners: Array<() => void> = [];
  let closed = false;
  const heartbeat = setInterval(() => {
    if (!closed) body.write(": heartbeat\n\n");
  }, options.heartbeatMs);

  const finish = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    options.openStreams.delete(stream);
    for (const fn of listeners.splice(0)) fn();
  };
  // A client that goes away destroys the stream (Fastify destroys the piped body): stop work then.
  body.on("close", finish);
  reply.raw.on("close", () => {
    finish();
    body.destroy();
  });

  const stream: SseStream = {
    send(message) {
      if (!closed) body.write(sseFrame(message));
    },
    close() {
      if (closed) return;
      finish();
      body.end();
    },
    get closed() {
      return closed;
    },
    onClose(fn) {
      if (closed) fn();
      else listeners.push(fn);
    },
  };
  options.openStreams.add(stream);

  reply
    .header("content-type", "text/event-stream; charset=utf-8")
    .header("cache-control", "no-cache, no-transform")
    .header("x-accel-buffering", "no")
    .send(body);
  // Tells EventSource clients how long to wait before reconnecting, and flushes the headers at once.
  body.write("retry: 3000\n\n");
  return stream;
}
