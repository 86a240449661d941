/**
 * Delivers production events to this process's subscribers: its own events right after they commit,
 * and (PostgreSQL) other processes' events when their NOTIFY arrives. Per production, events reach
 * subscribers once each and in seq order, whichever path brings them first: a gap is filled from
 * the log before anything newer is delivered.
 */
import type { Logger } from "pino";
import type { Db, Queryable } from "../db/db.js";
import type { ProductionEvent } from "../domain/production.js";
import { readEvents } from "./store.js";

export const EVENTS_CHANNEL = "greenlight_production_events";

/** Productions whose last delivered seq is remembered (least recently active forgotten first). */
const REMEMBERED_PRODUCTIONS = 10_000;

export class EventHub {
  private readonly listeners = new Set<(event: ProductionEvent) => void>();
  /** Newest seq delivered per production. */
  private readonly delivered = new Map<string, number>();
  /** Deliveries per production run one after another. */
  private readonly chains = new Map<string, Promise<void>>();

  constructor(
    private readonly db: Db,
    private readonly logger?: Logger,
  ) {}

  subscribe(listener: (event: ProductionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** `events` of one production were committed by this process. */
  published(events: readonly ProductionEvent[]): void {
    const first = events[0];
    if (!first || this.listeners.size === 0) return;
    this.enqueue(first.production_id, async () => {
      const last = this.delivered.get(first.production_id) ?? first.seq - 1;
      const missing =
        first.seq > last + 1 ? await readEvents(this.db, first.production_id, last, first.seq - 1) : [];
      this.deliver([...missing, ...events]);
    });
  }

  /** Another process committed events `fromSeq`..`toSeq` of a production (NOTIFY payload). */
  notified(productionId: string, fromSeq: number, toSeq: number): void {
    if (this.listeners.size === 0) return;
    this.enqueue(productionId, async () => {
      const last = this.delivered.get(productionId) ?? fromSeq - 1;
      if (toSeq <= last) return; // ours, already delivered
      this.deliver(await readEvents(this.db, productionId, last));
    });
  }

  /** Parses a NOTIFY payload `"<production_id> <from> <to>"`. */
  onNotification(payload: string): void {
    const [id, from, to] = payload.split(" ");
    const fromSeq = Number(from);
    const toSeq = Number(to);
    if (!id || !Number.isInteger(fromSeq) || !Number.isInteger(toSeq)) {
      this.logger?.warn({ payload }, "ignored a malformed production event notification");
      return;
    }
    this.notified(id, fromSeq, toSeq);
  }

  /** Resolves when every delivery started so far has finished (tests). */
  async settled(): Promise<void> {
    while (this.chains.size > 0) await Promise.all(this.chains.values());
  }

  private deliver(events: readonly ProductionEvent[]): void {
    for (const event of events) {
      const last = this.delivered.get(event.production_id) ?? 0;
      if (event.seq <= last) continue;
      this.delivered.delete(event.production_id); // re-inserted last: most recently active
      this.delivered.set(event.production_id, event.seq);
      if (this.delivered.size > REMEMBERED_PRODUCTIONS)
        this.delivered.delete(this.delivered.keys().next().value as string);
      for (const listener of this.listeners) {
        try {
          listener(event);
        } catch (error) {
          this.logger?.error({ err: error, production_id: event.production_id }, "event subscriber threw");
        }
      }
    }
  }

  private enqueue(productionId: string, work: () => Promise<void>): void {
    const previous = this.chains.get(productionId) ?? Promise.resolve();
    const next = previous
      .then(work)
      .catch((error) =>
        this.logger?.error({ err: error, production_id: productionId }, "event delivery failed"),
      )
      .finally(() => {
        if (this.chains.get(productionId) === next) this.chains.delete(productionId);
      });
    this.chains.set(productionId, next);
  }
}

/**
 * Inside the transaction that wrote `events`: tells other processes (delivered at commit, dropped on
 * rollback). Only ids travel, so the 8000-byte NOTIFY limit never matters.
 */
export async function notifyEvents(
  tx: Queryable,
  channel: string | null,
  events: readonly ProductionEvent[],
): Promise<void> {
  const first = events[0];
  if (!channel || !first) return;
  const last = events.at(-1)!;
  await tx.query("SELECT pg_notify($1, $2)", [channel, `${first.production_id} ${first.seq} ${last.seq}`]);
}
