/** Word arithmetic for spoken and on-screen copy: counting, fitting to a beat, matching key messages. */

/** A "word" is a whitespace-separated token with at least one letter or digit ("48", "emberoak.example"). */
export function countWords(text: string | null | undefined): number {
  if (!text) return 0;
  return text.split(/\s+/).filter((t) => /[\p{L}\p{N}]/u.test(t)).length;
}

/** Words a beat of `seconds` can carry at `wordsPerSecond` — what generators aim for (no tolerance). */
export function wordBudget(seconds: number, wordsPerSecond: number): number {
  return Math.max(0, Math.floor(seconds * wordsPerSecond + 1e-9));
}

const STOPWORDS = new Set(
  "a an and are as at be by for from has have in is it its of on or our so that the their this to was we with you your yours".split(
    " ",
  ),
);

/** Lower-cased content words of a message (stopwords and one-letter tokens dropped). */
export function significantWords(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}.]+/u)
    .map((w) => w.replace(/^\.+|\.+$/g, ""))
    .filter((w) => w.length > 1 && !STOPWORDS.has(w));
}

/**
 * Whether `message` is said or shown in `copy`: at least 70% of its significant words appear there.
 * "Verbatim or near": rephrasing the odd word passes, dropping the point does not.
 */
export function carriesMessage(copy: string, message: string): boolean {
  const wanted = significantWords(message);
  if (wanted.length === 0) return true;
  const have = new Set(significantWords(copy));
  const found = wanted.filter((w) => have.has(w)).length;
  return found / wanted.length >= 0.7;
}

/** End a line with sentence punctuation so joined lines read as sentences. */
export function sentence(text: string): string {
  const t = text.trim();
  if (!t) return t;
  return /[.!?…"”]$/.test(t) ? t : `${t}.`;
}
