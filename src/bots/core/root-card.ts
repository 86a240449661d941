/**
 * The root message of a production: what is being made, for whom, where it stands, and a Cancel
 * button while it can still be cancelled.
 */
import type { Production, ProductionEvent } from "../../domain/production.js";
import { resolvedAspectRatio } from "../../domain/vrd.js";
import { isFinal } from "../../production/stages.js";
import { encodeAction } from "./actions.js";
import { PLATFORM_LABEL, STAGE_LABEL, seconds } from "./format.js";
import { person } from "./people.js";
import { decidedBy, resolvedView } from "./resolved-view.js";
import {
  bold,
  button,
  type Element,
  header,
  paragraph,
  smallPrint,
  typed,
  type View,
  words,
} from "./view.js";

export interface RootCardOptions {
  /** The starter's display name, when the platform gave one. */
  startedByName?: string;
}

export const CANCEL_LABEL = "Cancel production";

export function rootCardView(production: Production, options: RootCardOptions = {}): View {
  const { vrd } = production;
  const platform = `${PLATFORM_LABEL[vrd.platform]} (${resolvedAspectRatio(vrd)})`;
  const elements: Element[] = [
    header("🎬 New video production"),
    paragraph([typed(vrd.title, "bold"), words("\n"), typed(vrd.objective)]),
    {
      type: "fields",
      fields: [
        { label: "Duration", value: [words(seconds(vrd.duration_seconds))] },
        { label: "Platform", value: [words(platform)] },
        { label: "Started by", value: [person(production.origin.user_id, options.startedByName)] },
        { label: "Stage", value: [bold(STAGE_LABEL[production.stage])] },
      ],
    },
    smallPrint([words(`Production ${production.id} · updates follow in this thread`)]),
  ];
  // The one place a person looks for it at every stage; the service decides who may click it.
  if (!isFinal(production.stage))
    elements.push({
      type: "actions",
      items: [button(CANCEL_LABEL, encodeAction({ kind: "cancel", productionId: production.id }), "danger")],
    });
  return {
    summary: `New video production: ${vrd.title} (${seconds(vrd.duration_seconds)}, ${PLATFORM_LABEL[vrd.platform]})`,
    elements,
  };
}

/**
 * The root card as `event` leaves it, or null when it stays as drawn. Cancelling resolves the card
 * with who cancelled and when; after that, a stage finishing late must not redraw it without them.
 */
export function rootCardAfter(production: Production, event: ProductionEvent): View | null {
  if (production.stage !== "cancelled") return rootCardView(production);
  if (event.type !== "cancelled") return null;
  const { who, at } = decidedBy(event, production);
  return resolvedView(rootCardView(production), "cancelled", who, at);
}
