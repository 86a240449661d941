/** Research alert digests posted to subscribed Slack channels (the research job's AlertSink). */
import type { AlertDigest, AlertSink } from "../../research/alerts.js";
import { plural } from "../core/format.js";
import { type Element, header, paragraph, smallPrint, type View, words } from "../core/view.js";
import type { SlackMessenger } from "./messenger.js";
import { renderSlackMessages } from "./render.js";

export function digestView(digest: AlertDigest): View {
  const elements: Element[] = [header(`🔎 ${digest.title}`)];
  // Found on the web: shown as typed text, linked only through the span's checked url.
  for (const item of digest.items)
    elements.push(
      paragraph([words("• "), { text: item.text, user: true, ...(item.url ? { url: item.url } : {}) }]),
    );
  if (digest.more.count > 0)
    elements.push(
      smallPrint([
        words(`…and ${plural(digest.more.count, "more update")}. /toolstack search <name> shows one.`),
      ]),
    );
  return { summary: digest.title, elements };
}

export function slackAlertSink(messenger: SlackMessenger): AlertSink {
  return {
    platform: "slack",
    async sendDigest({ channel }, digest) {
      for (const message of renderSlackMessages(digestView(digest))) await messenger.post(channel, message);
    },
  };
}
