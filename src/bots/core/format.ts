/** Words and numbers as every view shows them, so Slack and Discord read the same. */
import type { ReviewStage, Stage } from "../../domain/production.js";
import type { Platform } from "../../domain/vrd.js";
import type { Span } from "./view.js";

export const PLATFORM_LABEL: Record<Platform, string> = {
  youtube: "YouTube",
  youtube_shorts: "YouTube Shorts",
  tiktok: "TikTok",
  instagram_reels: "Instagram Reels",
  linkedin: "LinkedIn",
  x: "X",
  website: "Website",
  tv: "TV",
  other: "Other",
};

export const STAGE_LABEL: Record<Stage, string> = {
  draft: "Draft",
  clarifying: "Waiting for answers",
  scripting: "Writing the script",
  script_review: "Script ready for review",
  shooting: "Breaking the script into shots",
  shots_review: "Shot list ready for review",
  planning: "Planning tools and cost",
  plan_review: "Plan ready for review",
  approved: "Approved",
  failed: "Failed",
  cancelled: "Cancelled",
};

export const REVIEW_NOUN: Record<ReviewStage, string> = {
  script_review: "script",
  shots_review: "shot list",
  plan_review: "plan",
};

/** 7.5 → "7.5 s"; 90 → "1 min 30 s". */
export function seconds(s: number): string {
  if (s < 60) return `${round1(s)} s`;
  const m = Math.floor(s / 60);
  const rest = round1(s - m * 60);
  return rest === 0 ? `${m} min` : `${m} min ${rest} s`;
}

export const round1 = (n: number) => Math.round(n * 10) / 10;

/** "0.0–3.0 s" */
export const timeRange = (start: number, end: number) => `${start.toFixed(1)}–${end.toFixed(1)} s`;

/** Minutes from seconds or minutes; `null` is unknown. */
export function minutesFromSeconds(s: number | null): string {
  if (s === null) return "unknown";
  return s < 60 ? `${Math.round(s)} s` : `${round1(s / 60)} min`;
}

export function minutes(m: number | null): string {
  return m === null ? "unknown" : `${round1(m)} min`;
}

/** "14:02 UTC" plus the instant, so a platform can show the reader's local time instead. */
export function clock(at: Date): Span {
  const hh = String(at.getUTCHours()).padStart(2, "0");
  const mm = String(at.getUTCMinutes()).padStart(2, "0");
  return { text: `${hh}:${mm} UTC`, at: at.toISOString() };
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Snake-case enum values as words: "push_in" → "push in". */
export const spaced = (s: string) => s.replaceAll("_", " ");
