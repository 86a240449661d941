/** Opening our modals: the form spec from the core, rendered, with where to answer in private_metadata. */
import type { FormSpec } from "../core/forms.js";
import type { SlackContext } from "./context.js";
import type { ModalPlace } from "./payloads.js";
import { renderSlackModal } from "./render.js";

export async function openModal(
  ctx: SlackContext,
  triggerId: string,
  form: FormSpec,
  place: ModalPlace,
): Promise<void> {
  await ctx.client.views.open({
    trigger_id: triggerId,
    view: renderSlackModal(form, { privateMetadata: JSON.stringify(place) }),
  });
}
