/**
 * Views → Discord message payloads (embeds + components, plain JSON as discord.js and the REST API
 * take them). The only place that knows embeds: a view becomes one or more messages within every
 * limit in DISCORD_LIMITS, never cut silently; every payload disables mentions, and text a person
 * typed is escaped as well, so `@everyone` or a role ping stays inert even if a caller drops
 * `allowed_mentions`. Forms become modals; modal submissions become form values.
 */
import type { ValidationError } from "../../domain/errors.js";
import type { VrdForm } from "../../domain/vrd.js";
import { menuId } from "../core/actions.js";
import {
  type FormField,
  type FormSpec,
  type FormValues,
  placeProblems,
  vrdFormFromValues,
} from "../core/forms.js";
import { splitSpans, splitTable, wrapKeepingSpace as styled } from "../core/split.js";
import type { Button, Element, Outcome, Select, Span, View } from "../core/view.js";
import { DISCORD_LIMITS as L } from "./limits.js";

// Discord API enums as numbers (discord-api-types: ComponentType, ButtonStyle, TextInputStyle).
const ACTION_ROW = 1;
const BUTTON = 2;
const STRING_SELECT = 3;
const TEXT_INPUT = 4;
const BUTTON_STYLE = { primary: 1, default: 2, danger: 4 } as const;
/** MessageFlags.Ephemeral */
export const EPHEMERAL = 64;

export interface DiscordEmbed {
  title?: string;
  description?: string;
  color?: number;
  footer?: { text: string };
}

export interface DiscordButton {
  type: typeof BUTTON;
  style: 1 | 2 | 4;
  label: string;
  custom_id: string;
}

export interface DiscordSelect {
  type: typeof STRING_SELECT;
  custom_id: string;
  placeholder: string;
  options: { label: string; value: string }[];
}

export interface DiscordActionRow {
  type: typeof ACTION_ROW;
  components: (DiscordButton | DiscordSelect)[];
}

export interface DiscordMessage {
  content?: string;
  embeds: DiscordEmbed[];
  components: DiscordActionRow[];
  /** Always `{ parse: [] }`: nothing a message says pings anyone. */
  allowed_mentions: { parse: [] };
  flags?: number;
}

const NO_MENTIONS = (): { parse: [] } => ({ parse: [] });

// ---------------------------------------------------------------------------------------------
// Text

const ZWSP = "\u200B";

/**
 * Text a person typed, inert in Discord markdown: markdown characters backslash-escaped, a
 * zero-width space after every `@` (so `@everyone`, `@here` never resolve) and after every `<`
 * (so `<@123>`, `<@&role>`, `<#channel>`, `</cmd:1>` and `<t:…>` are never parsed).
 */
export function escapeDiscordText(text: string): string {
  return text
    .replace(/[\\*_~`|>[\]()]/g, "\\$&")
    .replace(/^(\s*)([#+-]|\d+\.)/gm, "$1\\$2")
    .replaceAll("@", `@${ZWSP}`)
    .replaceAll("<", `<${ZWSP}`);
}

/** One span as Discord markdown. */
export function spanToMarkdown(span: Span): string {
  if (span.mention && /^\d{17,20}$/.test(span.mention)) return `<@${span.mention}>`;
  if (span.at) {
    const epoch = Math.floor(Date.parse(span.at) / 1000);
    if (Number.isFinite(epoch)) return `<t:${epoch}:t>`;
  }
  let out = span.user ? escapeDiscordText(span.text) : span.text;
  if (span.style === "bold") out = styled(out, "**");
  else if (span.style === "italic") out = styled(out, "*");
  else if (span.style === "code") out = styled(span.text.replaceAll("`", "ʼ"), "`");
  if (span.url && /^https?:\/\/[^\s]+$/i.test(span.url))
    return `[${out}](${span.url.replaceAll("(", "%28").replaceAll(")", "%29")})`;
  return out;
}

export const spansToMarkdown = (spans: readonly Span[]) => spans.map(spanToMarkdown).join("");

function label(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

// ---------------------------------------------------------------------------------------------
// Elements → description chunks

/** Room kept in every embed's description and in every message for the "continued" footer. */
const NOTE_CHARS = 120;
const CHUNK_MAX = L.embedDescription - NOTE_CHARS;

type Piece = { title: string } | { text: string };

function codeBlock(lines: string[]): string {
  return `\`\`\`\n${lines.join("\n").replaceAll("`", "ʼ")}\n\`\`\``;
}

function elementPieces(el: Element): Piece[] {
  const chunks = (spans: readonly Span[]) =>
    splitSpans(spans, spanToMarkdown, CHUNK_MAX).map((text) => ({ text }));
  switch (el.type) {
    case "header":
      return el.text.length <= L.embedTitle
        ? [{ title: el.text }]
        : chunks([{ text: el.text, style: "bold" }]);
    case "text":
      return chunks(el.spans);
    case "context":
      return chunks(el.spans.map((s) => (s.style ? s : { ...s, style: "italic" as const })));
    case "divider":
      return [];
    case "fields":
      return el.fields.flatMap((f) => chunks([{ text: `${f.label}: `, style: "bold" }, ...f.value]));
    case "table":
      return splitTable(el.columns, el.rows, codeBlock, CHUNK_MAX).map((text) => ({ text }));
    case "actions":
      return [];
  }
}

const TONE_COLOR: Record<Outcome["tone"], number> = {
  success: 0x2ecc71,
  warning: 0xf1c40f,
  danger: 0xe74c3c,
};
const DEFAULT_COLOR = 0x5865f2;

/** Characters an embed counts towards the 6000 a message may carry. */
export function embedLength(e: DiscordEmbed): number {
  return (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0);
}

// ---------------------------------------------------------------------------------------------
// Actions → rows

/** Choices shown away from their text carry the short name of what they answer: "Q2 · Warm". */
const tagged = (tag: string | undefined, text: string) => (tag ? `${tag} · ${text}` : text);

function buttonComponent(b: Button, tag?: string): DiscordButton {
  return {
    type: BUTTON,
    style: BUTTON_STYLE[b.style],
    label: label(tagged(tag, b.label), L.buttonLabel),
    custom_id: b.id,
  };
}

function selectComponents(s: Select, tag?: string): DiscordSelect[] {
  const out: DiscordSelect[] = [];
  for (let i = 0; i < s.options.length; i += L.selectOptions)
    out.push({
      type: STRING_SELECT,
      // Each menu needs its own id; a second page of options gets a suffix only when it fits.
      custom_id: i === 0 ? s.id : `${s.id}~${i / L.selectOptions}`.slice(0, L.customId),
      placeholder: label(tagged(tag, s.placeholder), L.selectPlaceholder),
      options: s.options.slice(i, i + L.selectOptions).map((o) => ({
        label: label(o.label, L.selectOptionLabel),
        value: o.value,
      })),
    });
  return out;
}

/** An action row and what its choices answer: `tags` of tagged groups, `general` when it holds untagged ones. */
interface Row {
  components: (DiscordButton | DiscordSelect)[];
  tags: string[];
  general: boolean;
}

/**
 * Action rows for a view's actions, in order. Up to five buttons share a row; a group of more
 * buttons than a row holds becomes one menu (its options carry the buttons' ids), so a question's
 * choices stay on one row. A tagged group's buttons and menus carry its tag.
 */
function actionRows(elements: readonly Element[]): Row[] {
  const rows: Row[] = [];
  for (const el of elements) {
    if (el.type !== "actions") continue;
    const of = { tags: el.tag ? [el.tag] : [], general: !el.tag };
    const buttons = el.items.filter((i): i is Button => i.type === "button");
    const selects = el.items.filter((i): i is Select => i.type === "select");
    if (buttons.length > L.buttonsPerRow)
      selects.unshift({
        type: "select",
        id: menuId(buttons.map((b) => b.id)),
        placeholder: el.label ?? "Choose…",
        options: buttons.map((b) => ({ label: b.label, value: b.id })),
      });
    else if (buttons.length > 0)
      rows.push({ ...of, components: buttons.map((b) => buttonComponent(b, el.tag)) });
    for (const s of selects)
      for (const menu of selectComponents(s, el.tag)) rows.push({ ...of, components: [menu] });
  }
  return rows;
}

/** Buttons in a row, or Infinity for a menu's row (a menu has a row to itself). */
const buttonCount = (row: Row) =>
  row.components.some((c) => c.type === STRING_SELECT) ? Number.POSITIVE_INFINITY : row.components.length;

/**
 * Rows as they go on messages, at most five a message; the first group goes with the view. More rows
 * than that: first, neighbouring rows of buttons that fit in one row share it, the fewest buttons first
 * (every button names what it answers, so a shared row still reads); if still too many, the rows about
 * the whole view (Answer all, Skip) stay with it and the choices that do not fit follow.
 */
function packRows(all: Row[]): Row[][] {
  const rows = [...all];
  while (rows.length > L.actionRows) {
    let best = -1;
    let fewest = Number.POSITIVE_INFINITY;
    for (let i = 0; i + 1 < rows.length; i++) {
      const n = buttonCount(rows[i]!) + buttonCount(rows[i + 1]!);
      // Ties go to the later pair: the view's own actions join the last choices before earlier ones merge.
      if (n <= L.buttonsPerRow && n <= fewest) [best, fewest] = [i, n];
    }
    if (best < 0) break;
    const [a, b] = [rows[best]!, rows[best + 1]!];
    rows.splice(best, 2, {
      components: [...a.components, ...b.components],
      tags: [...a.tags, ...b.tags],
      general: a.general || b.general,
    });
  }
  const general = rows.filter((r) => r.general);
  if (rows.length <= L.actionRows || general.length >= L.actionRows) {
    const pages: Row[][] = [];
    for (let i = 0; i < Math.max(rows.length, 1); i += L.actionRows)
      pages.push(rows.slice(i, i + L.actionRows));
    return pages;
  }
  const choices = rows.filter((r) => !r.general);
  const room = L.actionRows - general.length;
  const kept = new Set(choices.slice(0, room));
  const pages = [rows.filter((r) => r.general || kept.has(r))];
  const rest = choices.slice(room);
  for (let i = 0; i < rest.length; i += L.actionRows) pages.push(rest.slice(i, i + L.actionRows));
  return pages;
}

const discordRows = (rows: Row[]): DiscordActionRow[] =>
  rows.map((r) => ({ type: ACTION_ROW, components: r.components }));

// ---------------------------------------------------------------------------------------------
// Packing into messages

/**
 * A view as Discord messages, in order: embeds within the description, 6000-per-message and
 * 10-embed limits; a view that needs several messages says so in each footer; buttons and menus go
 * on the last message (five rows; see packRows for more). A resolved view shows
 * its outcome line instead of any component.
 */
export function renderDiscordMessages(view: View): DiscordMessage[] {
  const elements = view.resolved ? view.elements.filter((e) => e.type !== "actions") : view.elements;
  const pieces: Piece[] = elements.flatMap(elementPieces);
  if (view.resolved) pieces.push({ text: spansToMarkdown(view.resolved.spans) });
  const color = view.resolved ? TONE_COLOR[view.resolved.tone] : DEFAULT_COLOR;

  const messages: DiscordEmbed[][] = [[]];
  const current = () => messages[messages.length - 1]!;
  const used = () => current().reduce((n, e) => n + embedLength(e), 0);
  const messageRoom = L.embedsTotalChars - NOTE_CHARS;
  const newEmbed = (title?: string): DiscordEmbed => {
    const need = title?.length ?? 0;
    if (current().length >= L.embedsPerMessage || used() + need > messageRoom - 200) messages.push([]);
    const embed: DiscordEmbed = { color, ...(title ? { title } : {}) };
    current().push(embed);
    return embed;
  };

  let embed: DiscordEmbed | null = null;
  for (const piece of pieces) {
    if ("title" in piece) {
      embed = newEmbed(piece.title);
      continue;
    }
    const sep = embed?.description ? "\n\n" : "";
    const grows = sep.length + piece.text.length;
    if (embed && (embed.description?.length ?? 0) + grows <= CHUNK_MAX && used() + grows <= messageRoom) {
      embed.description = `${embed.description ?? ""}${sep}${piece.text}`;
      continue;
    }
    if (embed && !embed.description) {
      // A header with no text yet moves with its first text rather than staying behind alone.
      current().pop();
      messages.push([embed]);
      embed.description = piece.text;
      continue;
    }
    embed = newEmbed();
    if (used() + piece.text.length > messageRoom) {
      current().pop();
      messages.push([]);
      embed = newEmbed();
    }
    embed.description = piece.text;
  }
  const pages = messages.filter((m) => m.length > 0);
  if (pages.length === 0) pages.push([{ color, description: "\u200B" }]);

  const total = pages.length;
  const out: DiscordMessage[] = pages.map((embeds, i) => {
    if (total > 1) {
      const last = embeds[embeds.length - 1]!;
      last.footer = {
        text:
          i < total - 1
            ? `Part ${i + 1} of ${total} · continued in the next message`
            : `Part ${total} of ${total}`,
      };
    }
    return { embeds, components: [], allowed_mentions: NO_MENTIONS() };
  });

  const [withView = [], ...more] = packRows(view.resolved ? [] : actionRows(elements));
  out[out.length - 1]!.components = discordRows(withView);
  for (const rows of more) {
    const tags = [...new Set(rows.flatMap((r) => r.tags))];
    out.push({
      content: tags.length > 0 ? `More choices (${tags.join(", ")}):` : "More choices:",
      embeds: [],
      components: discordRows(rows),
      allowed_mentions: NO_MENTIONS(),
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Forms

export interface DiscordTextInput {
  type: typeof TEXT_INPUT;
  custom_id: string;
  label: string;
  style: 1 | 2;
  required: boolean;
  placeholder?: string;
  value?: string;
  max_length?: number;
}

export interface DiscordModal {
  title: string;
  custom_id: string;
  components: { type: typeof ACTION_ROW; components: [DiscordTextInput] }[];
}

/** Classic modals hold text inputs only: a menu becomes a text box that lists its choices. */
function textInput(field: FormField): DiscordTextInput {
  let placeholder = field.placeholder;
  if (field.kind === "select" && field.options)
    placeholder = `One of: ${field.options.map((o) => o.label).join(" / ")}`;
  if (field.kind === "date") placeholder = placeholder ?? "YYYY-MM-DD";
  const initial = (
    field.kind === "select" ? field.options?.find((o) => o.value === field.initial)?.label : field.initial
  )?.slice(0, L.textInputValue);
  // Discord refuses a modal whose value is longer than its max_length: a form reopened with what was
  // typed too long shows all of it (the reply said what to shorten) rather than cutting it.
  const max = field.maxLength && Math.min(Math.max(field.maxLength, initial?.length ?? 0), L.textInputValue);
  return {
    type: TEXT_INPUT,
    custom_id: field.id,
    label: label(field.label, L.textInputLabel),
    style: field.kind === "paragraph" ? 2 : 1,
    required: field.required,
    ...(placeholder ? { placeholder: label(placeholder, L.textInputPlaceholder) } : {}),
    ...(initial ? { value: initial } : {}),
    ...(max ? { max_length: max } : {}),
  };
}

/** A form as a Discord modal (interaction callback type 9 data). At most five inputs. */
export function renderDiscordModal(form: FormSpec): DiscordModal {
  if (form.fields.length > L.modalInputs)
    throw new Error(
      `form ${form.title} has ${form.fields.length} fields; a Discord modal holds ${L.modalInputs}`,
    );
  return {
    title: label(form.title, L.modalTitle),
    custom_id: form.id,
    components: form.fields.map((f) => ({
      type: ACTION_ROW,
      components: [textInput(f)] as [DiscordTextInput],
    })),
  };
}

/** A submitted modal component as the REST payload (snake_case) or discord.js (camelCase) gives it. */
interface SubmittedInput {
  type?: number;
  custom_id?: string;
  customId?: string;
  value?: string;
  values?: string[];
}
interface SubmittedRow {
  type?: number;
  components?: SubmittedInput[];
  /** Label components (type 18) wrap one input. */
  component?: SubmittedInput;
}

/** Submitted values keyed by custom_id, from action rows or label components; blank inputs are absent. */
export function valuesFromDiscordModal(components: readonly SubmittedRow[]): FormValues {
  const values: FormValues = {};
  const take = (c: SubmittedInput) => {
    const id = c.custom_id ?? c.customId;
    const value = c.value ?? c.values?.[0];
    if (id && value !== undefined && value.trim() !== "") values[id] = value;
  };
  for (const row of components ?? []) {
    for (const c of row.components ?? []) take(c);
    if (row.component) take(row.component);
  }
  return values;
}

/**
 * The VRD form a person submitted in Discord. Duration, platform and quality come from the /vrd
 * command's options (`extra`); tone and call to action share one box and are split here.
 */
export function formFromDiscordModal(components: readonly SubmittedRow[], extra: VrdForm = {}): VrdForm {
  return vrdFormFromValues(valuesFromDiscordModal(components), extra);
}

/**
 * Validation problems as an ephemeral reply naming each field by its label, with a button that
 * reopens the form (the listener keeps what was typed and pre-fills it).
 */
export function discordFormErrors(error: ValidationError, form: FormSpec): DiscordMessage {
  const { byField, elsewhere } = placeProblems(error, form);
  const lines: string[] = [];
  for (const f of form.fields)
    if (byField[f.id]) lines.push(`• **${f.label}**: ${escapeDiscordText(byField[f.id]!)}`);
  for (const p of elsewhere)
    lines.push(`• ${p.field ? `**${escapeDiscordText(p.field)}**: ` : ""}${escapeDiscordText(p.message)}`);
  const head = "Some fields need fixing — nothing was lost, reopen the form to correct them:";
  let content = head;
  let shown = 0;
  for (const l of lines) {
    const more = `\n…and ${lines.length - shown} more`;
    if (content.length + 1 + l.length + more.length > L.content) {
      content += more;
      break;
    }
    content += `\n${l}`;
    shown += 1;
  }
  return {
    content,
    embeds: [],
    components: [
      {
        type: ACTION_ROW,
        components: [
          { type: BUTTON, style: BUTTON_STYLE.primary, label: "Fix and resend", custom_id: form.id },
        ],
      },
    ],
    allowed_mentions: NO_MENTIONS(),
    flags: EPHEMERAL,
  };
}
