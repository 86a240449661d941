/**
 * `/vrd` opens the brief form; `/vrd <pasted JSON or YAML>` starts from that text. A pasted brief
 * that does not validate gets an ephemeral list of the fields to fix and a button opening the form
 * pre-filled with what was understood.
 */
import { ValidationError } from "../../../../domain/errors.js";
import { parseVrdText } from "../../../../domain/vrd.js";
import { encodeAction } from "../../../core/actions.js";
import { errorView } from "../../../core/error-view.js";
import { vrdForm } from "../../../core/forms.js";
import { bold, button, paragraph, smallPrint, type View, words } from "../../../core/view.js";
import { type SlackContext, tellUser } from "../../context.js";
import { draftFromText } from "../../draft.js";
import { openModal } from "../../modals.js";
import type { SlashCommand } from "../../payloads.js";
import { claimEvent, saveDraft } from "../../store.js";

const OPEN_FORM = {
  type: "actions" as const,
  items: [button("Open the form", encodeAction({ kind: "vrd_form" }), "primary")],
};

/** The fields to fix, and the button that opens the form with what was understood. */
export function invalidBriefView(error: ValidationError): View {
  const view = errorView(error);
  return {
    ...view,
    elements: [...view.elements, smallPrint([words("Type /vrd help for an example brief.")]), OPEN_FORM],
  };
}

/** What `/vrd help` (or `/vrd ?`) asks for. */
const HELP_WORDS = /^(help|-h|--help|\?|usage)$/i;

/** An example brief, every required field and a few optional ones, as it may be pasted. */
const EXAMPLE_BRIEF = [
  "title: Ember & Oak — never run out",
  "objective: Sign-ups for a coffee subscription",
  "duration_seconds: 30",
  "platform: instagram_reels",
  "key_messages:",
  "  - Roasted to order, shipped within 48 hours",
  "  - First bag free",
  "audience: Urban professionals who brew at home",
  "call_to_action: Start your free bag at emberoak.example",
  "tone: [warm, wry]",
  "constraints: { max_cost_usd: 20, quality_priority: medium }",
];

/** `/vrd help`: the ways to start a production, with an example brief to paste. */
export function vrdHelpView(): View {
  return {
    summary: "How to start a video production with /vrd",
    elements: [
      paragraph([bold("/vrd"), words(" opens the brief form.")]),
      paragraph([
        bold("/vrd <brief>"),
        words(" starts from a brief pasted as JSON or YAML (in a code block or not), for example:"),
      ]),
      { type: "table", columns: [{ label: "/vrd" }], rows: EXAMPLE_BRIEF.map((l) => [l]) },
      smallPrint([
        words("Required: title, objective, duration_seconds (5–600), platform, key_messages. "),
        words(
          "The production runs in a thread in this channel: answer its questions there, then approve or revise the script, shot list and plan.",
        ),
      ]),
      OPEN_FORM,
    ],
  };
}

/** Runs after the command was acknowledged. */
export async function vrdCommand(ctx: SlackContext, cmd: SlashCommand): Promise<void> {
  const text = cmd.text.trim();
  const where = { channel: cmd.channel_id, user: cmd.user_id };
  if (!text) {
    await openModal(ctx, cmd.trigger_id, vrdForm("slack"), { channel: cmd.channel_id });
    return;
  }
  if (HELP_WORDS.test(text)) {
    await ctx.messenger.ephemeral(cmd.channel_id, cmd.user_id, vrdHelpView());
    return;
  }
  // A trigger id is issued once per command: a second delivery of the same one does nothing.
  if (!(await claimEvent(ctx.db, `command:${cmd.trigger_id}`))) return;
  try {
    const vrd = parseVrdText(text);
    await ctx.service.start(
      vrd,
      {
        platform: "slack",
        workspace_id: cmd.team_id || null,
        channel_id: cmd.channel_id,
        thread_id: null,
        user_id: cmd.user_id,
      },
      { requestKey: `slack:command:${cmd.trigger_id}` },
    );
    // The root message and the thread follow from the production's events (production-updates.ts).
  } catch (error) {
    if (error instanceof ValidationError) {
      await saveDraft(ctx.db, cmd.team_id, cmd.user_id, draftFromText(text));
      await ctx.messenger.ephemeral(cmd.channel_id, cmd.user_id, invalidBriefView(error));
      return;
    }
    await tellUser(ctx, where, error);
  }
}
