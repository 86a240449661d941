/** The buttons that end every review view: Approve, Revise, Download JSON. */
import type { Production, ReviewStage } from "../../domain/production.js";
import { encodeAction } from "./actions.js";
import { button, type Element } from "./view.js";

/** The version shown is carried in Approve and Revise, so a click on an old message is refused. */
export function reviewActions(production: Pick<Production, "id" | "version">, stage: ReviewStage): Element {
  const base = { productionId: production.id, stage, version: production.version };
  return {
    type: "actions",
    items: [
      button("Approve", encodeAction({ kind: "approve", ...base }), "primary"),
      button("Revise", encodeAction({ kind: "revise", ...base })),
      button("Download JSON", encodeAction({ kind: "download", productionId: production.id, stage })),
    ],
  };
}
