/**
 * Splitting long content so it fits a platform's limits without losing a word: text breaks at line
 * ends, then at spaces, then (a very long token) anywhere; tables break between rows and repeat their
 * header. Both renderers use these with their own `render` (which escapes), so lengths are measured
 * after escaping, the way the platform counts them.
 */
import type { Column, Span } from "./view.js";

/** Spans cut into lines: a span holding "\n" becomes several spans on consecutive lines. */
function toLines(spans: readonly Span[]): Span[][] {
  const lines: Span[][] = [[]];
  for (const span of spans) {
    span.text.split("\n").forEach((part, i) => {
      if (i > 0) lines.push([]);
      if (part) lines[lines.length - 1]!.push({ ...span, text: part });
    });
  }
  return lines;
}

/** One span's text cut into pieces whose rendering fits `max` (whitespace first, then anywhere). */
function splitSpan(span: Span, render: (s: Span) => string, max: number): string[] {
  const out: string[] = [];
  let acc = "";
  const fits = (text: string) => render({ ...span, text }).length <= max;
  const tokens = span.text.split(/(?<=\s)/);
  for (const token of tokens) {
    if (fits(acc + token)) {
      acc += token;
      continue;
    }
    if (acc) out.push(render({ ...span, text: acc }));
    acc = "";
    if (fits(token)) {
      acc = token;
      continue;
    }
    // A token longer than the limit on its own: cut it by characters.
    let rest = token;
    while (rest) {
      let n = Math.min(rest.length, max);
      while (n > 1 && !fits(rest.slice(0, n))) n = Math.floor(n * 0.8);
      out.push(render({ ...span, text: rest.slice(0, n) }));
      rest = rest.slice(n);
    }
  }
  if (acc) out.push(render({ ...span, text: acc }));
  return out;
}

/** A line rendered as one or more pieces, each at most `max` long. */
function renderLine(line: Span[], render: (s: Span) => string, max: number): string[] {
  const whole = line.map(render).join("");
  if (whole.length <= max) return [whole];
  const pieces: string[] = [];
  let current = "";
  for (const span of line) {
    const r = render(span);
    if (current.length + r.length <= max) {
      current += r;
      continue;
    }
    if (current) pieces.push(current);
    current = "";
    if (r.length <= max) current = r;
    else pieces.push(...splitSpan(span, render, max));
  }
  if (current) pieces.push(current);
  return pieces;
}

/**
 * Rendered text of `spans` in chunks of at most `max` characters, breaking between lines where it
 * can. Joining the chunks with "\n" gives the whole text back (apart from where a line was too long).
 */
export function splitSpans(spans: readonly Span[], render: (s: Span) => string, max: number): string[] {
  const chunks: string[] = [];
  let current: string | null = null;
  for (const line of toLines(spans)) {
    const pieces = renderLine(line, render, max);
    if (pieces.length === 0) pieces.push("");
    pieces.forEach((piece, i) => {
      if (current !== null && i === 0 && current.length + 1 + piece.length <= max) {
        current += `\n${piece}`;
        return;
      }
      if (current !== null) chunks.push(current);
      current = piece;
    });
  }
  if (current !== null && current !== "") chunks.push(current);
  return chunks.filter((c) => c.trim() !== "");
}

/** Table rows as aligned monospace lines: a header line, a rule, then one line per row. */
export function tableLines(
  columns: readonly Column[],
  rows: readonly string[][],
): { head: string[]; body: string[] } {
  const widths = columns.map((c, i) => Math.max(c.label.length, ...rows.map((r) => (r[i] ?? "").length)));
  const fmt = (cells: readonly string[]) =>
    columns
      .map((c, i) => {
        const cell = cells[i] ?? "";
        return c.align === "right" ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!);
      })
      .join("  ")
      .trimEnd();
  return {
    head: [fmt(columns.map((c) => c.label)), widths.map((w) => "-".repeat(w)).join("  ")],
    body: rows.map(fmt),
  };
}

/**
 * Table lines grouped into chunks, each rendered by `wrap` (e.g. a code block) within `max`
 * characters; every chunk repeats the header. A single row too wide for a chunk is wrapped.
 */
export function splitTable(
  columns: readonly Column[],
  rows: readonly string[][],
  wrap: (lines: string[]) => string,
  max: number,
): string[] {
  const { head, body } = tableLines(columns, rows);
  const chunks: string[] = [];
  let current: string[] = [];
  for (const row of body) {
    // A row too wide for a chunk on its own is wrapped onto several lines, never cut off.
    const lines: string[] = [];
    let rest = row;
    while (rest.length > 0) {
      let n = rest.length;
      while (n > 1 && wrap([...head, rest.slice(0, n)]).length > max) n = Math.floor(n * 0.8);
      lines.push(rest.slice(0, n));
      rest = rest.slice(n);
    }
    for (const l of lines) {
      if (current.length > 0 && wrap([...head, ...current, l]).length > max) {
        chunks.push(wrap([...head, ...current]));
        current = [];
      }
      current.push(l);
    }
  }
  if (current.length > 0 || chunks.length === 0) chunks.push(wrap([...head, ...current]));
  return chunks;
}

/**
 * `text` wrapped in a markup marker (`*`, `**`, `_`…) with its outer whitespace kept outside, since
 * markdown dialects only format a run that starts and ends on a non-space.
 */
export function wrapKeepingSpace(text: string, marker: string): string {
  const m = /^(\s*)(.*?)(\s*)$/s.exec(text);
  if (!m?.[2]) return text;
  return `${m[1]}${marker}${m[2]}${marker}${m[3]}`;
}
