/**
 * Text for Slack mrkdwn. Slack reads `&`, `<` and `>` as control characters: `<!channel>`,
 * `<!here>`, `<@U123>` and `<https://evil|harmless text>` are all made of them, so escaping the three
 * (https://docs.slack.dev/messaging/formatting-message-text#escaping) makes any typed text inert.
 * Text a person typed also has its formatting characters neutralised, so `*bold*` or a stray ``` cannot
 * restyle or swallow the rest of a block.
 */

const ZWSP = "\u200B";

/** `&`, `<`, `>` as entities: required for every piece of text we send as mrkdwn. */
export function escapeEntities(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/** Between two letters or digits (as in youtube_shorts): Slack never reads a marker there as formatting. */
const inWord = (before: string | undefined, after: string | undefined) =>
  before !== undefined && after !== undefined && /[\p{L}\p{N}]/u.test(before) && /[\p{L}\p{N}]/u.test(after);

/**
 * Text a person typed, safe in mrkdwn: entities escaped, and `* _ ~ \`` fenced by zero-width spaces
 * (Slack only formats at word boundaries, so the markers no longer pair up). A marker inside a word
 * (youtube_shorts, key_messages) is left alone, so a name copied out of a message still works when
 * pasted back. A line starting with `>` would become a quote; a zero-width space in front keeps it a
 * plain character.
 */
export function escapeUserText(text: string): string {
  return (
    escapeEntities(text)
      .replace(/[*_~`]/g, (c, at: number, all: string) =>
        inWord(all[at - 1], all[at + 1]) ? c : `${ZWSP}${c}${ZWSP}`,
      )
      .replace(/^&gt;/gm, `${ZWSP}&gt;`)
      // A mrkdwn text object is not verbatim, so Slack may turn a bare @here into a mention itself.
      .replace(/@(here|channel|everyone)\b/gi, `@${ZWSP}$1`)
  );
}

/**
 * Text Slack sent us (a slash command's text, a message) as the person typed it. Slack sends `&`,
 * `<` and `>` as entities, so a pasted `A & B` or a YAML `key: >` arrives as `&amp;` / `&gt;`; decoding
 * them (`&amp;` last) gives the typed text back, which every renderer escapes again on the way out.
 */
export function decodeEntities(text: string): string {
  return text.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");
}

/**
 * A message's text as a person reads it: Slack's control sequences become their visible text —
 * `<https://x.example|x.example>` its label, `<@U123>` "@U123", `<!here>` "@here", `<#C1|video>`
 * "#video" — then entities are decoded. Stored as typed text, none of it can ping or link later.
 */
export function readableMessageText(text: string): string {
  const shown = text.replace(/<([^<>]*)>/g, (_, inner: string) => {
    const [target = "", label] = inner.split("|", 2);
    if (target.startsWith("@") || target.startsWith("#"))
      return label ? `${target[0]}${label.replace(/^[@#]/, "")}` : target;
    if (target.startsWith("!")) {
      const special = target.slice(1).split("^")[0] ?? "";
      return label ?? (special === "subteam" ? "@team" : special === "date" ? "" : `@${special}`);
    }
    return label ?? target.replace(/^mailto:/, "");
  });
  return decodeEntities(shown);
}

/** A link target safe inside `<url|text>`: only http(s), and no character that could end the link early. */
export function safeUrl(url: string): string | null {
  if (!/^https?:\/\/[^\s]+$/i.test(url)) return null;
  return url.replaceAll("|", "%7C").replaceAll("<", "%3C").replaceAll(">", "%3E").replaceAll("&", "&amp;");
}
