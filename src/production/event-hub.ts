/**
 * Delivers production events to this process's subscribers: its own events right after they commit,
 * and (PostgreSQL) other processes' events when their NOTIFY arrives. Per production, events reach
 * subscribers once each and in seq order, whichever path brings them first: a gap is filled from
 * the log before anything newer is delivered.
 */
import type { Logger } from "pino";
import type { Db, Queryable } from "../db/db.js";
import type { ProductionEvent } from "../domain/production.js";
import type { EventListener } from "./contract.js";
import { readEvents } from "./store.js";

export const EVENTS_CHANNEL = "greenlight_production_events";

/** Productions whose last delivered seq is remembered (least recently active forgotten first). */
const REMEMBERED_PRODUCTIONS = 10_000;

export class EventHub {
  private readonly listeners = new Set<EventListener>();
  /** Newest seq delivered per production. */
  private readonly delivered = new Map<string, number>();
  /** Deliveries per production run one after another. */
  private readonly chains = new Map<string, Promise<void>>();

  /**
   * `channel`: the NOTIFY channel shared with other processes, null on a single-process database.
   * `sender`: this process's id, carried in its notifications so it can ignore its own (it delivers
   * those itself, marked as committed here).
   */
  constructor(
    private readonly db: Db,
    private readonly options: { channel: string | null; sender: string; logger?: Logger },
  ) {}

  private get logger(): Logger | undefined {
    return this.options.logger;
  }

  subscribe(listener: EventListener): () => void {
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
      this.deliver(missing, false);
      this.deliver(events, true);
    });
  }

  /** Another process committed events `fromSeq`..`toSeq` of a production (NOTIFY payload). */
  notified(productionId: string, fromSeq: number, toSeq: number): void {
    if (this.listeners.size === 0) return;
    this.enqueue(productionId, async () => {
      const last = this.delivered.get(productionId) ?? fromSeq - 1;
      if (toSeq <= last) return; // already delivered
      // Only up to what was notified: later events may be this process's own, delivered by `published`.
      this.deliver(await readEvents(this.db, productionId, last, toSeq), false);
    });
  }

  /**
   * Inside the transaction that wrote `events`: tells other processes (delivered at commit, dropped
   * on rollback). Only ids travel, so the 8000-byte NOTIFY limit never matters.
   */
  async notify(tx: Queryable, events: readonly ProductionEvent[]): Promise<void> {
    const first = events[0];
    const last = events.at(-1);
    if (!this.options.channel || !first || !last) return;
    await tx.query("SELECT pg_notify($1, $2)", [
      this.options.channel,
      `${first.production_id} ${first.seq} ${last.seq} ${this.options.sender}`,
    ]);
  }

  /** Parses a NOTIFY payload `"<production_id> <from> <to> <sender>"`. */
  onNotification(payload: string): void {
    const [id, from, to, sender] = payload.split(" ");
    const fromSeq = Number(from);
    const toSeq = Number(to);
    if (!id || !Number.isInteger(fromSeq) || !Number.isInteger(toSeq)) {
      this.logger?.warn({ payload }, "ignored a malformed production event notification");
      return;
    }
    if (sender === this.options.sender) return; // ours: `published` delivers them
    this.notified(id, fromSeq, toSeq);
  }

  /** Resolves when every delivery started so far has finished (tests). */
  async settled(): Promise<void> {
    while (this.chains.size > 0) await Promise.all(this.chains.values());
  }

  private deliver(events: readonly ProductionEvent[], committedHere: boolean): void {
    for (const event of events) {
      const last = this.delivered.get(event.production_id) ?? 0;
      if (event.seq <= last) continue;
      this.delivered.delete(event.production_id); // re-inserted last: most recently active
      this.delivered.set(event.production_id, event.seq);
      if (this.delivered.size > REMEMBERED_PRODUCTIONS)
        this.delivered.delete(this.delivered.keys().next().value as string);
      for (const listener of this.listeners) {
        try {
          listener(event, { committedHere });
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
