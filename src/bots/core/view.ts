/**
 * The neutral view vocabulary every bot message is built from. The builders in this folder say
 * *what* to show; src/bots/slack/render.ts and src/bots/discord/render.ts are the only places that
 * know Block Kit or embeds. A new platform is a new renderer, nothing else.
 */

/**
 * A run of text. `user` marks text a person typed (or a model wrote from what they typed): renderers
 * escape it so it can never ping, link or break the layout. Everything we wrote ourselves is plain
 * words; emphasis is a style, never markup inside the text.
 */
export interface Span {
  text: string;
  style?: "bold" | "italic" | "code";
  user?: boolean;
  /** A platform user id to mention; `text` is the fallback when the id is not a valid one. */
  mention?: string;
  /** An ISO time the platform may show in the reader's time zone; `text` is the UTC fallback. */
  at?: string;
  /** An http(s) link for the span. */
  url?: string;
}

export type ButtonStyle = "primary" | "danger" | "default";

/** A button; `id` is an encoded action (see actions.ts), so a click says what it means. */
export interface Button {
  type: "button";
  label: string;
  id: string;
  style: ButtonStyle;
}

/**
 * A choice menu; each option's `value` is an encoded action, like a button's id. A listener acts on
 * the chosen option's value; the menu's own `id` only names the menu.
 */
export interface Select {
  type: "select";
  id: string;
  placeholder: string;
  options: { label: string; value: string }[];
}

export interface Field {
  label: string;
  value: Span[];
}

export interface Column {
  label: string;
  align?: "left" | "right";
}

export type Element =
  | { type: "header"; text: string }
  /** `ref` names what the text is about (a beat or shot id), so a split can say what continues. */
  | { type: "text"; spans: Span[]; ref?: string }
  | { type: "fields"; fields: Field[] }
  /** Cells are shown verbatim (escaped), one row per item; a long table is split by rows. */
  | { type: "table"; columns: Column[]; rows: string[][] }
  | { type: "divider" }
  /** Small print: checks, ids, hints. */
  | { type: "context"; spans: Span[] }
  /**
   * `label` introduces the choices (a renderer may turn many buttons into one menu with it); `tag`
   * is the short name of what they answer ("Q2"), for a renderer that shows choices away from their
   * text (Discord puts every row under one embed).
   */
  | { type: "actions"; items: (Button | Select)[]; label?: string; tag?: string };

/** The line that replaces a view's buttons once its decision is made. */
export interface Outcome {
  spans: Span[];
  tone: "success" | "warning" | "danger";
}

export interface View {
  /** One plain line for notifications and screen readers (the Slack `text` fallback). */
  summary: string;
  elements: Element[];
  /** Set once the decision is made: renderers drop every action and show this line instead. */
  resolved?: Outcome;
}

// Small constructors keep the builders readable.
export const words = (text: string): Span => ({ text });
export const bold = (text: string): Span => ({ text, style: "bold" });
export const italic = (text: string): Span => ({ text, style: "italic" });
/** Text a person typed, or a model wrote from it: always escaped. */
export const typed = (text: string, style?: Span["style"]): Span => ({ text, user: true, style });

export const header = (text: string): Element => ({ type: "header", text });
export const paragraph = (spans: Span[], ref?: string): Element => ({ type: "text", spans, ref });
export const smallPrint = (spans: Span[]): Element => ({ type: "context", spans });
export const divider = (): Element => ({ type: "divider" });
export const line = (): Span => ({ text: "\n" });

export function button(label: string, id: string, style: ButtonStyle = "default"): Button {
  return { type: "button", label, id, style };
}

/** The same view, decided: body kept, every action replaced by the outcome line. */
export function resolveView(view: View, outcome: Outcome): View {
  return {
    summary: view.summary,
    elements: view.elements.filter((e) => e.type !== "actions"),
    resolved: outcome,
  };
}

/** Plain text of spans (tests, fallbacks, length estimates). */
export function plainText(spans: readonly Span[]): string {
  return spans.map((s) => s.text).join("");
}
