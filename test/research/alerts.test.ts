import { describe, expect, it } from "vitest";
import {
  type AlertChannel,
  type AlertDigest,
  type AlertSink,
  buildDigest,
  MAX_DIGEST_ITEMS,
  notifyOnChanges,
} from "../../src/research/alerts.js";
import type { ToolStackChange } from "../../src/research/changes.js";
import { subscribe } from "../../src/research/subscriptions.js";
import { testBackends, useTestDb } from "../support/db.js";

interface RecordingSink extends AlertSink {
  sent: { channel: string; digest: AlertDigest }[];
}

/** A sink that records digests; channels in `failing` throw instead (the platform refused). */
function recordingSink(platform: AlertSink["platform"], failing: string[] = []): RecordingSink {
  const sent: RecordingSink["sent"] = [];
  return {
    platform,
    sent,
    async sendDigest(channel: AlertChannel, digest: AlertDigest) {
      if (failing.includes(channel.channel)) throw new Error(`${channel.channel}: rate limited`);
      sent.push({ channel: channel.channel, digest });
    },
  };
}

const CHANGES: ToolStackChange[] = [
  {
    kind: "new_tool",
    tool_id: "acme-video-2",
    name: "Acme Video 2",
    source: "huggingface",
    url: "https://huggingface.co/acme/video-2",
  },
  {
    kind: "price_change",
    tool_id: "pika-2.2",
    name: "Pika 2.2",
    before: 0.45,
    after: 0.4,
    unit: "per_clip",
    source: "https://fal.ai/models/fal-ai/pika/v2.2/text-to-video",
  },
  {
    kind: "new_sota",
    technique_id: "arxiv-2501.00001",
    title: "Camera control for DiT video",
    url: "http://arxiv.org/abs/2501.00001",
    relevance: 0.9,
  },
  {
    kind: "new_sota",
    technique_id: "arxiv-2501.00002",
    title: "Protein folding",
    url: "http://arxiv.org/abs/2501.00002",
    relevance: 0.1,
  },
  {
    kind: "tool_failing",
    tool_id: "luma-ray2",
    name: "Luma Ray 2",
    success_rate: 0.2,
    detail: "4 of 5 prompts failed: timeout",
  },
];

describe("buildDigest", () => {
  it("renders a title and one line per item, with its link", () => {
    const digest = buildDigest([
      {
        alert_id: "a",
        kind: "new_tool",
        text: "New tool: X (found on github)",
        url: "https://github.com/x/x",
      },
      { alert_id: "b", kind: "tool_failing", text: "Failing: Y", url: null },
    ]);
    expect(digest.title).toBe("Tool stack research: 2 updates");
    expect(digest.text).toBe(
      "Tool stack research: 2 updates\n• New tool: X (found on github) https://github.com/x/x\n• Failing: Y",
    );
    expect(digest.more).toEqual({ count: 0, by_kind: {} });
  });

  it("lists the first 25 items and counts the rest per kind, so a first run does not flood a channel", () => {
    const items = Array.from({ length: 1_030 }, (_, i) => ({
      alert_id: `a${i}`,
      kind: i % 2 === 0 ? ("new_tool" as const) : ("new_sota" as const),
      text: `item ${i}`,
      url: null,
    }));
    const digest = buildDigest(items);
    expect(digest.title).toBe("Tool stack research: 1030 updates");
    expect(digest.items).toHaveLength(MAX_DIGEST_ITEMS);
    expect(digest.more).toEqual({ count: 1_005, by_kind: { new_sota: 503, new_tool: 502 } });
    expect(digest.text.split("\n").at(-1)).toBe(
      "…and 1,005 more: 502 new tools, 503 papers. /toolstack search <name> shows one.",
    );
  });
});

describe.each(testBackends())("notifyOnChanges on %s", (backend) => {
  const db = useTestDb(backend);

  const subscribeAll = async () => {
    await subscribe(db(), { platform: "slack", workspace: "T1", channel: "C-all", by: "U1" });
    await subscribe(db(), { platform: "slack", workspace: "T1", channel: "C-papers", topics: ["new_sota"] });
    await subscribe(db(), { platform: "discord", workspace: "G1", channel: "D-all" });
  };

  it("sends each subscribed channel one digest of its topics; low-relevance papers are not alerted", async () => {
    await subscribeAll();
    const slack = recordingSink("slack");
    const discord = recordingSink("discord");

    const result = await notifyOnChanges(db(), CHANGES, [slack, discord]);

    expect(result).toMatchObject({ alerts_created: 4, digests_sent: 3, items_sent: 9, failures: [] });
    expect(slack.sent.map((s) => s.channel).sort()).toEqual(["C-all", "C-papers"]);
    const all = slack.sent.find((s) => s.channel === "C-all")?.digest;
    expect(all?.items.map((i) => i.kind).sort()).toEqual([
      "new_sota",
      "new_tool",
      "price_change",
      "tool_failing",
    ]);
    expect(all?.text).toContain("Price change: Pika 2.2 $0.45 → $0.4 per clip");
    expect(all?.text).not.toContain("Protein folding");
    expect(slack.sent.find((s) => s.channel === "C-papers")?.digest.items.map((i) => i.text)).toEqual([
      "New paper: Camera control for DiT video",
    ]);
    expect(discord.sent).toHaveLength(1);
  });

  it("is idempotent: the same changes again create no alert and send nothing", async () => {
    await subscribeAll();
    await notifyOnChanges(db(), CHANGES, [recordingSink("slack"), recordingSink("discord")]);
    const slack = recordingSink("slack");
    const discord = recordingSink("discord");

    const again = await notifyOnChanges(db(), CHANGES, [slack, discord]);

    expect(again).toMatchObject({ alerts_created: 0, digests_sent: 0, items_sent: 0 });
    expect([...slack.sent, ...discord.sent]).toEqual([]);
  });

  it("after a send failed mid-run, the next run (a restart) sends only the missing channel", async () => {
    await subscribeAll();
    const first = await notifyOnChanges(db(), CHANGES, [
      recordingSink("slack", ["C-papers"]),
      recordingSink("discord"),
    ]);
    expect(first.digests_sent).toBe(2);
    expect(first.failures).toEqual([
      { platform: "slack", workspace: "T1", channel: "C-papers", message: "C-papers: rate limited" },
    ]);

    // A new process: fresh sinks, and this run found nothing new at all.
    const slack = recordingSink("slack");
    const discord = recordingSink("discord");
    const second = await notifyOnChanges(db(), [], [slack, discord]);

    expect(second.digests_sent).toBe(1);
    expect(slack.sent.map((s) => s.channel)).toEqual(["C-papers"]);
    expect(slack.sent[0]?.digest.items).toHaveLength(1);
    expect(discord.sent).toEqual([]);
    expect(
      (await notifyOnChanges(db(), [], [recordingSink("slack"), recordingSink("discord")])).digests_sent,
    ).toBe(0);
  });

  it("takes over a claim a crashed process left unconfirmed past the lease, but not a live one", async () => {
    await subscribe(db(), { platform: "slack", workspace: "T1", channel: "C-all" });
    await subscribe(db(), { platform: "slack", workspace: "T1", channel: "C-busy" });
    // Run 1 claimed both channels, then the process died before sending (nothing confirmed);
    // C-busy's claim is fresh (another replica may be sending right now), C-all's is an hour old.
    const crashed: AlertSink = { platform: "slack", sendDigest: () => new Promise(() => {}) };
    void notifyOnChanges(db(), CHANGES.slice(0, 1), [crashed]);
    await waitFor(async () => (await claims(db())).length === 1);
    await db().query(
      `INSERT INTO alert_deliveries (alert_id, platform, workspace, channel, sent_at)
       VALUES ('new_tool:acme-video-2', 'slack', 'T1', 'C-busy', now())
       ON CONFLICT DO NOTHING`,
    );
    await db().query(
      "UPDATE alert_deliveries SET sent_at = now() - interval '1 hour' WHERE channel = 'C-all'",
    );

    const slack = recordingSink("slack");
    const result = await notifyOnChanges(db(), [], [slack]);

    expect(slack.sent.map((s) => s.channel)).toEqual(["C-all"]);
    expect(result.digests_sent).toBe(1);
  });

  it("two replicas notifying at once send each channel one digest in total", async () => {
    await subscribeAll();
    const a = [recordingSink("slack"), recordingSink("discord")];
    const b = [recordingSink("slack"), recordingSink("discord")];

    await Promise.all([notifyOnChanges(db(), CHANGES, a), notifyOnChanges(db(), CHANGES, b)]);

    const sent = [...a, ...b].flatMap((s) => s.sent);
    expect(sent.map((s) => s.channel).sort()).toEqual(["C-all", "C-papers", "D-all"]);
  });

  it("leaves a channel whose platform has no sink in this process for one that has", async () => {
    await subscribeAll();
    await notifyOnChanges(db(), CHANGES, [recordingSink("slack")]);
    const discord = recordingSink("discord");
    await notifyOnChanges(db(), [], [discord]);
    expect(discord.sent.map((s) => s.digest.items.length)).toEqual([4]);
  });
});

async function claims(db: import("../../src/db/db.js").Db) {
  return (await db.query("SELECT alert_id FROM alert_deliveries")).rows;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 2_000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}
