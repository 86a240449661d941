/**
 * Production events → the production's Slack thread. Every replica receives every event (the
 * service's subscribe, LISTEN/NOTIFY on PostgreSQL); one claims it (processed_events) and posts or
 * updates the message, found in bot_messages. So the replica that ran a stage need not be the one
 * that tells the user, and a restart never posts a message twice.
 *
 * Events of one production are handled in order in this process. Views are drawn from the event
 * (which stage started, completed or failed) over the production as it is now.
 */

import { setTimeout as sleep } from "node:timers/promises";
import { ErrorCode } from "@slack/web-api";
import type { Logger } from "pino";
import type { Db } from "../../db/db.js";
import type { Production, ProductionEvent, Stage } from "../../domain/production.js";
import type { ProductionService } from "../../production/contract.js";
import { isReview, REVIEW_AFTER } from "../../production/stages.js";
import { encodeAction } from "../core/actions.js";
import { clock } from "../core/format.js";
import { person } from "../core/people.js";
import { progressView, stepOf } from "../core/progress-view.js";
import { questionsView } from "../core/questions-view.js";
import { type Decision, decidedBy, resolvedView } from "../core/resolved-view.js";
import { REVIEW_VIEW, REVIEWED } from "../core/review-views.js";
import { rootCardAfter, rootCardView } from "../core/root-card.js";
import { bold, button, paragraph, resolveView, smallPrint, typed, type View, words } from "../core/view.js";
import type { BackgroundWork } from "./background.js";
import type { SlackMessenger } from "./messenger.js";
import { renderSlackMessages } from "./render.js";
import {
  claimEvent,
  findMessage,
  latestMessage,
  PRODUCTION_EVENT_KEY,
  productionEventKey,
  productionsWithUnhandledEvents,
  releaseEvent,
} from "./store.js";

/** Slack delivers thread replies (message events), so a reply answers a question. */
const ASKING = { threadReplies: true };

/** Events after which the root card's "Stage" field changes. */
const STAGE_CHANGES = new Set([
  "answered",
  "stage_completed",
  "approved",
  "revised",
  "failed",
  "retried",
  "cancelled",
]);

export interface ProductionUpdatesDeps {
  db: Db;
  service: ProductionService;
  messenger: SlackMessenger;
  /** Runs each event's handling (limited concurrency; see background.ts). */
  background: BackgroundWork;
  logger?: Logger;
}

export class ProductionUpdates {
  private readonly chains = new Map<string, Promise<void>>();
  private unsubscribe: (() => void) | null = null;
  private catchingUp: Promise<void> = Promise.resolve();

  constructor(private readonly deps: ProductionUpdatesDeps) {}

  /** Listens for events, and handles those published while no bot was listening (a restart). */
  start(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.deps.service.subscribe((event) => this.enqueue(event));
    this.catchingUp = this.catchUpAll().catch((error) =>
      this.deps.logger?.error({ err: error }, "could not catch up on production events"),
    );
  }

  /** Handles every event of a production not handled yet, in order (claimed events are skipped). */
  async catchUp(productionId: string): Promise<void> {
    for (const event of await this.deps.service.events(productionId)) this.enqueue(event);
    await this.chains.get(productionId);
  }

  private async catchUpAll(): Promise<void> {
    const ids = await productionsWithUnhandledEvents(this.deps.db, PRODUCTION_EVENT_KEY);
    for (const id of ids) await this.catchUp(id);
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** Resolves when every event received so far has been handled (tests, shutdown). */
  async idle(): Promise<void> {
    await this.catchingUp;
    while (this.chains.size > 0) await Promise.all(this.chains.values());
  }

  private enqueue(event: ProductionEvent): void {
    const id = event.production_id;
    const previous = this.chains.get(id) ?? Promise.resolve();
    const next = previous
      .then(() => this.deps.background.run(() => this.handle(event)))
      .catch((error) =>
        this.deps.logger?.error(
          { err: error, production_id: id, event: event.type, seq: event.seq },
          "could not update the Slack thread",
        ),
      );
    this.chains.set(id, next);
    void next.then(() => {
      if (this.chains.get(id) === next) this.chains.delete(id);
    });
  }

  private async handle(event: ProductionEvent): Promise<void> {
    const { db, service } = this.deps;
    const p = await service.get(event.production_id);
    const channel = p.origin.channel_id;
    if (p.origin.platform !== "slack" || !channel) return;
    const key = productionEventKey(p.id, event.seq);
    if (!(await claimEvent(db, key))) return;
    try {
      await this.apply(event, p, channel);
    } catch (error) {
      // Not handled: a catch-up (restart, or the owner's "Post it now") handles it again.
      await releaseEvent(db, key);
      const code = unreachableChannel(error);
      if (code) await this.tellOwner(p, channel, code);
      throw error;
    }
  }

  /**
   * The production's channel refused the bot (not invited, archived, deleted): the owner hears it,
   * ephemerally there if Slack lets us, else in a direct message, with a button to post it again
   * once they have fixed it. Once per production: its burst of events is one notice, and "Post it
   * now" answers for itself.
   */
  private async tellOwner(p: Production, channel: string, code: string): Promise<void> {
    const { db, messenger, logger } = this.deps;
    if (!(await claimEvent(db, `unreachable:${p.id}`))) return;
    const view = unreachableView(p, code);
    try {
      await messenger.ephemeral(channel, p.origin.user_id, view);
    } catch {
      try {
        await messenger.post(p.origin.user_id, renderSlackMessages(view)[0]!);
      } catch (dmError) {
        logger?.warn(
          { err: dmError, production_id: p.id },
          "could not tell the owner the channel is unreachable",
        );
      }
    }
  }

  private async apply(event: ProductionEvent, p: Production, channel: string): Promise<void> {
    const { db, messenger } = this.deps;
    const thread = await this.thread(p, channel);
    const payload = event.payload as Record<string, unknown>;
    const { who, at } = decidedBy(event, p);
    const stage = stringOr(payload.stage) as Stage | undefined;

    switch (event.type) {
      case "questions":
        if (p.questions.length > 0)
          await messenger.postView(p.id, "questions", channel, questionsView(p, ASKING), thread);
        break;
      case "answered": {
        const view = questionsView(p, ASKING);
        const decision: Decision = payload.skipped ? "skipped" : "answered";
        await messenger.redrawKind(
          p.id,
          "questions",
          payload.complete ? resolvedView(view, decision, who, at) : view,
          thread,
        );
        break;
      }
      case "stage_started": {
        const step = stepOf(stage);
        if (stage && step)
          await messenger.postView(
            p.id,
            `progress:${stage}:${event.seq}`,
            channel,
            progressView({ ...p, stage }, step),
            thread,
          );
        break;
      }
      case "progress": {
        const step = stepOf(event.stage);
        const message = stringOr(payload.message);
        if (!step || !message) break;
        const parts = await latestMessage(db, p.id, `progress:${event.stage}`);
        const running = progressView({ ...p, stage: event.stage }, step);
        await messenger.redraw(parts, {
          ...running,
          elements: [...running.elements, smallPrint([typed(message)])],
        });
        break;
      }
      case "stage_completed": {
        const step = stepOf(stage);
        if (!stage || !step) break;
        const review = REVIEW_AFTER[stage as keyof typeof REVIEW_AFTER];
        const parts = await latestMessage(db, p.id, `progress:${stage}`);
        await messenger.redraw(parts, progressView({ ...p, stage: review }, step));
        if (p[REVIEWED[review]])
          await messenger.postView(
            p.id,
            `review:${review}:${event.seq}`,
            channel,
            REVIEW_VIEW[review](p),
            thread,
          );
        break;
      }
      case "approved":
      case "revised": {
        if (!stage || !isReview(stage)) break;
        const parts = await latestMessage(db, p.id, `review:${stage}`);
        const view = parts[0]?.view;
        if (!view) break;
        const decision: Decision = event.type === "approved" ? "approved" : "revision_requested";
        const decided = resolvedView(view, decision, who, at);
        const feedback = stringOr(payload.feedback);
        if (feedback) decided.elements.push(smallPrint([words("What to change: "), typed(feedback)]));
        await messenger.redraw(parts, decided, thread);
        break;
      }
      case "failed": {
        const step = stepOf(stage);
        const message = stringOr(payload.message) ?? "the stage failed";
        if (!stage || !step) break;
        let view = progressView({ ...p, stage: "failed", error: message }, step);
        if (payload.retryable === false)
          view = { ...view, elements: view.elements.filter((e) => e.type !== "actions") };
        const parts = await latestMessage(db, p.id, `progress:${stage}`);
        if (parts.length > 0) await messenger.redraw(parts, view, thread);
        else await messenger.postView(p.id, `failure:${stage}:${event.seq}`, channel, view, thread);
        break;
      }
      case "retried": {
        const step = stepOf(stage);
        if (!stage || !step) break;
        const parts = await latestMessage(db, p.id, `progress:${stage}`);
        const failed = progressView({ ...p, stage: "failed" }, step);
        await messenger.redraw(
          parts,
          resolveView(failed, {
            tone: "warning",
            spans: [words("↻ Retried by "), person(who.user_id, who.display_name), words(" at "), clock(at)],
          }),
          thread,
        );
        break;
      }
      case "cancelled": {
        // The open question or review the production was cancelled at shows who cancelled it.
        const from = stringOr(payload.from) as Stage | undefined;
        const parts =
          from === "clarifying"
            ? await findMessage(db, p.id, "questions")
            : from && isReview(from)
              ? await latestMessage(db, p.id, `review:${from}`)
              : [];
        const shown = parts[0]?.view;
        if (shown) await messenger.redraw(parts, resolvedView(shown, "cancelled", who, at), thread);
        break;
      }
    }
    const card = STAGE_CHANGES.has(event.type) ? rootCardAfter(p, event) : null;
    if (card) await messenger.redrawKind(p.id, "root", card);
  }

  /**
   * The ts of the production's root message, posting it first when nobody has. Another replica that
   * claimed it but has not recorded the ts yet is waited for (a few seconds at most).
   */
  private async thread(p: Production, channel: string): Promise<string | undefined> {
    const { db, messenger } = this.deps;
    for (let attempt = 0; attempt < 20; attempt++) {
      const root = await findMessage(db, p.id, "root");
      if (root[0]?.ts) return root[0].ts;
      if (root.length === 0) {
        const ts = await messenger.postView(p.id, "root", channel, rootCardView(p));
        if (ts) return ts;
      }
      await sleep(250);
    }
    this.deps.logger?.warn(
      { production_id: p.id },
      "no root message for the production; posting in the channel",
    );
    return undefined;
  }
}

/** Slack's answers that mean the bot cannot post in the channel at all. */
const UNREACHABLE = new Set(["channel_not_found", "not_in_channel", "is_archived", "restricted_action"]);

/** The Slack error code when `error` says the channel cannot be posted in. */
function unreachableChannel(error: unknown): string | undefined {
  const e = error as { code?: string; data?: { error?: string } };
  const code = e?.code === ErrorCode.PlatformError ? e.data?.error : undefined;
  return code && UNREACHABLE.has(code) ? code : undefined;
}

function unreachableView(p: Production, code: string): View {
  const why =
    code === "is_archived"
      ? "the channel is archived"
      : code === "restricted_action"
        ? "posting there is restricted"
        : "I am not in that channel";
  return {
    summary: `I could not post your production "${p.vrd.title}" in the channel`,
    elements: [
      paragraph([
        words("⚠ "),
        bold("I could not post your production "),
        typed(p.vrd.title),
        words(` in the channel you chose: ${why} (Slack said ${code}).`),
      ]),
      paragraph([
        words("Invite me with "),
        bold("/invite @Greenlight"),
        words(" in that channel, then press Post it now. Nothing is lost: the production is waiting."),
      ]),
      {
        type: "actions",
        items: [button("Post it now", encodeAction({ kind: "repost", productionId: p.id }), "primary")],
      },
    ],
  };
}

const stringOr = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
