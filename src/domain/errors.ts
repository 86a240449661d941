/**
 * The one family of errors every surface maps: a modal field error in Slack, an ephemeral reply in
 * Discord, 400/404/409/502 in the API, a one-line non-zero exit in the CLI.
 */
export interface FieldProblem {
  /** Dotted path a person can find in their input, e.g. `key_messages[2]` or `constraints.max_cost_usd`. */
  field: string;
  message: string;
}

export class GreenlightError extends Error {
  override name = "GreenlightError";
}

export class ValidationError extends GreenlightError {
  override name = "ValidationError";
  constructor(
    readonly problems: FieldProblem[],
    readonly what = "input",
  ) {
    super(
      `Invalid ${what}: ${problems.map((p) => (p.field ? `${p.field}: ${p.message}` : p.message)).join("; ")}`,
    );
  }
}

export class NotFoundError extends GreenlightError {
  override name = "NotFoundError";
}

export class ConflictError extends GreenlightError {
  override name = "ConflictError";
  constructor(
    message: string,
    /** The state the resource is actually in, so the caller can say what happened instead. */
    readonly current?: unknown,
  ) {
    super(message);
  }
}

/** The message of anything thrown (libraries sometimes throw strings). */
export const errorMessage = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/**
 * Who may act instead, as data, so a chat surface can build the sentence itself and mention the
 * owner its own way (the message stays the plain-text wording for the API and the CLI).
 */
export interface Refusal {
  /** The production owner's platform user id. */
  owner_id: string;
  /** What was refused, as a verb: "approve", "cancel". */
  action: string;
}

/** The actor may not do this (e.g. approve someone else's production); the message says who may. */
export class ForbiddenError extends GreenlightError {
  override name = "ForbiddenError";
  constructor(
    message: string,
    readonly refusal?: Refusal,
  ) {
    super(message);
  }
}

export class UpstreamError extends GreenlightError {
  override name = "UpstreamError";
  constructor(
    message: string,
    readonly service: string,
    readonly transient = true,
  ) {
    super(message);
  }
}
