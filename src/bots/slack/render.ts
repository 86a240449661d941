/**
 * Views → Block Kit. The only place that knows Slack's blocks: a view becomes one or more messages
 * (`{ text, blocks }` for chat.postMessage / chat.update), split within every limit in SLACK_LIMITS and
 * never cut silently; forms become `views.open` modals; view_submission state becomes form values;
 * validation problems become `response_action: "errors"` keyed by block id.
 */
import type { types } from "@slack/bolt";
import type { ValidationError } from "../../domain/errors.js";
import type { VrdForm } from "../../domain/vrd.js";
import { type FormSpec, type FormValues, placeProblems, vrdFormFromValues } from "../core/forms.js";
import { splitSpans, splitTable, wrapKeepingSpace as styled } from "../core/split.js";
import type { Button, Element, Select, Span, View } from "../core/view.js";
import { escapeEntities, escapeUserText, safeUrl } from "./escape.js";
import { SLACK_LIMITS as L } from "./limits.js";

type KnownBlock = types.KnownBlock;
type ActionElement = types.Button | types.StaticSelect;

export interface SlackMessage {
  /** Notification / screen-reader fallback (mrkdwn, escaped). */
  text: string;
  blocks: KnownBlock[];
}

// ---------------------------------------------------------------------------------------------
// Text

/** One span as mrkdwn: escaped, styled, and a mention / local time / link where it is one. */
export function spanToMrkdwn(span: Span): string {
  if (span.mention && /^[UW][A-Z0-9]{2,20}$/.test(span.mention)) return `<@${span.mention}>`;
  const text = span.user ? escapeUserText(span.text) : escapeEntities(span.text);
  if (span.at) {
    const epoch = Math.floor(Date.parse(span.at) / 1000);
    if (Number.isFinite(epoch)) return `<!date^${epoch}^{time}|${text}>`;
  }
  let out = text;
  if (span.style === "bold") out = styled(out, "*");
  else if (span.style === "italic") out = styled(out, "_");
  else if (span.style === "code") out = styled(out.replaceAll("`", "ʼ"), "`");
  const url = span.url ? safeUrl(span.url) : null;
  return url ? `<${url}|${out}>` : out;
}

export const spansToMrkdwn = (spans: readonly Span[]) => spans.map(spanToMrkdwn).join("");

const plain = (text: string): types.PlainTextElement => ({ type: "plain_text", text, emoji: true });
const mrkdwn = (text: string): types.MrkdwnElement => ({ type: "mrkdwn", text });

/** Our own short labels (buttons, titles): shortened with an ellipsis if a limit forces it. */
function label(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

// ---------------------------------------------------------------------------------------------
// Elements → blocks

function sections(spans: readonly Span[]): KnownBlock[] {
  return splitSpans(spans, spanToMrkdwn, L.sectionText).map((text) => ({
    type: "section",
    text: mrkdwn(text),
  }));
}

/** Table cells in a code block: escaped, and no backtick can close the block early. */
function codeBlock(lines: string[]): string {
  return `\`\`\`\n${escapeEntities(lines.join("\n").replaceAll("`", "ʼ"))}\n\`\`\``;
}

function buttonElement(b: Button): types.Button {
  return {
    type: "button",
    text: plain(label(b.label, L.buttonText)),
    action_id: b.id,
    value: b.id,
    ...(b.style === "default" ? {} : { style: b.style }),
  };
}

function selectElement(s: Select): types.StaticSelect {
  return {
    type: "static_select",
    action_id: s.id,
    placeholder: plain(label(s.placeholder, L.placeholder)),
    options: s.options.slice(0, L.selectOptions).map((o) => ({
      text: plain(label(o.label, L.optionText)),
      value: o.value,
    })),
  };
}

function elementBlocks(el: Element): KnownBlock[] {
  switch (el.type) {
    case "header":
      // A header that does not fit becomes a bold section instead of being cut.
      return el.text.length <= L.headerText
        ? [{ type: "header", text: plain(el.text) }]
        : sections([{ text: el.text, style: "bold" }]);
    case "text":
      return sections(el.spans);
    case "context":
      return splitSpans(el.spans, spanToMrkdwn, L.sectionText).map((text) => ({
        type: "context",
        elements: [mrkdwn(text)],
      }));
    case "divider":
      return [{ type: "divider" }];
    case "fields": {
      const rendered = el.fields.map((f) => `*${escapeEntities(f.label)}*\n${spansToMrkdwn(f.value)}`);
      // Fields that fit go two-up; one too long for a field becomes its own section.
      const blocks: KnownBlock[] = [];
      let group: string[] = [];
      const flush = () => {
        if (group.length > 0) blocks.push({ type: "section", fields: group.map(mrkdwn) });
        group = [];
      };
      el.fields.forEach((f, i) => {
        const text = rendered[i]!;
        if (text.length > L.fieldText) {
          flush();
          blocks.push(...sections([{ text: f.label, style: "bold" }, { text: "\n" }, ...f.value]));
          return;
        }
        if (group.length === L.fieldsPerSection) flush();
        group.push(text);
      });
      flush();
      return blocks;
    }
    case "table":
      return splitTable(el.columns, el.rows, codeBlock, L.sectionText).map((text) => ({
        type: "section",
        text: mrkdwn(text),
      }));
    case "actions": {
      const elements: ActionElement[] = el.items.map((item) =>
        item.type === "button" ? buttonElement(item) : selectElement(item),
      );
      const blocks: KnownBlock[] = [];
      for (let i = 0; i < elements.length; i += L.actionsElements)
        blocks.push({ type: "actions", elements: elements.slice(i, i + L.actionsElements) });
      return blocks;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Packing blocks into messages

/** Characters of text a block carries, as Slack counts them towards a message's total. */
export function blockTextLength(block: KnownBlock): number {
  const b = block as {
    text?: { text: string };
    fields?: { text: string }[];
    elements?: { text?: string | { text: string }; placeholder?: { text: string } }[];
  };
  let n = b.text?.text.length ?? 0;
  for (const f of b.fields ?? []) n += f.text.length;
  for (const e of b.elements ?? []) {
    if (typeof e.text === "string") n += e.text.length;
    else if (e.text) n += e.text.text.length;
    if (e.placeholder) n += e.placeholder.text.length;
  }
  return n;
}

/** Room kept in every message for the "continued" notes at its top and bottom. */
const NOTE_BLOCKS = 2;
const NOTE_CHARS = 400;

/**
 * A view as Slack messages, in order. Every message stays within the block count, section and
 * block-text limits; a view that needs several says so at each break ("continued in the next
 * message"), and its buttons stay with the last. A resolved view shows its outcome instead of buttons.
 */
export function renderSlackMessages(view: View): SlackMessage[] {
  const elements = view.resolved ? view.elements.filter((e) => e.type !== "actions") : view.elements;
  // Units keep a block of text with the buttons that answer it (a question and its options).
  const units: KnownBlock[][] = [];
  for (const el of elements) {
    const blocks = elementBlocks(el);
    if (el.type === "actions" && units.length > 0) units[units.length - 1]!.push(...blocks);
    else units.push(blocks);
  }
  if (view.resolved)
    units.push([{ type: "context", elements: [mrkdwn(spansToMrkdwn(view.resolved.spans))] }]);

  const maxBlocks = L.blocksPerMessage - NOTE_BLOCKS;
  const maxChars = L.messageBlockText - NOTE_CHARS;
  const pages: KnownBlock[][] = [[]];
  let chars = 0;
  const place = (block: KnownBlock) => {
    const n = blockTextLength(block);
    const page = pages[pages.length - 1]!;
    if (page.length > 0 && (page.length + 1 > maxBlocks || chars + n > maxChars)) {
      pages.push([block]);
      chars = n;
    } else {
      page.push(block);
      chars += n;
    }
  };
  for (const unit of units) {
    const page = pages[pages.length - 1]!;
    const unitChars = unit.reduce((s, b) => s + blockTextLength(b), 0);
    const fitsHere = page.length + unit.length <= maxBlocks && chars + unitChars <= maxChars;
    const fitsAlone = unit.length <= maxBlocks && unitChars <= maxChars;
    if (!fitsHere && fitsAlone && page.length > 0) {
      pages.push([]);
      chars = 0;
    }
    for (const block of unit) place(block);
  }

  const total = pages.length;
  // The summary quotes a title a person typed: escaped like any typed text.
  const summary = escapeUserText(view.summary);
  const shortSummary = escapeUserText(view.summary.slice(0, 200));
  return pages.map((blocks, i) => {
    const out = [...blocks];
    if (i > 0)
      out.unshift({
        type: "context",
        elements: [mrkdwn(`_(continued)_ ${shortSummary} · part ${i + 1} of ${total}`)],
      });
    if (i < total - 1)
      out.push({
        type: "context",
        elements: [mrkdwn(`… continued in the next message (part ${i + 1} of ${total})`)],
      });
    return { text: total > 1 ? `${summary} (part ${i + 1} of ${total})` : summary, blocks: out };
  });
}

/**
 * A view as the App Home tab (`views.publish`): one surface of at most 100 blocks, buttons kept; if a
 * list is longer, the last block says how much is not shown.
 */
export function renderSlackHome(view: View): types.HomeView {
  const blocks = view.elements.flatMap(elementBlocks);
  if (blocks.length <= L.blocksPerModal) return { type: "home", blocks };
  const kept = blocks.slice(0, L.blocksPerModal - 1);
  const note = `…${blocks.length - kept.length} more blocks not shown here`;
  return { type: "home", blocks: [...kept, { type: "context", elements: [mrkdwn(note)] }] };
}

// ---------------------------------------------------------------------------------------------
// Forms

export interface SlackModalOptions {
  /** Carried back in view_submission (e.g. the channel and thread to post in); ≤ 3000 characters. */
  privateMetadata?: string;
}

function inputBlock(field: FormSpec["fields"][number]): KnownBlock {
  // Never cut without saying so: a pre-filled value longer than any Slack input holds is named.
  const cut = (field.initial?.length ?? 0) > L.inputText;
  const hint = cut
    ? `Shortened: only the first ${L.inputText} of ${field.initial?.length} characters fit in this box.`
    : field.hint;
  const placeholder = field.placeholder ? plain(label(field.placeholder, L.placeholder)) : undefined;
  let element: types.InputBlock["element"];
  if (field.kind === "select") {
    const options = (field.options ?? []).slice(0, L.selectOptions).map((o) => ({
      text: plain(label(o.label, L.optionText)),
      value: o.value,
    }));
    const initial = options.find((o) => o.value === field.initial);
    element = {
      type: "static_select",
      action_id: field.id,
      options,
      ...(placeholder ? { placeholder } : {}),
      ...(initial ? { initial_option: initial } : {}),
    };
  } else if (field.kind === "channel") {
    // Opened from a channel, Slack pre-selects it; from a global shortcut the person picks one.
    element = {
      type: "conversations_select",
      action_id: field.id,
      default_to_current_conversation: true,
      filter: { include: ["public", "private"], exclude_bot_users: true },
      ...(placeholder ? { placeholder } : { placeholder: plain("Choose a channel") }),
    };
  } else if (field.kind === "date") {
    const date = field.initial?.slice(0, 10);
    element = {
      type: "datepicker",
      action_id: field.id,
      ...(date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? { initial_date: date } : {}),
    };
  } else {
    // Slack refuses a whole modal whose initial_value is longer than its max_length: a pre-filled value
    // that is too long (a failed paste) widens the box to show it, and the submission then says what
    // is too long. Slack's own ceiling for any text input is inputText characters.
    const initial = field.initial?.slice(0, L.inputText);
    const maxLength = field.maxLength
      ? Math.min(L.inputText, Math.max(field.maxLength, initial?.length ?? 0))
      : undefined;
    element = {
      type: "plain_text_input",
      action_id: field.id,
      multiline: field.kind === "paragraph",
      ...(placeholder ? { placeholder } : {}),
      ...(initial ? { initial_value: initial } : {}),
      ...(maxLength ? { max_length: maxLength } : {}),
    };
  }
  return {
    type: "input",
    block_id: field.id,
    optional: !field.required,
    label: plain(label(field.label, L.inputLabel)),
    ...(hint ? { hint: plain(label(hint, L.inputHint)) } : {}),
    element,
  };
}

/** A form as the `view` of views.open: one input block per field, block and action ids = field ids. */
export function renderSlackModal(form: FormSpec, options: SlackModalOptions = {}): types.ModalView {
  if (form.fields.length > L.blocksPerModal)
    throw new Error(
      `form ${form.title} has ${form.fields.length} fields; a Slack modal holds ${L.blocksPerModal} blocks`,
    );
  if (options.privateMetadata && options.privateMetadata.length > L.privateMetadata)
    throw new Error(
      `private_metadata is ${options.privateMetadata.length} characters; Slack keeps ${L.privateMetadata}`,
    );
  return {
    type: "modal",
    callback_id: form.id,
    title: plain(label(form.title, L.modalTitle)),
    submit: plain(label(form.submit, L.modalButtonText)),
    close: plain("Cancel"),
    ...(options.privateMetadata ? { private_metadata: options.privateMetadata } : {}),
    blocks: form.fields.map(inputBlock),
  };
}

/** What Slack sends as `view.state` in a view_submission payload. */
export interface SlackViewState {
  values: Record<
    string,
    Record<
      string,
      {
        type: string;
        value?: string | null;
        selected_option?: { value: string } | null;
        selected_date?: string | null;
        selected_conversation?: string | null;
      }
    >
  >;
}

/** Submitted values keyed by block id (= field id); blank inputs are absent. */
export function valuesFromSlackViewState(state: SlackViewState): FormValues {
  const values: FormValues = {};
  for (const [blockId, actions] of Object.entries(state.values ?? {})) {
    for (const v of Object.values(actions)) {
      const value =
        v.value ?? v.selected_option?.value ?? v.selected_date ?? v.selected_conversation ?? undefined;
      if (value !== undefined && value !== null && value.trim() !== "") values[blockId] = value;
    }
  }
  return values;
}

/** The VRD form a person submitted in Slack, ready for `vrdFromForm`. */
export function formFromSlackViewState(state: SlackViewState): VrdForm {
  return vrdFormFromValues(valuesFromSlackViewState(state));
}

/**
 * Validation problems shown inline in the modal (`response_action: "errors"` keyed by block id), so
 * the person keeps what they typed. A problem no field shows is put on the first field, named.
 */
export function slackFormErrors(
  error: ValidationError,
  form: FormSpec,
): { response_action: "errors"; errors: Record<string, string> } {
  const { byField, elsewhere } = placeProblems(error, form);
  const errors = { ...byField };
  const first = form.fields[0];
  if (elsewhere.length > 0 && first) {
    const extra = elsewhere.map((p) => (p.field ? `${p.field}: ${p.message}` : p.message)).join("; ");
    errors[first.id] = errors[first.id] ? `${errors[first.id]}; ${extra}` : extra;
  }
  return { response_action: "errors", errors };
}
