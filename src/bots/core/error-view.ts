/** Errors a person can act on: what went wrong in plain words, and Retry where trying again can help. */
import {
  ConflictError,
  errorMessage,
  ForbiddenError,
  NotFoundError,
  UpstreamError,
  ValidationError,
} from "../../domain/errors.js";
import type { Production } from "../../domain/production.js";
import { encodeAction } from "./actions.js";
import { STAGE_LABEL } from "./format.js";
import { person, withMentions } from "./people.js";
import {
  bold,
  button,
  type Element,
  paragraph,
  plainText,
  type Span,
  smallPrint,
  typed,
  type View,
  words,
} from "./view.js";

export interface ErrorContext {
  /** The production the failed request was about; enables Retry. */
  productionId?: string;
  version?: number;
  /** Offer Retry (default: only when the failure may pass, e.g. an upstream outage). */
  retry?: boolean;
}

function currentStage(current: unknown): string | null {
  const stage = (current as Partial<Production> | undefined)?.stage;
  return typeof stage === "string" && stage in STAGE_LABEL
    ? STAGE_LABEL[stage as keyof typeof STAGE_LABEL]
    : null;
}

/**
 * A polite "not yours": built from the refusal's data when the error carries it, so the owner is a
 * mention each platform renders its own way; else the message, its `<@id>` names made mentions.
 */
function refusal(error: ForbiddenError): Span[] {
  if (!error.refusal) return withMentions(error.message);
  const { owner_id, action } = error.refusal;
  return [
    bold("Not yours to decide. "),
    words("Only "),
    person(owner_id),
    words(` or someone they allowed can ${action} this production. A workspace admin can allow more people.`),
  ];
}

/** The message and whether trying again could help. */
function explain(error: unknown): {
  spans: Span[];
  details: Element[];
  transient: boolean;
  icon?: string;
} {
  if (error instanceof ValidationError)
    return {
      spans: [bold(`Some of the ${error.what} needs fixing:`)],
      details: error.problems.map((p) =>
        // A field path can hold a key the person typed (an unknown field of a pasted brief).
        paragraph([words("• "), ...(p.field ? [typed(p.field, "bold"), words(": ")] : []), typed(p.message)]),
      ),
      transient: false,
    };
  if (error instanceof NotFoundError)
    return { spans: [bold("Not found: "), typed(error.message)], details: [], transient: false };
  if (error instanceof ConflictError) {
    const stage = currentStage(error.current);
    return {
      spans: [bold("Already handled: "), typed(error.message)],
      details: stage ? [smallPrint([words(`The production is now at: ${stage}.`)])] : [],
      transient: false,
    };
  }
  if (error instanceof ForbiddenError)
    return { spans: refusal(error), details: [], transient: false, icon: "🔒 " };
  if (error instanceof UpstreamError)
    return {
      spans: [bold(`${error.service} is not answering right now. `), typed(error.message)],
      details: [],
      transient: error.transient,
    };
  const message = errorMessage(error);
  return { spans: [bold("Something went wrong: "), typed(message)], details: [], transient: true };
}

export function errorView(error: unknown, context: ErrorContext = {}): View {
  const { spans, details, transient, icon = "⚠ " } = explain(error);
  const elements: Element[] = [paragraph([words(icon), ...spans]), ...details];
  // A refusal never offers Retry: the same click by the same person is refused again.
  const retry = !(error instanceof ForbiddenError) && (context.retry ?? transient);
  if (retry && context.productionId)
    elements.push({
      type: "actions",
      items: [
        button(
          "Retry",
          encodeAction({ kind: "retry", productionId: context.productionId, version: context.version }),
          "primary",
        ),
      ],
    });
  return { summary: plainText(spans), elements };
}
