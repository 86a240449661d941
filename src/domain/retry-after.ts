/**
 * Milliseconds an HTTP Retry-After header asks for (delta seconds or an HTTP date), or null when it is
 * absent or unreadable. Shared by the model client and the research sources, which both wait it out.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | null {
  const trimmed = value?.trim();
  if (!trimmed) return null;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - nowMs);
}
