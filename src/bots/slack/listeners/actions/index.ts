/** Buttons and menus: every id we render starts with "gl1:" (core/actions.ts). */
import type { App } from "@slack/bolt";
import { parseOrThrow } from "../../../../domain/parse.js";
import type { SlackContext } from "../../context.js";
import { BlockActions } from "../../payloads.js";
import { productionAction } from "./production-actions.js";

export function register(app: App, ctx: SlackContext): void {
  app.action(/^gl1:/, async ({ body, ack }) => {
    await ack();
    await productionAction(ctx, parseOrThrow(BlockActions, body, "block action"));
  });
}
