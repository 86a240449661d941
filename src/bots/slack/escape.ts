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

/**
 * Text a person typed, safe in mrkdwn: entities escaped, and `* _ ~ \`` fenced by zero-width spaces
 * (Slack only formats at word boundaries, so the markers no longer pair up). A line starting with `>`
 * would become a quote; a zero-width space in front keeps it a plain character.
 */
export function escapeUserText(text: string): string {
  return escapeEntities(text)
    .replace(/[*_~`]/g, (c) => `${ZWSP}${c}${ZWSP}`)
    .replace(/^&gt;/gm, `${ZWSP}&gt;`);
}

/** A link target safe inside `<url|text>`: only http(s), and no character that could end the link early. */
export function safeUrl(url: string): string | null {
  if (!/^https?:\/\/[^\s]+$/i.test(url)) return null;
  return url.replaceAll("|", "%7C").replaceAll("<", "%3C").replaceAll(">", "%3E").replaceAll("&", "&amp;");
}
