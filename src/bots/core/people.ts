import { type Span, typed } from "./view.js";

/** A person as a view shows them: their name (escaped) or a mention of their platform id. */
export function person(userId: string, displayName?: string): Span {
  return { text: displayName?.trim() || userId, user: true, mention: userId };
}

/**
 * Text that names people as `<@id>` (how src/production/access.ts words a refusal it has no
 * structured data for) as spans: each id a mention, the rest escaped text, never parsed as markup.
 * Each renderer checks the id is one of its platform's before it mentions anyone.
 */
export function withMentions(text: string): Span[] {
  const spans: Span[] = [];
  let last = 0;
  for (const m of text.matchAll(/<@([A-Za-z0-9]{2,24})>/g)) {
    if (m.index > last) spans.push(typed(text.slice(last, m.index)));
    spans.push(person(m[1] as string));
    last = m.index + m[0].length;
  }
  if (last < text.length) spans.push(typed(text.slice(last)));
  return spans;
}
