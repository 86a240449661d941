/**
 * Views for /toolstack (search results, subscriptions, research runs) and for the research alert
 * digest, in the neutral vocabulary the renderer turns into embeds.
 */
import type { AlertDigest } from "../../research/alerts.js";
import type { ResearchRunSummary } from "../../research/run.js";
import type { Subscription, ToolSearchHit } from "../../research/subscriptions.js";
import { plural } from "../core/format.js";
import { bold, header, paragraph, type Span, smallPrint, typed, type View, words } from "../core/view.js";

export function searchResultsView(text: string, hits: readonly ToolSearchHit[]): View {
  const elements: View["elements"] = [header(`🔎 Tools matching "${text.slice(0, 200)}"`)];
  if (hits.length === 0)
    elements.push(
      paragraph([words("No tool matches "), typed(text, "bold"), words(". Try a vendor or a use.")]),
    );
  for (const hit of hits) {
    const b = hit.last_benchmark;
    const bench = b
      ? `last benchmark ${b.tested_at.slice(0, 10)}: ${Math.round(b.success_rate * 100)}% of ${b.prompts} prompts succeeded` +
        (b.mean_latency_s === null ? "" : `, ${b.mean_latency_s} s mean`)
      : "never benchmarked";
    elements.push(
      paragraph(
        [
          typed(hit.tool.name, "bold"),
          words(` (${hit.tool.tool_id})`),
          ...(hit.tool.vendor ? [words(" · "), typed(hit.tool.vendor)] : []),
          words(`\nPrice: ${hit.price}`),
          ...(hit.limits.length > 0 ? [words(`\nLimits: ${hit.limits.join("; ")}`)] : []),
          words(`\n${bench}`),
        ],
        hit.tool.tool_id,
      ),
    );
  }
  return { summary: `${plural(hits.length, "tool")} matching ${text}`, elements };
}

export function subscriptionView(subscription: Subscription): View {
  const topics = subscription.topics.length > 0 ? subscription.topics.join(", ") : "all topics";
  return {
    summary: `This channel gets research alerts: ${topics}`,
    elements: [paragraph([words("🔔 This channel now gets research alerts: "), bold(topics), words(".")])],
  };
}

export function unsubscribedView(had: boolean): View {
  const text = had ? "🔕 This channel no longer gets research alerts." : "This channel was not subscribed.";
  return { summary: text, elements: [paragraph([words(text)])] };
}

export function researchRunView(summary: ResearchRunSummary): View {
  const counts = Object.entries(summary.counts).map(([k, v]) => `${k.replaceAll("_", " ")}: ${v}`);
  const elements: View["elements"] = [
    paragraph([
      words("🧪 Research run "),
      bold(summary.status),
      words(` · ${plural(summary.changes.length, "change")} found`),
    ]),
  ];
  if (counts.length > 0) elements.push(smallPrint([words(counts.join(" · "))]));
  for (const e of summary.errors) elements.push(smallPrint([words(`${e.source}: `), typed(e.message)]));
  return { summary: `Research run ${summary.status}`, elements };
}

/** A research alert digest: one line per alert (linked when it has a source), the rest counted. */
export function digestView(digest: AlertDigest): View {
  const elements: View["elements"] = [header(digest.title)];
  for (const item of digest.items) {
    const text: Span = { text: item.text, user: true, ...(item.url ? { url: item.url } : {}) };
    elements.push(paragraph([words("• "), text], item.alert_id));
  }
  if (digest.more.count > 0) {
    const kinds = Object.entries(digest.more.by_kind).map(([k, n]) => `${n} ${k.replaceAll("_", " ")}`);
    elements.push(smallPrint([words(`…and ${digest.more.count} more (${kinds.join(", ")}).`)]));
  }
  return { summary: digest.title, elements };
}
