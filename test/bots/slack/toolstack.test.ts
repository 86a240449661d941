import { afterEach, describe, expect, it } from "vitest";
import { ChannelPacer } from "../../../src/bots/slack/pacer.js";
import { prepareDatabase } from "../../../src/db/prepare.js";
import type { ResearchRunSummary } from "../../../src/research/run.js";
import { listSubscriptions } from "../../../src/research/subscriptions.js";
import { useTestDb } from "../../support/db.js";
import { blockText, CHANNEL, type Harness, OWNER, slash, startHarness } from "./harness.js";

const db = useTestDb();
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const lastEphemeral = (x: Harness) => x.slack.callsTo("chat.postEphemeral").at(-1)!;

describe("/toolstack", () => {
  it("searches the tool stack, subscribes and unsubscribes the channel, answering only the caller", async () => {
    await prepareDatabase(db());
    h = await startHarness(db());
    await slash(h, "/toolstack", "search runway");
    await h.settle();
    const found = lastEphemeral(h);
    expect(found.args.user).toBe(OWNER);
    expect(blockText(found.args.blocks)).toMatch(/Runway/i);
    expect(blockText(found.args.blocks)).toContain("Price:");

    await slash(h, "/toolstack", "subscribe new_tool price_change");
    await h.settle();
    expect(blockText(lastEphemeral(h).args.blocks)).toContain("new_tool, price_change");
    expect(await listSubscriptions(db(), "slack")).toMatchObject([
      { channel: CHANNEL, topics: ["new_tool", "price_change"] },
    ]);

    await slash(h, "/toolstack", "subscribe gossip");
    await h.settle();
    expect(blockText(lastEphemeral(h).args.blocks)).toContain('unknown topic "gossip"');

    await slash(h, "/toolstack", "unsubscribe");
    await h.settle();
    expect(await listSubscriptions(db(), "slack")).toEqual([]);
    expect(h.slack.callsTo("chat.postMessage")).toHaveLength(0);
  });

  it("runs research only for workspace admins", async () => {
    let runs = 0;
    const runResearch = async () => {
      runs += 1;
      return {
        status: "succeeded",
        counts: { tools_found: 2 },
        errors: [],
        changes: [],
      } as unknown as ResearchRunSummary;
    };
    h = await startHarness(db(), { runResearch: runResearch as () => Promise<never> });
    await slash(h, "/toolstack", "research");
    await h.settle();
    expect(runs).toBe(0);
    expect(blockText(lastEphemeral(h).args.blocks)).toContain("Only workspace admins");

    h.slack.users.set("U0ADMIN01", { display_name: "Admin", is_admin: true });
    await slash(h, "/toolstack", "research", "U0ADMIN01");
    await h.settle();
    expect(runs).toBe(1);
    expect(blockText(lastEphemeral(h).args.blocks)).toMatch(
      /Research run succeeded\* — 0 changes found[\s\S]*tools found: 2/,
    );
  });

  it("posts a research digest to the channel with typed text escaped", async () => {
    h = await startHarness(db());
    await h.bot.alertSink.sendDigest(
      { workspace: "T0001", channel: "C0ALERTS" },
      {
        title: "Tool stack research: 1 update",
        items: [
          {
            alert_id: "a",
            kind: "new_tool",
            text: "New tool: <!channel> Vidgen",
            url: "https://example.com/vidgen",
          },
        ],
        more: { count: 0, by_kind: {} },
        text: "",
      },
    );
    const post = h.slack.callsTo("chat.postMessage")[0]!;
    expect(post.args.channel).toBe("C0ALERTS");
    const text = blockText(post.args.blocks);
    expect(text).not.toContain("<!channel>");
    expect(text).toContain("<https://example.com/vidgen|");
  });
});

describe("ChannelPacer", () => {
  it("spaces posts to one channel and lets other channels go at once", async () => {
    const pacer = new ChannelPacer(100);
    const started = { a: [] as number[], b: [] as number[] };
    const t0 = Date.now();
    const post = (ch: "a" | "b") => pacer.run(ch, async () => started[ch].push(Date.now() - t0));
    await Promise.all([post("a"), post("a"), post("a"), post("b")]);
    const [a1, a2, a3] = started.a as [number, number, number];
    expect(a2 - a1).toBeGreaterThanOrEqual(95);
    expect(a3 - a2).toBeGreaterThanOrEqual(95);
    // Channel b is not queued behind channel a's spacing.
    expect(started.b[0] ?? Number.NaN).toBeLessThan(a2);
  });
});
