/** App home / list: a person's productions, newest first, with their state and a link to the thread. */
import type { Production } from "../../domain/production.js";
import { PLATFORM_LABEL, STAGE_LABEL, seconds } from "./format.js";
import {
  bold,
  divider,
  type Element,
  header,
  paragraph,
  type Span,
  smallPrint,
  typed,
  type View,
  words,
} from "./view.js";

export interface HomeOptions {
  /** A link to the production's thread, when the platform can make one. */
  linkFor?: (production: Production) => string | undefined;
  /** Most productions listed (Slack's home tab holds 100 blocks). */
  limit?: number;
}

const STAGE_ICON: Partial<Record<Production["stage"], string>> = {
  approved: "✅",
  failed: "❌",
  cancelled: "🚫",
  script_review: "👀",
  shots_review: "👀",
  plan_review: "👀",
  clarifying: "❓",
};

export function homeView(productions: readonly Production[], options: HomeOptions = {}): View {
  const limit = options.limit ?? 20;
  const sorted = [...productions].sort((a, b) => b.updated_at.localeCompare(a.updated_at));
  const shown = sorted.slice(0, limit);
  const elements: Element[] = [header("Your video productions")];
  if (shown.length === 0)
    elements.push(paragraph([words("No productions yet. Type "), bold("/vrd"), words(" to start one.")]));
  else elements.push(divider());
  for (const p of shown) {
    const url = options.linkFor?.(p);
    const title: Span = url
      ? { text: p.vrd.title, user: true, style: "bold", url }
      : typed(p.vrd.title, "bold");
    elements.push(
      paragraph(
        [
          words(`${STAGE_ICON[p.stage] ?? "⏳"} `),
          title,
          words(
            `\n${STAGE_LABEL[p.stage]} · ${seconds(p.vrd.duration_seconds)} · ${PLATFORM_LABEL[p.vrd.platform]} · updated ${p.updated_at.slice(0, 16).replace("T", " ")} UTC`,
          ),
        ],
        p.id,
      ),
    );
  }
  // Never drop productions silently: say how many more there are.
  if (sorted.length > shown.length)
    elements.push(smallPrint([words(`…and ${sorted.length - shown.length} older productions not shown.`)]));
  return { summary: `${productions.length} video productions`, elements };
}
