/**
 * What a research run found that a person may want to know. Discovery, SOTA tracking and benchmarks
 * produce these; `notifyOnChanges` turns the meaningful ones into one alert digest per subscribed channel.
 */
export type ToolStackChange =
  | { kind: "new_tool"; tool_id: string; name: string; source: string; url: string | null }
  | {
      kind: "price_change";
      tool_id: string;
      name: string;
      /** USD in the tool's pricing unit; null = was/is unknown. */
      before: number | null;
      after: number | null;
      unit: string;
      source: string | null;
    }
  | {
      kind: "new_sota";
      technique_id: string;
      title: string;
      url: string;
      /** 0..1: how relevant to video production the paper is (alerts only above a bar). */
      relevance: number;
    }
  | { kind: "tool_failing"; tool_id: string; name: string; success_rate: number; detail: string };

/** Stable key of a change, so the same finding is alerted once however many runs see it. */
export function changeKey(change: ToolStackChange): string {
  switch (change.kind) {
    case "new_tool":
      return `new_tool:${change.tool_id}`;
    case "price_change":
      return `price_change:${change.tool_id}:${change.before ?? "unknown"}->${change.after ?? "unknown"}`;
    case "new_sota":
      return `new_sota:${change.technique_id}`;
    case "tool_failing":
      return `tool_failing:${change.tool_id}:${change.success_rate.toFixed(2)}`;
  }
}
