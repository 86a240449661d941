import { describe, expect, it } from "vitest";
import { digestView, researchRunView, searchResultsView } from "../../../src/bots/core/toolstack-views.js";
import { plainText, type View } from "../../../src/bots/core/view.js";
import type { Tool } from "../../../src/domain/tool.js";
import type { ToolSearchHit } from "../../../src/research/subscriptions.js";

const textOf = (view: View) =>
  view.elements
    .map((e) =>
      e.type === "header" ? e.text : e.type === "text" || e.type === "context" ? plainText(e.spans) : "",
    )
    .join("\n");

const tool = (over: Partial<Tool>) =>
  ({ tool_id: "runway-gen4", name: "Runway Gen-4", vendor: "Runway", status: "active", ...over }) as Tool;

describe("searchResultsView", () => {
  it("shows each tool's sourced price, limits and last benchmark, and unknown where there is none", () => {
    const hits: ToolSearchHit[] = [
      {
        tool: tool({}),
        price: "$0.05 per second",
        limits: ["clips 5–10 s", "aspect 16:9, 9:16"],
        last_benchmark: {
          tested_at: "2026-11-20T10:00:00Z",
          prompts: 8,
          success_rate: 0.75,
          mean_latency_s: 42,
          cost_per_second: null,
          quality_score: null,
        },
      },
      {
        tool: tool({ tool_id: "x", name: "X", vendor: null }),
        price: "unknown",
        limits: [],
        last_benchmark: null,
      },
    ];
    const text = textOf(searchResultsView("run", hits));
    expect(text).toContain("2 tools matching run");
    expect(text).toContain("Price: $0.05 per second");
    expect(text).toContain("Limits: clips 5–10 s; aspect 16:9, 9:16");
    expect(text).toContain("last benchmark 2026-11-20: 75% of 8 prompts succeeded, 42 s mean");
    expect(text).toContain("Price: unknown");
    expect(text).toContain("vendor unknown");
    expect(text).toContain("Limits: none on record · never benchmarked");
  });

  it("says nothing matched, with a hint", () => {
    expect(textOf(searchResultsView("zzz", []))).toBe("No tool matches zzz. Try a vendor or a use.");
  });
});

describe("researchRunView and digestView", () => {
  it("counts a run's changes and lists its errors and warnings", () => {
    const text = textOf(
      researchRunView({
        status: "partial",
        counts: { tools_found: 2 },
        errors: [
          { source: "arxiv", message: "timed out" },
          { source: "github", message: "github: page 2 failed", level: "warning" },
        ],
        changes: [],
      } as unknown as Parameters<typeof researchRunView>[0]),
    );
    expect(text).toContain("Research run partial — 0 changes found");
    expect(text).toContain("tools found: 2");
    expect(text).toContain("arxiv: timed out");
    // The source is named once, and a warning says it is one.
    expect(text).toContain("(warning) github: page 2 failed");
    expect(text).not.toContain("github: github:");
  });

  it("lists alerts as escaped, linked text and counts the rest by kind", () => {
    const view = digestView({
      title: "Tool stack research: 28 updates",
      items: [{ alert_id: "a", kind: "new_tool", text: "New tool: Vidgen", url: "https://example.com/v" }],
      more: { count: 27, by_kind: { new_tool: 1, new_sota: 26 } },
      text: "",
    });
    const item = view.elements[1]!;
    expect(item.type === "text" && item.spans[1]).toMatchObject({ user: true, url: "https://example.com/v" });
    expect(textOf(view)).toContain("…and 27 more updates (1 new tool, 26 papers).");
  });
});
