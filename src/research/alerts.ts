import type { Queryable } from "../db/db.js";
import { errorMessage } from "../domain/errors.js";
import { changeKey, type ToolStackChange } from "./changes.js";
import { RELEVANCE_BAR } from "./sota.js";

/**
 * Research findings → alerts → one digest per subscribed channel per run.
 *
 * Delivery is claim-then-send. For each channel the alerts it has not had are claimed by inserting
 * `alert_deliveries` rows (one autocommitted statement, so the claim is visible to every replica
 * before anything is sent); only the rows this process won go into its digest. Then:
 * - send succeeds → the rows are confirmed (`confirmed_at`); no run sends them to that channel again;
 * - send throws → the rows are deleted (claim released); the next run retries them;
 * - the process dies between claim and confirm → the rows stay unconfirmed; once older than the lease
 *   (default 10 min, far above a send's duration) a later run takes them over and sends them.
 * So a channel gets each alert exactly once, except that a crash after the platform accepted a digest
 * but before the confirm can repeat that one digest (at-least-once in that window). We chose that over
 * at-most-once because a silently lost alert is what makes people stop trusting the feed; a rare repeat
 * after a crash is visible and harmless.
 */

export const ALERT_TOPICS = ["new_tool", "price_change", "new_sota", "tool_failing"] as const;
export type AlertTopic = (typeof ALERT_TOPICS)[number];

export interface AlertItem {
  alert_id: string;
  kind: AlertTopic;
  text: string;
  url: string | null;
}

/** Platform-neutral digest; the Slack and Discord renderers turn it into blocks / embeds. */
export interface AlertDigest {
  title: string;
  /** At most MAX_DIGEST_ITEMS, in order found. */
  items: AlertItem[];
  /** Alerts in this digest beyond `items`, counted per kind (a first run can find thousands). */
  more: { count: number; by_kind: Partial<Record<AlertTopic, number>> };
  /** Plain-text rendering (fallback text, CLI, logs). */
  text: string;
}

/** Items listed one by one in a digest; the rest are counted (fits a Slack message / Discord embed). */
export const MAX_DIGEST_ITEMS = 25;

const KIND_LABELS: Record<AlertTopic, [string, string]> = {
  new_tool: ["new tool", "new tools"],
  price_change: ["price change", "price changes"],
  new_sota: ["paper", "papers"],
  tool_failing: ["failing tool", "failing tools"],
};

export interface AlertChannel {
  workspace: string;
  channel: string;
}

/** Implemented by the Slack and Discord bots; tests use a recording sink. */
export interface AlertSink {
  platform: "slack" | "discord";
  sendDigest(channel: AlertChannel, digest: AlertDigest): Promise<void>;
}

export interface NotifyOptions {
  /** A paper is alerted only when its relevance (0..1) reaches this bar. Default: the SOTA tracker's. */
  relevanceBar?: number;
  /** An unconfirmed claim older than this was left by a crashed process and may be taken over. */
  leaseMs?: number;
  /** Alerts older than this are not sent to channels that missed them (no flood after an outage). */
  maxAgeDays?: number;
}

export interface DeliveryFailure {
  platform: string;
  workspace: string;
  channel: string;
  message: string;
}

export interface NotifyResult {
  /** Alerts created by this call (a change already alerted before is not new). */
  alerts_created: number;
  digests_sent: number;
  /** Alert × channel deliveries in the sent digests. */
  items_sent: number;
  failures: DeliveryFailure[];
}

/** The SOTA tracker's bar: a paper below it is stored but not alerted. */
const DEFAULT_RELEVANCE_BAR = RELEVANCE_BAR;
const DEFAULT_LEASE_MS = 10 * 60_000;
const DEFAULT_MAX_AGE_DAYS = 7;

/** Whether a change is worth telling people about. */
export function isMeaningful(change: ToolStackChange, relevanceBar = DEFAULT_RELEVANCE_BAR): boolean {
  switch (change.kind) {
    case "new_tool":
    case "tool_failing":
      return true;
    case "price_change":
      return change.before !== change.after;
    case "new_sota":
      return change.relevance >= relevanceBar;
  }
}

const subjectOf = (change: ToolStackChange) =>
  change.kind === "new_sota" ? change.technique_id : change.tool_id;

/** Stores the meaningful changes as alerts (alert_id = changeKey); returns how many were new. */
export async function recordAlerts(
  db: Queryable,
  changes: readonly ToolStackChange[],
  relevanceBar = DEFAULT_RELEVANCE_BAR,
): Promise<number> {
  const byKey = new Map<string, ToolStackChange>();
  for (const change of changes) if (isMeaningful(change, relevanceBar)) byKey.set(changeKey(change), change);
  if (byKey.size === 0) return 0;
  const list = [...byKey.entries()];
  const { rowCount } = await db.query(
    `INSERT INTO alerts (alert_id, kind, subject, payload)
     SELECT id, kind, subject, payload::jsonb
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(id, kind, subject, payload)
     ON CONFLICT (alert_id) DO NOTHING`,
    [
      list.map(([key]) => key),
      list.map(([, c]) => c.kind),
      list.map(([, c]) => subjectOf(c)),
      list.map(([, c]) => JSON.stringify(c)),
    ],
  );
  return rowCount;
}

const money = (usd: number | null) => (usd === null ? "unknown" : `$${usd}`);

/** One line a person can read, for an alert's change. */
export function describeChange(change: ToolStackChange): { text: string; url: string | null } {
  switch (change.kind) {
    case "new_tool":
      return { text: `New tool: ${change.name} (found on ${change.source})`, url: change.url };
    case "price_change":
      return {
        text: `Price change: ${change.name} ${money(change.before)} → ${money(change.after)} ${change.unit.replaceAll("_", " ")}`,
        url: change.source,
      };
    case "new_sota":
      return { text: `New paper: ${change.title}`, url: change.url };
    case "tool_failing":
      return {
        text: `Failing: ${change.name}: ${Math.round(change.success_rate * 100)}% of benchmark prompts succeeded (${change.detail})`,
        url: null,
      };
  }
}

/** The digest for a list of alerts, with its plain-text rendering. */
export function buildDigest(all: AlertItem[]): AlertDigest {
  const title = `Tool stack research: ${all.length} update${all.length === 1 ? "" : "s"}`;
  const items = all.slice(0, MAX_DIGEST_ITEMS);
  const byKind: Partial<Record<AlertTopic, number>> = {};
  for (const item of all.slice(MAX_DIGEST_ITEMS)) byKind[item.kind] = (byKind[item.kind] ?? 0) + 1;
  const more = { count: all.length - items.length, by_kind: byKind };
  const lines = items.map((item) => `• ${item.text}${item.url ? ` ${item.url}` : ""}`);
  if (more.count > 0) {
    const parts = ALERT_TOPICS.flatMap((kind) => {
      const n = byKind[kind];
      return n ? [`${n.toLocaleString("en-US")} ${KIND_LABELS[kind][n === 1 ? 0 : 1]}`] : [];
    });
    lines.push(
      `…and ${more.count.toLocaleString("en-US")} more: ${parts.join(", ")}. /toolstack search <name> shows one.`,
    );
  }
  return { title, items, more, text: [title, ...lines].join("\n") };
}

interface SubscriptionRow {
  platform: string;
  workspace: string;
  channel: string;
  topics: string[];
  created_at: string;
}

interface AlertRow {
  alert_id: string;
  kind: AlertTopic;
  payload: ToolStackChange;
}

/**
 * Records the meaningful changes as alerts, then sends every subscribed channel one digest of the
 * alerts it has not had yet (its topics only; including alerts a failed or crashed earlier run left
 * undelivered). A channel whose platform has no sink is left for a process that has one.
 */
export async function notifyOnChanges(
  db: Queryable,
  changes: readonly ToolStackChange[],
  sinks: readonly AlertSink[],
  options: NotifyOptions = {},
): Promise<NotifyResult> {
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const alertsCreated = await recordAlerts(db, changes, options.relevanceBar);
  const result: NotifyResult = {
    alerts_created: alertsCreated,
    digests_sent: 0,
    items_sent: 0,
    failures: [],
  };
  const sinkFor = new Map(sinks.map((sink) => [sink.platform, sink]));
  const { rows: subscriptions } = await db.query<SubscriptionRow>(
    `SELECT platform, workspace, channel, topics, created_at FROM subscriptions
     WHERE platform = ANY($1::text[]) ORDER BY created_at, platform, workspace, channel`,
    [[...sinkFor.keys()]],
  );

  for (const sub of subscriptions) {
    const sink = sinkFor.get(sub.platform as AlertSink["platform"]);
    if (!sink) continue;
    const pending = await pendingAlerts(db, sub, leaseMs, options.maxAgeDays ?? DEFAULT_MAX_AGE_DAYS);
    if (pending.length === 0) continue;
    const claimed = new Set(await claimDeliveries(db, sub, pending, leaseMs));
    const mine = pending.filter((a) => claimed.has(a.alert_id));
    if (mine.length === 0) continue;
    const ids = mine.map((a) => a.alert_id);
    const digest = buildDigest(
      mine.map((a) => ({ alert_id: a.alert_id, kind: a.kind, ...describeChange(a.payload) })),
    );
    try {
      await sink.sendDigest({ workspace: sub.workspace, channel: sub.channel }, digest);
    } catch (error) {
      await settleDeliveries(db, sub, ids, "release");
      result.failures.push({
        platform: sub.platform,
        workspace: sub.workspace,
        channel: sub.channel,
        message: errorMessage(error),
      });
      continue;
    }
    await settleDeliveries(db, sub, ids, "confirm");
    result.digests_sent += 1;
    result.items_sent += ids.length;
  }
  return result;
}

/** Alerts for the channel's topics, created since it subscribed, not delivered or claimed (live) yet. */
async function pendingAlerts(
  db: Queryable,
  sub: SubscriptionRow,
  leaseMs: number,
  maxAgeDays: number,
): Promise<AlertRow[]> {
  const { rows } = await db.query<AlertRow>(
    `SELECT a.alert_id, a.kind, a.payload FROM alerts a
     WHERE a.created_at >= $4::timestamptz
       AND a.created_at >= now() - make_interval(days => $6::int)
       AND (cardinality($5::text[]) = 0 OR a.kind = ANY($5::text[]))
       AND NOT EXISTS (
         SELECT 1 FROM alert_deliveries d
         WHERE d.alert_id = a.alert_id AND d.platform = $1 AND d.workspace = $2 AND d.channel = $3
           AND (d.confirmed_at IS NOT NULL OR d.sent_at > now() - make_interval(secs => $7::float8)))
     ORDER BY a.created_at, a.alert_id`,
    [sub.platform, sub.workspace, sub.channel, sub.created_at, sub.topics, maxAgeDays, leaseMs / 1000],
  );
  return rows;
}

/**
 * Inserts this channel's delivery rows; returns the alert ids this process won. A row another process
 * holds (confirmed, or claimed within the lease) is not returned; an expired unconfirmed claim is
 * taken over.
 */
async function claimDeliveries(
  db: Queryable,
  sub: SubscriptionRow,
  alerts: AlertRow[],
  leaseMs: number,
): Promise<string[]> {
  const { rows } = await db.query<{ alert_id: string }>(
    `INSERT INTO alert_deliveries AS d (alert_id, platform, workspace, channel, sent_at)
     SELECT id, $2, $3, $4, now() FROM unnest($1::text[]) AS t(id)
     ON CONFLICT (alert_id, platform, workspace, channel) DO UPDATE SET sent_at = now()
       WHERE d.confirmed_at IS NULL AND d.sent_at <= now() - make_interval(secs => $5::float8)
     RETURNING alert_id`,
    [alerts.map((a) => a.alert_id), sub.platform, sub.workspace, sub.channel, leaseMs / 1000],
  );
  return rows.map((r) => r.alert_id);
}

async function settleDeliveries(
  db: Queryable,
  sub: SubscriptionRow,
  ids: string[],
  outcome: "confirm" | "release",
): Promise<void> {
  const where = `platform = $1 AND workspace = $2 AND channel = $3 AND alert_id = ANY($4::text[]) AND confirmed_at IS NULL`;
  const sql =
    outcome === "confirm"
      ? `UPDATE alert_deliveries SET confirmed_at = now() WHERE ${where}`
      : `DELETE FROM alert_deliveries WHERE ${where}`;
  await db.query(sql, [sub.platform, sub.workspace, sub.channel, ids]);
}
