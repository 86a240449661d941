/**
 * Global shortcuts (the ⚡ menu and the search bar): "New video brief" opens the same form as `/vrd`.
 * A global shortcut comes from no channel, so the form first asks where to post ("Post in").
 */
import type { App } from "@slack/bolt";
import { parseOrThrow } from "../../../../domain/parse.js";
import { vrdFormWithChannel } from "../../../core/forms.js";
import type { SlackContext } from "../../context.js";
import { openModal } from "../../modals.js";
import { GlobalShortcut } from "../../payloads.js";
import { loadDraft } from "../../store.js";

/** The manifest's features.shortcuts callback_id. */
export const NEW_VRD_SHORTCUT = "new_vrd";

export function register(app: App, ctx: SlackContext): void {
  app.shortcut({ callback_id: NEW_VRD_SHORTCUT, type: "shortcut" }, async ({ body, ack }) => {
    await ack();
    const shortcut = parseOrThrow(GlobalShortcut, body, "shortcut");
    const team = shortcut.team?.id ?? shortcut.user.team_id ?? "";
    // Opened at once: the trigger id expires 3 s after the click. The last brief that did not
    // validate pre-fills the form, as "Open the form" does.
    const draft = await loadDraft(ctx.db, team, shortcut.user.id);
    await openModal(ctx, shortcut.trigger_id, vrdFormWithChannel("slack", draft), {});
  });
}
