/** Small text rules the agents' and the bots' wording share. */

/** "push in" → "Push in". */
export const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** Text safe inside one Markdown table cell: a pipe would end the cell, a newline the row. */
export const markdownCell = (text: string): string => text.replaceAll("|", "\\|").replaceAll("\n", " ");

/**
 * Dollars to the cent. `null` is unknown, never $0; a positive amount under half a cent reads "<$0.01",
 * not a free-looking "$0.00".
 */
export function money(usd: number | null): string {
  if (usd === null) return "unknown";
  if (usd > 0 && usd < 0.005) return "<$0.01";
  return `$${usd.toFixed(2)}`;
}
