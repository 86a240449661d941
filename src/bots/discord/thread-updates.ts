/**
 * Keeps each production's Discord thread in step with the production, from the service's events
 * (subscribe delivers every event, other replicas' too), so the replica that did not run a stage
 * still updates the thread. Each event is claimed once (processed_events) and each message part once
 * (bot_messages), so nothing is posted twice across replicas or after a restart; events of one
 * production are handled in order.
 *
 * Posts go through the newest interaction token of the thread while it is valid (a follow-up) and
 * through the bot token otherwise; edits always use the bot token (the bot authored every message).
 *
 * Discord failing transiently (beyond discord.js's own retries) is retried here with backoff, holding
 * that production's later events back so its thread keeps its order; a stop ends the waiting and the
 * next start's catch-up takes the work over. Bot-token posts carry a nonce, so a retry after a lost
 * answer returns the message made the first time rather than a second one.
 */
import { createHash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "pino";
import type { Db } from "../../db/db.js";
import type { Production, ProductionEvent, ReviewStage, Stage } from "../../domain/production.js";
import type { ProductionService } from "../../production/contract.js";
import { isReview, REVIEW_AFTER } from "../../production/stages.js";
import { progressView, stepOf } from "../core/progress-view.js";
import { questionsView } from "../core/questions-view.js";
import { type Decision, decidedBy, resolvedView } from "../core/resolved-view.js";
import { REVIEW_VIEW } from "../core/review-views.js";
import { rootCardAfter, rootCardView } from "../core/root-card.js";
import { smallPrint, typed, type View, words } from "../core/view.js";
import {
  type DiscordApi,
  type InteractionToken,
  isExpiredToken,
  isTransient,
  type PostedMessage,
  tokenFresh,
} from "./api.js";
import { type DiscordMessage, renderDiscordMessages } from "./render.js";
import {
  claimEvent,
  claimMessage,
  dropPendingReply,
  findMessage,
  latestMessage,
  pendingReplyOf,
  productionsWithUnhandledEvents,
  recordMessage,
  releaseAbandonedClaim,
  releaseEvent,
  releaseMessage,
  type StoredMessage,
  threadOf,
} from "./store.js";

/** Prefix of a production event's claim key (processed_events): `event:<production>:<seq>`. */
const EVENT_KEY = "event:";

/**
 * A claimed root card or thread not recorded after this long was being made by a process that died
 * (discord.js gives up a request well within it), so a restart makes it again.
 */
const ABANDONED_AFTER_S = 120;

/** Waits between attempts while Discord fails transiently: 1 s, doubling, at most 5 minutes. */
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 5 * 60 * 1000;

/** The nonce a message part is posted with: the same part always gets the same one (≤ 25 chars). */
const nonceOf = (productionId: string, kind: string, part: number) =>
  createHash("sha256").update(`${productionId}:${kind}:${part}`).digest("hex").slice(0, 25);

/** Without the Message Content intent the bot cannot read thread replies: buttons and Answer all only. */
const ASKING = { threadReplies: false };

export interface ThreadUpdatesDeps {
  db: Db;
  service: ProductionService;
  api: DiscordApi;
  logger: Logger;
  now: () => number;
}

export class ThreadUpdates {
  private readonly chains = new Map<string, Promise<void>>();
  /** Productions being given their card and thread in the background (recover). */
  private readonly recovering = new Map<string, Promise<void>>();
  private readonly stopping = new AbortController();
  /** The newest interaction in each production's thread, whose token may carry follow-ups. */
  private readonly tokens = new Map<string, { token: InteractionToken; channelId: string }>();
  private unsubscribe: (() => void) | null = null;
  private catchingUp: Promise<void> = Promise.resolve();

  constructor(private readonly deps: ThreadUpdatesDeps) {}

  /** Listens for events, and handles those published while no bot was listening (a restart). */
  start(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.deps.service.subscribe((event) => this.enqueue(event));
    this.catchingUp = this.catchUpAll().catch((err) =>
      this.deps.logger.error({ err }, "could not catch up on production events"),
    );
  }

  private async catchUpAll(): Promise<void> {
    for (const id of await productionsWithUnhandledEvents(this.deps.db, EVENT_KEY)) this.recover(id);
  }

  /**
   * In the background: gives a production its root card and thread if it has none (open), retrying
   * while Discord fails transiently, then handles the events it missed. A restart runs it for every
   * production with unhandled events (a start that died before its thread was recorded), and the
   * brief's listener when Discord failed to show a production it had just started.
   */
  recover(productionId: string): void {
    if (this.recovering.has(productionId)) return;
    const { logger } = this.deps;
    const work = (async () => {
      await this.retrying(productionId, "giving a production its thread", () =>
        this.open(productionId),
      ).catch((err) =>
        logger.error({ err, production_id: productionId }, "could not give a production its thread"),
      );
      await this.catchUp(productionId);
    })()
      .catch((err) =>
        logger.error({ err, production_id: productionId }, "could not catch up on a production"),
      )
      .finally(() => this.recovering.delete(productionId));
    this.recovering.set(productionId, work);
  }

  /** Runs `work` again while it fails transiently, waiting longer each time, until the bot stops. */
  private async retrying(productionId: string, what: string, work: () => Promise<void>): Promise<void> {
    const { signal } = this.stopping;
    for (let attempt = 0; ; attempt++) {
      try {
        return await work();
      } catch (err) {
        if (!isTransient(err) || signal.aborted) throw err;
        const delayMs = Math.min(RETRY_FIRST_MS * 2 ** attempt, RETRY_MAX_MS);
        this.deps.logger.warn(
          { err, production_id: productionId, delay_ms: delayMs },
          `${what}: Discord failed, trying again`,
        );
        await sleep(delayMs, undefined, { signal }).catch(() => {});
        // Stopped while waiting: left for the next start's catch-up.
        if (signal.aborted) throw err;
      }
    }
  }

  /**
   * Gives a Discord production its root card and the thread started from it, each claimed first so
   * no replica makes them twice; a production that has them already is left as it is. The card
   * replaces the reply the brief was answered with while that reply's token lives (`reply` when the
   * listener starts the production, the kept pending reply after a restart), and is posted in the
   * channel otherwise. Without a thread (already in one, no permission) the production runs in the
   * channel.
   */
  async open(
    productionId: string,
    reply?: { token: InteractionToken; startedByName?: string },
  ): Promise<void> {
    const { db, api, service, logger, now } = this.deps;
    if (await threadOf(db, productionId)) return;
    const p = await service.get(productionId);
    const channel = p.origin.channel_id;
    if (p.origin.platform !== "discord" || !channel) return;
    await releaseAbandonedClaim(db, p.id, "root", ABANDONED_AFTER_S);
    if (await claimMessage(db, p.id, "root", 0, channel, null)) {
      const [card] = renderDiscordMessages(rootCardView(p, { startedByName: reply?.startedByName }));
      try {
        const token = reply?.token ?? (await pendingReplyOf(db, p.id))?.token;
        let posted: PostedMessage | null = null;
        if (token && tokenFresh(token, now()))
          posted = await api.editOriginal(token.token, card!).catch((err: unknown) => {
            if (reply || !isExpiredToken(err)) throw err;
            return null;
          });
        posted ??= await api.post(channel, card!, { nonce: nonceOf(p.id, "root", 0) });
        await recordMessage(db, p.id, "root", 0, posted.id);
      } catch (err) {
        await releaseMessage(db, p.id, "root", 0);
        throw err;
      }
      await dropPendingReply(db, p.id);
    }
    const [root] = await findMessage(db, p.id, "root");
    // Being posted by another replica, which makes the thread too.
    if (!root?.ts) return;
    await releaseAbandonedClaim(db, p.id, "thread", ABANDONED_AFTER_S);
    if (!(await claimMessage(db, p.id, "thread", 0, root.channel, null))) return;
    let thread = root.channel;
    try {
      thread = await api.startThread(root.channel, root.ts, p.vrd.title);
    } catch (err) {
      if (isTransient(err)) {
        await releaseMessage(db, p.id, "thread", 0);
        throw err;
      }
      // Already in a thread, or no Create Public Threads permission: the production runs right here.
      logger.warn({ err, production_id: p.id }, "could not start a thread; updates go to the channel");
    }
    await recordMessage(db, p.id, "thread", 0, thread);
  }

  /** Stops listening; work waiting to retry gives up at once (the next start's catch-up does it). */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.unsubscribe?.();
    this.unsubscribe = null;
    await this.idle();
  }

  /** Resolves when every event received so far has been handled (retries included). */
  async idle(): Promise<void> {
    await this.catchingUp;
    while (this.chains.size > 0 || this.recovering.size > 0)
      await Promise.all([...this.chains.values(), ...this.recovering.values()]);
  }

  /** Follow-ups for this production may use this interaction's token (while it is valid). */
  useToken(productionId: string, token: InteractionToken, channelId: string): void {
    this.tokens.set(productionId, { token, channelId });
  }

  /** Handles every event of a production not handled yet (its thread was just created). */
  async catchUp(productionId: string): Promise<void> {
    for (const event of await this.deps.service.events(productionId)) this.enqueue(event);
    await this.chains.get(productionId);
  }

  private enqueue(event: ProductionEvent): void {
    const id = event.production_id;
    const next = (this.chains.get(id) ?? Promise.resolve())
      .then(() => this.retrying(id, `showing a ${event.type} event`, () => this.handle(event)))
      .catch((err) =>
        this.deps.logger.error(
          { err, production_id: id, event: event.type },
          "updating the Discord thread failed",
        ),
      );
    this.chains.set(id, next);
    void next.finally(() => {
      if (this.chains.get(id) === next) this.chains.delete(id);
    });
  }

  private async handle(event: ProductionEvent): Promise<void> {
    const { db } = this.deps;
    const id = event.production_id;
    // Productions without a thread are not Discord's (or their thread is being made: catchUp follows).
    const thread = await threadOf(db, id);
    if (!thread) return;
    const key = `${EVENT_KEY}${id}:${event.seq}`;
    if (!(await claimEvent(db, key))) return;
    try {
      await this.apply(event, thread);
    } catch (error) {
      // Not handled: a retry, or else the next catch-up (a restart), handles it again.
      await releaseEvent(db, key);
      throw error;
    }
  }

  private async apply(event: ProductionEvent, thread: string): Promise<void> {
    const { db, service } = this.deps;
    const id = event.production_id;
    const p = await service.get(id);
    const payload = event.payload as { stage?: string; message?: string; from?: string; skipped?: boolean };
    const { who, at } = decidedBy(event, p);
    switch (event.type) {
      case "questions":
        if (p.questions.length > 0) await this.post(p, thread, "questions", questionsView(p, ASKING));
        return;
      case "answered": {
        const view =
          p.stage === "clarifying"
            ? questionsView(p, ASKING)
            : resolvedView(questionsView(p, ASKING), payload.skipped ? "skipped" : "answered", who, at);
        await this.redraw(p, thread, await findMessage(db, id, "questions"), view);
        return;
      }
      case "stage_started": {
        const step = stepOf(payload.stage);
        if (step) await this.post(p, thread, `progress:${payload.stage}:${event.seq}`, progressView(p, step));
        await this.redrawRoot(p, event);
        return;
      }
      case "progress":
        await this.redrawProgress(p, thread, payload.message);
        return;
      case "stage_completed": {
        await this.redrawProgress(p, thread);
        const review = REVIEW_AFTER[payload.stage as keyof typeof REVIEW_AFTER];
        // A stage that completed after the production moved on (cancelled) has nothing to review.
        if (review && p.stage === review)
          await this.post(p, thread, `review:${review}:${event.seq}`, REVIEW_VIEW[review](p));
        await this.redrawRoot(p, event);
        return;
      }
      case "failed":
        await this.redrawProgress(p, thread);
        await this.redrawRoot(p, event);
        return;
      case "approved":
      case "revised":
        await this.resolveReview(
          p,
          thread,
          payload.stage as ReviewStage,
          event.type === "approved" ? "approved" : "revision_requested",
          who,
          at,
        );
        await this.redrawRoot(p, event);
        return;
      case "cancelled": {
        // The open question or review the production was cancelled at shows who cancelled it.
        const from = payload.from as Stage | undefined;
        if (from && isReview(from)) await this.resolveReview(p, thread, from, "cancelled", who, at);
        const questions = await findMessage(db, id, "questions");
        if (from === "clarifying" && questions[0]?.view)
          await this.redraw(p, thread, questions, resolvedView(questions[0].view, "cancelled", who, at));
        await this.redrawRoot(p, event);
        return;
      }
    }
  }

  /** Posts a view into the thread, each part claimed first so no replica posts it twice. */
  private async post(p: Production, thread: string, kind: string, view: View): Promise<void> {
    const messages = renderDiscordMessages(view);
    for (const [part, message] of messages.entries())
      await this.postPart(p.id, thread, kind, part, message, part === 0 ? view : null);
  }

  private async postPart(
    productionId: string,
    thread: string,
    kind: string,
    part: number,
    message: DiscordMessage,
    view: View | null,
  ): Promise<void> {
    const { db } = this.deps;
    if (!(await claimMessage(db, productionId, kind, part, thread, view))) return;
    try {
      const posted = await this.send(productionId, thread, message, nonceOf(productionId, kind, part));
      await recordMessage(db, productionId, kind, part, posted.id);
    } catch (err) {
      await releaseMessage(db, productionId, kind, part);
      throw err;
    }
  }

  /** A new message in the thread: a follow-up while the thread's newest token is valid, else the bot token. */
  private async send(productionId: string, thread: string, message: DiscordMessage, nonce: string) {
    const { api, now } = this.deps;
    const hint = this.tokens.get(productionId);
    if (hint && hint.channelId === thread && tokenFresh(hint.token, now())) {
      try {
        return await api.followUp(hint.token.token, message);
      } catch (err) {
        if (!isExpiredToken(err)) throw err;
        this.tokens.delete(productionId);
      }
    }
    return api.post(thread, message, { nonce });
  }

  /** Edits the posted parts to show `view`; parts it no longer needs say so, extra parts are posted. */
  private async redraw(p: Production, thread: string, rows: StoredMessage[], view: View): Promise<void> {
    const posted = rows.filter((r) => r.ts);
    if (posted.length === 0) return;
    const messages = renderDiscordMessages(view);
    const [filler] = renderDiscordMessages({ summary: "", elements: [smallPrint([words("(see above)")])] });
    for (const [i, row] of posted.entries())
      await this.deps.api.edit(row.channel, row.ts!, messages[i] ?? filler!);
    const kind = posted[0]!.kind;
    for (let part = posted.length; part < messages.length; part++)
      await this.postPart(p.id, thread, kind, part, messages[part]!, null);
  }

  private async redrawProgress(p: Production, thread: string, message?: string): Promise<void> {
    const rows = await latestMessage(this.deps.db, p.id, "progress");
    const step = stepOf(rows[0]?.kind.split(":")[1]);
    if (!step) return;
    const view = progressView(p, step);
    // The stage's own words ("ScriptSmith is writing beat 3…") while it runs.
    if (message && view.elements.length === 1) view.elements.push(smallPrint([typed(message)]));
    await this.redraw(p, thread, rows, view);
  }

  /** A decided review keeps its body as posted and shows the decision instead of its buttons. */
  private async resolveReview(
    p: Production,
    thread: string,
    stage: ReviewStage,
    decision: Decision,
    who: { user_id: string; display_name?: string },
    at: Date,
  ): Promise<void> {
    const rows = await latestMessage(this.deps.db, p.id, `review:${stage}`);
    const shown = rows[0]?.view;
    if (!shown) return;
    await this.redraw(p, thread, rows, resolvedView(shown, decision, who, at));
  }

  private async redrawRoot(p: Production, event: ProductionEvent): Promise<void> {
    const card = rootCardAfter(p, event);
    const [root] = await findMessage(this.deps.db, p.id, "root");
    if (!card || !root?.ts) return;
    const [message] = renderDiscordMessages(card);
    await this.deps.api.edit(root.channel, root.ts, message!);
  }
}
