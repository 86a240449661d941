import type { Tool } from "../domain/tool.js";

/**
 * What a tool charges for a piece of work, from its sourced pricing. Every function returns `null`
 * when the price is unknown, never 0: an unknown price is shown as unknown and counted apart.
 */

/** Money is summed in floats and rounded to 1/100 of a cent so sums do not drift. */
export function roundUsd(usd: number): number {
  return Math.round(usd * 10_000) / 10_000;
}

const EPS = 1e-9;

/** Price of one video clip of `seconds` from a video generator; null when no source gives it. */
export function clipCost(tool: Tool, seconds: number): number | null {
  const { unit, usd, clip_seconds: clipS, usd_per_extra_second: extra } = tool.pricing;
  if (usd === null) return null;
  switch (unit) {
    case "per_second":
      return roundUsd(usd * seconds);
    case "per_minute":
      return roundUsd((usd * seconds) / 60);
    case "per_clip":
      if (clipS === null || seconds <= clipS + EPS) return usd;
      // Longer than the priced clip: only known when the source gives a per-second extra.
      return extra === null ? null : roundUsd(usd + extra * (seconds - clipS));
    default:
      return null;
  }
}

export interface WorkAmount {
  seconds?: number;
  characters?: number;
  images?: number;
  clips?: number;
}

/** Price of a non-video step (keyframe image, speech, lip-sync, upscale) for the amount of work. */
export function workCost(tool: Tool, amount: WorkAmount): number | null {
  const { unit, usd } = tool.pricing;
  if (usd === null) return null;
  switch (unit) {
    case "per_image":
      return roundUsd(usd * (amount.images ?? 1));
    case "per_1k_characters":
      return amount.characters === undefined ? null : roundUsd((usd * amount.characters) / 1000);
    case "per_second":
      return amount.seconds === undefined ? null : roundUsd(usd * amount.seconds);
    case "per_minute":
      return amount.seconds === undefined ? null : roundUsd((usd * amount.seconds) / 60);
    case "per_clip":
      return roundUsd(usd * (amount.clips ?? 1));
    default:
      return null;
  }
}

/** "price as of …; source" for a step, so every figure says where it comes from. */
export function priceSource(tool: Tool): string | null {
  const { usd, as_of: asOf, sources } = tool.pricing;
  if (usd === null) return null;
  const source = sources[0] ? `; ${sources[0]}` : "";
  return asOf ? `price as of ${asOf}${source}` : `price undated${source}`;
}

/**
 * Clip lengths the tool can make: its listed durations, or every whole second between its shortest
 * and longest clip (APIs take whole seconds). Null when the longest clip is unknown: then no one can
 * say whether the tool reaches a shot's length.
 */
export function clipLengths(tool: Tool): number[] | null {
  const { max_clip_s: max, min_clip_s: min, clip_durations_s: listed } = tool.capabilities;
  if (listed && listed.length > 0) {
    const capped = max === null ? listed : listed.filter((d) => d <= max + EPS);
    return [...new Set(capped)].sort((a, b) => a - b);
  }
  if (max === null) return null;
  const lengths: number[] = [];
  for (let s = Math.max(1, Math.ceil(min ?? 1)); s <= max + EPS; s += 1) lengths.push(s);
  if (lengths.length === 0 || Math.abs((lengths.at(-1) ?? 0) - max) > EPS) lengths.push(max);
  return lengths;
}

export interface ClipPlan {
  /** Length of each clip the tool makes, in order. */
  lengths: number[];
  billedSeconds: number;
  /** Sum of the clips' prices; null when any clip's price is unknown. */
  costUsd: number | null;
}

/**
 * How a tool covers a shot of `seconds`: the fewest clips (every seam is a visible risk), then the
 * cheaper of two splits — full-length clips plus the shortest clip that covers the rest, or equal
 * clips. Clip granularity decides cost: a 1.5 s shot on a tool whose shortest clip is 6 s pays for 6.
 * Null when the tool's clip lengths are unknown.
 */
export function planClips(tool: Tool, seconds: number): ClipPlan | null {
  const lengths = clipLengths(tool);
  if (!lengths || lengths.length === 0) return null;
  const longest = lengths.at(-1) as number;
  const count = Math.max(1, Math.ceil(seconds / longest - EPS));
  const covering = (need: number) => lengths.find((l) => l + EPS >= need) ?? longest;
  const fullThenRest = [...Array<number>(count - 1).fill(longest), covering(seconds - (count - 1) * longest)];
  const equal = Array<number>(count).fill(covering(seconds / count));
  const candidates = [fullThenRest, equal].map((ls) => priced(tool, ls));
  candidates.sort((a, b) =>
    a.costUsd !== null && b.costUsd !== null && a.costUsd !== b.costUsd
      ? a.costUsd - b.costUsd
      : a.billedSeconds - b.billedSeconds,
  );
  return candidates[0] as ClipPlan;
}

function priced(tool: Tool, lengths: number[]): ClipPlan {
  let cost: number | null = 0;
  for (const l of lengths) {
    const c = clipCost(tool, l);
    cost = cost === null || c === null ? null : cost + c;
  }
  const billed = lengths.reduce((s, l) => s + l, 0);
  return { lengths, billedSeconds: roundUsd(billed), costUsd: cost === null ? null : roundUsd(cost) };
}
