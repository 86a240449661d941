import type { Span } from "./view.js";

/** A person as a view shows them: their name (escaped) or a mention of their platform id. */
export function person(userId: string, displayName?: string): Span {
  return { text: displayName?.trim() || userId, user: true, mention: userId };
}
