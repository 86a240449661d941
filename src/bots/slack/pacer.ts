/**
 * chat.postMessage allows about one message per second per channel
 * (https://docs.slack.dev/reference/methods/chat.postMessage#rate-limiting). Posts to one channel go
 * through a small queue spaced by `intervalMs`; different channels do not wait for each other. A 429
 * that still happens is retried by the WebClient after Retry-After (its retryConfig is in index.ts).
 */
import { setTimeout as sleep } from "node:timers/promises";

export class ChannelPacer {
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly lastAt = new Map<string, number>();

  constructor(private readonly intervalMs: number) {}

  /** Runs `post` after the channel's earlier posts, at least intervalMs after the previous one started. */
  run<T>(channel: string, post: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(channel) ?? Promise.resolve();
    const next = previous.then(async () => {
      const wait = (this.lastAt.get(channel) ?? 0) + this.intervalMs - Date.now();
      if (wait > 0) await sleep(wait);
      this.lastAt.set(channel, Date.now());
      return post();
    });
    const tail = next.catch(() => undefined);
    this.tails.set(channel, tail);
    // Forget an idle channel so the map does not grow with every channel ever posted to.
    void tail.then(() => {
      if (this.tails.get(channel) === tail) this.tails.delete(channel);
    });
    return next;
  }
}
