/**
 * A decided review keeps its body and swaps its buttons for one outcome line, so the thread is its
 * own audit trail: "Approved by Ana at 14:02 UTC".
 */
import type { Production, ProductionEvent } from "../../domain/production.js";
import type { Actor } from "../../production/contract.js";
import { clock } from "./format.js";
import { person } from "./people.js";
import { type Outcome, resolveView, type View, words } from "./view.js";

export type Decision = "approved" | "revision_requested" | "answered" | "skipped" | "cancelled";

const WORDING: Record<Decision, { text: string; tone: Outcome["tone"] }> = {
  approved: { text: "✓ Approved by ", tone: "success" },
  revision_requested: { text: "↺ Revision requested by ", tone: "warning" },
  answered: { text: "✓ Answered by ", tone: "success" },
  skipped: { text: "⏭ Skipped (defaults used) by ", tone: "warning" },
  cancelled: { text: "✗ Cancelled by ", tone: "danger" },
};

export function outcome(
  decision: Decision,
  actor: Pick<Actor, "user_id" | "display_name">,
  at: Date,
): Outcome {
  const w = WORDING[decision];
  return {
    tone: w.tone,
    spans: [words(w.text), person(actor.user_id, actor.display_name), words(" at "), clock(at)],
  };
}

/** The view as it stays after `decision`: same body, outcome line instead of buttons. */
export function resolvedView(
  view: View,
  decision: Decision,
  actor: Pick<Actor, "user_id" | "display_name">,
  at: Date,
): View {
  return resolveView(view, outcome(decision, actor, at));
}

/** Who made the decision an event records (its actor, else the owner; named as the service named them) and when. */
export function decidedBy(
  event: Pick<ProductionEvent, "actor" | "payload" | "created_at">,
  production: Pick<Production, "owner_id">,
): { who: Pick<Actor, "user_id" | "display_name">; at: Date } {
  const by = event.payload.by;
  return {
    who: {
      user_id: event.actor ?? production.owner_id,
      ...(typeof by === "string" && by !== "" ? { display_name: by } : {}),
    },
    at: new Date(event.created_at),
  };
}
