/**
 * Slack request signatures (https://docs.slack.dev/authentication/verifying-requests-from-slack):
 * `x-slack-signature` is `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>` with the signing
 * secret; a timestamp more than five minutes away from now is refused, so a captured request cannot be
 * replayed later.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const MAX_REQUEST_AGE_S = 5 * 60;

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export function checkSlackSignature(options: {
  signingSecret: string;
  rawBody: string;
  signature: string | undefined;
  timestamp: string | undefined;
  nowMs?: number;
}): SignatureCheck {
  const { signature, timestamp } = options;
  if (!signature || !timestamp) return { ok: false, reason: "missing x-slack-signature or timestamp" };
  const ts = Number(timestamp);
  if (!Number.isInteger(ts)) return { ok: false, reason: "x-slack-request-timestamp is not a number" };
  const now = Math.floor((options.nowMs ?? Date.now()) / 1000);
  if (Math.abs(now - ts) > MAX_REQUEST_AGE_S) return { ok: false, reason: "request timestamp is stale" };
  const expected = signSlackRequest(options.signingSecret, timestamp, options.rawBody);
  const a = Buffer.from(signature);
  const b = Buffer.from(expected);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return { ok: false, reason: "signature mismatch" };
  return { ok: true };
}

/** The `x-slack-signature` value for a body (also what tests and the bench sign with). */
export function signSlackRequest(signingSecret: string, timestamp: string, rawBody: string): string {
  return `v0=${createHmac("sha256", signingSecret).update(`v0:${timestamp}:${rawBody}`).digest("hex")}`;
}
