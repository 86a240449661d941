/**
 * The production workflow as every front end sees it (Slack, Discord, REST, CLI). The service in
 * src/production implements it; bots and the API depend on this contract only.
 */
import type { Answers } from "../domain/clarify.js";
import { ConflictError } from "../domain/errors.js";
import type { Origin, Production, ProductionEvent, ReviewStage, Stage } from "../domain/production.js";
import type { Constraints, Vrd } from "../domain/vrd.js";

/** Who is acting, as the platform adapter established it. */
export interface Actor {
  platform: Origin["platform"];
  user_id: string;
  workspace_id?: string | null;
  /** Workspace admin (Slack) or Manage Messages (Discord), as the platform reported it. */
  privileged?: boolean;
  display_name?: string;
}

/** What a reviewer may ask for besides free-text feedback. */
export interface RevisionRequest {
  feedback: string;
  /** shots_review / plan_review: only these shots. */
  shotIds?: string[];
  /** plan_review: producer's changes to the plan. */
  constraints?: Partial<Constraints>;
  pinTool?: { shotId: string; toolId: string };
  excludeTool?: string | string[];
}

export interface ProductionFilter {
  platform?: Origin["platform"];
  workspace_id?: string;
  channel_id?: string;
  owner_id?: string;
  stage?: Stage | Stage[];
  limit?: number;
}

export interface StartOptions {
  requestKey?: string;
  /** Answers to the questions the brief raises, given up front (unknown question ids are refused). */
  answers?: Answers;
}

/** A request key (Idempotency-Key) already used for a start with a different brief or answers. */
export class RequestKeyReusedError extends ConflictError {
  override name = "RequestKeyReusedError";
}

export interface ProductionService {
  /**
   * Create a production. With `requestKey` (e.g. a Slack trigger id or an HTTP Idempotency-Key) a
   * retried start returns the production the first call created instead of a second one; the same
   * key with a different brief or answers throws RequestKeyReusedError. `answers` are applied in
   * the same transaction as the creation (a retried start never applies them twice).
   */
  start(vrd: Vrd, origin: Origin, options?: StartOptions): Promise<Production>;
  /** Answers to clarifying questions; the script stage starts when all are answered. */
  answer(id: string, answers: Answers, actor: Actor): Promise<Production>;
  /** Use every question's default and start the script. */
  skipQuestions(id: string, actor: Actor): Promise<Production>;
  /**
   * Approve a review stage. `version` is the version the user saw (e.g. carried in a button); a
   * stale or repeated approval throws ConflictError carrying the current production.
   */
  approve(id: string, stage: ReviewStage, actor: Actor, version?: number): Promise<Production>;
  revise(
    id: string,
    stage: ReviewStage,
    request: RevisionRequest,
    actor: Actor,
    version?: number,
  ): Promise<Production>;
  /** Re-run the stage that failed. */
  retry(id: string, actor: Actor): Promise<Production>;
  cancel(id: string, actor: Actor): Promise<Production>;
  get(id: string): Promise<Production>;
  list(filter?: ProductionFilter): Promise<Production[]>;
  /** Events after `afterSeq` (exclusive), oldest first. */
  events(id: string, afterSeq?: number): Promise<ProductionEvent[]>;
  /**
   * Every new event of every production, in order per production, including other processes'
   * (PostgreSQL). `committedHere` tells which events this process wrote, so per-process counters
   * (metrics) count each event once across replicas.
   */
  subscribe(listener: EventListener): () => void;
}

export type EventListener = (event: ProductionEvent, origin: { committedHere: boolean }) => void;
