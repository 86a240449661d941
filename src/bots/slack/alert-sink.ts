/** Research alert digests posted to subscribed Slack channels (the research job's AlertSink). */
import type { AlertSink } from "../../research/alerts.js";
import { digestView } from "../core/toolstack-views.js";
import type { SlackMessenger } from "./messenger.js";
import { renderSlackMessages } from "./render.js";

export function slackAlertSink(messenger: SlackMessenger): AlertSink {
  return {
    platform: "slack",
    async sendDigest({ channel }, digest) {
      for (const message of renderSlackMessages(digestView(digest))) await messenger.post(channel, message);
    },
  };
}
