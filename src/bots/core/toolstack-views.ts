/**
 * Views for /toolstack (search results, subscriptions, research runs) and for the research alert
 * digest posted to subscribed channels. Prices, limits and benchmarks are shown as the catalogue has
 * them: an unsourced price reads "unknown", never a guess.
 */
import type { AlertDigest, AlertTopic } from "../../research/alerts.js";
import { type ResearchRunSummary, stepErrorText } from "../../research/run.js";
import type { LastBenchmark, Subscription, ToolSearchHit } from "../../research/subscriptions.js";
import { plural, spaced } from "./format.js";
import {
  bold,
  divider,
  type Element,
  header,
  paragraph,
  smallPrint,
  typed,
  type View,
  words,
} from "./view.js";

function benchmarkLine(b: LastBenchmark | null): string {
  if (!b) return "never benchmarked";
  const latency = b.mean_latency_s === null ? "" : `, ${b.mean_latency_s} s mean`;
  return `last benchmark ${b.tested_at.slice(0, 10)}: ${Math.round(b.success_rate * 100)}% of ${b.prompts} prompts succeeded${latency}`;
}

/** `/toolstack search <text>`: each tool with its vendor, status, sourced price, limits and last benchmark. */
export function searchResultsView(query: string, hits: readonly ToolSearchHit[]): View {
  if (hits.length === 0)
    return {
      summary: "No tool matches",
      elements: [
        paragraph([words("No tool matches "), typed(query, "bold"), words(". Try a vendor or a use.")]),
      ],
    };
  const elements: Element[] = [
    paragraph([words(`🔎 ${plural(hits.length, "tool")} matching `), typed(query, "bold")]),
  ];
  for (const { tool, price, limits, last_benchmark } of hits)
    elements.push(
      divider(),
      paragraph(
        [
          typed(tool.name, "bold"),
          words(` (${tool.tool_id}) · `),
          typed(tool.vendor ?? "vendor unknown"),
          words(` · ${tool.status}\nPrice: ${price}`),
        ],
        tool.tool_id,
      ),
      smallPrint([
        words("Limits: "),
        typed(limits.length > 0 ? limits.join("; ") : "none on record"),
        words(` · ${benchmarkLine(last_benchmark)}`),
      ]),
    );
  return { summary: `${plural(hits.length, "tool")} matching ${query}`, elements };
}

export function subscriptionView(subscription: Pick<Subscription, "topics">): View {
  const topics = subscription.topics.length > 0 ? subscription.topics.join(", ") : "all topics";
  return {
    summary: `This channel gets research alerts: ${topics}`,
    elements: [paragraph([words("🔔 This channel now gets research alerts: "), bold(topics), words(".")])],
  };
}

/** `had`: the channel was subscribed before. */
export function unsubscribedView(had: boolean): View {
  const text = had ? "🔕 This channel no longer gets research alerts." : "This channel was not subscribed.";
  return { summary: text, elements: [paragraph([words(text)])] };
}

/** Errors listed at the most; a run over many sources can collect more. */
const MAX_RUN_ERRORS = 10;

export function researchRunView(
  run: Pick<ResearchRunSummary, "status" | "counts" | "errors" | "changes">,
): View {
  const counts = Object.entries(run.counts).map(([k, v]) => `${spaced(k)}: ${v}`);
  const elements: Element[] = [
    paragraph([
      words("🧪 "),
      bold(`Research run ${run.status}`),
      words(` — ${plural(run.changes.length, "change")} found`),
    ]),
  ];
  if (counts.length > 0) elements.push(smallPrint([words(counts.join(" · "))]));
  for (const e of run.errors.slice(0, MAX_RUN_ERRORS)) elements.push(smallPrint([typed(stepErrorText(e))]));
  return { summary: `Research run ${run.status}`, elements };
}

const KIND_NOUN: Record<AlertTopic, string> = {
  new_tool: "new tool",
  price_change: "price change",
  new_sota: "paper",
  tool_failing: "failing tool",
};

/** A research alert digest: one line per alert (linked when it has a source), the rest counted by kind. */
export function digestView(digest: AlertDigest): View {
  const elements: Element[] = [header(`🔔 ${digest.title}`)];
  // Found on the web: shown as typed text, linked only through the span's checked url.
  for (const item of digest.items)
    elements.push(
      paragraph(
        [words("• "), { ...typed(item.text), ...(item.url ? { url: item.url } : {}) }],
        item.alert_id,
      ),
    );
  if (digest.more.count > 0) {
    const kinds = Object.entries(digest.more.by_kind).map(([k, n]) =>
      plural(n ?? 0, KIND_NOUN[k as AlertTopic] ?? spaced(k)),
    );
    elements.push(
      smallPrint([
        words(
          `…and ${plural(digest.more.count, "more update")} (${kinds.join(", ")}). /toolstack search <name> shows one.`,
        ),
      ]),
    );
  }
  return { summary: digest.title, elements };
}
