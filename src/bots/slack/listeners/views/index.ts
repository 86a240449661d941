/** Modal submissions: every callback_id we render starts with "gl1:" (core/actions.ts). */
import type { App } from "@slack/bolt";
import { parseOrThrow } from "../../../../domain/parse.js";
import type { SlackContext } from "../../context.js";
import { ViewSubmission } from "../../payloads.js";
import { type Ack, submission } from "./submissions.js";

export function register(app: App, ctx: SlackContext): void {
  app.view({ callback_id: /^gl1:/, type: "view_submission" }, async ({ body, ack }) => {
    await submission(ctx, parseOrThrow(ViewSubmission, body, "view submission"), ack as Ack);
  });
}
