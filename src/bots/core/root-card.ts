/** The root message of a production: what is being made, for whom, and where it stands. */
import type { Production } from "../../domain/production.js";
import { resolvedAspectRatio } from "../../domain/vrd.js";
import { PLATFORM_LABEL, STAGE_LABEL, seconds } from "./format.js";
import { person } from "./people.js";
import { bold, header, paragraph, smallPrint, typed, type View, words } from "./view.js";

export interface RootCardOptions {
  /** The starter's display name, when the platform gave one. */
  startedByName?: string;
}

export function rootCardView(production: Production, options: RootCardOptions = {}): View {
  const { vrd } = production;
  const platform = `${PLATFORM_LABEL[vrd.platform]} (${resolvedAspectRatio(vrd)})`;
  return {
    summary: `New video production: ${vrd.title} (${seconds(vrd.duration_seconds)}, ${PLATFORM_LABEL[vrd.platform]})`,
    elements: [
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
    ],
  };
}
