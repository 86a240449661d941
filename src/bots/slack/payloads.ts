/**
 * The parts of Slack's payloads the listeners read, as zod schemas: a handler parses what it gets
 * and works with these types, never with an unchecked body. Unknown extra fields are ignored.
 */
import { z } from "zod";
import { decodeEntities, readableMessageText } from "./escape.js";

export const SlashCommand = z.object({
  command: z.string(),
  /** As typed: Slack sends `&`, `<`, `>` as entities. */
  text: z.string().default("").transform(decodeEntities),
  user_id: z.string().min(1),
  team_id: z.string().default(""),
  channel_id: z.string().min(1),
  trigger_id: z.string().min(1),
});
export type SlashCommand = z.infer<typeof SlashCommand>;

const ActionItem = z.object({
  action_id: z.string(),
  type: z.string(),
  action_ts: z.string().default(""),
  selected_option: z.object({ value: z.string() }).nullish(),
});

export const BlockActions = z.object({
  type: z.literal("block_actions"),
  trigger_id: z.string().default(""),
  user: z.object({ id: z.string().min(1), team_id: z.string().optional() }),
  team: z.object({ id: z.string() }).nullish(),
  channel: z.object({ id: z.string() }).nullish(),
  container: z
    .object({ channel_id: z.string().optional(), message_ts: z.string().optional() })
    .partial()
    .nullish(),
  message: z.object({ ts: z.string(), thread_ts: z.string().optional() }).nullish(),
  actions: z.array(ActionItem).min(1),
});
export type BlockActions = z.infer<typeof BlockActions>;

export const ViewSubmission = z.object({
  type: z.literal("view_submission"),
  user: z.object({ id: z.string().min(1), team_id: z.string().optional() }),
  team: z.object({ id: z.string() }).nullish(),
  view: z.object({
    id: z.string().min(1),
    callback_id: z.string(),
    private_metadata: z.string().default(""),
    state: z.object({ values: z.record(z.string(), z.record(z.string(), z.any())) }),
  }),
});
export type ViewSubmission = z.infer<typeof ViewSubmission>;

/** A global shortcut (type "shortcut"): no channel, no message. */
export const GlobalShortcut = z.object({
  type: z.literal("shortcut"),
  callback_id: z.string(),
  trigger_id: z.string().min(1),
  user: z.object({ id: z.string().min(1), team_id: z.string().optional() }),
  team: z.object({ id: z.string() }).nullish(),
});

/** Where a modal was opened from, carried in its private_metadata so the submission answers there. */
export const ModalPlace = z.object({ channel: z.string().optional(), thread: z.string().optional() });
export type ModalPlace = z.infer<typeof ModalPlace>;

export function placeFromMetadata(metadata: string): ModalPlace {
  try {
    const parsed = ModalPlace.safeParse(JSON.parse(metadata));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

export const EventEnvelope = z.object({
  event_id: z.string().min(1),
  team_id: z.string().default(""),
});

export const ThreadMessage = z.object({
  type: z.literal("message"),
  user: z.string().min(1),
  /** As the person reads it: links, mentions and entities turned back into what was typed. */
  text: z.string().default("").transform(readableMessageText),
  channel: z.string().min(1),
  ts: z.string(),
  thread_ts: z.string(),
  subtype: z.string().optional(),
  bot_id: z.string().optional(),
});

export const AppHomeOpened = z.object({
  type: z.literal("app_home_opened"),
  user: z.string().min(1),
  tab: z.string().default("home"),
});
