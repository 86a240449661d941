/** The script for review: logline, every beat with its time range, story parts and A/L/T layers, checks. */
import type { Production } from "../../domain/production.js";
import type { Beat, Script } from "../../domain/script.js";
import { capitalise } from "../../domain/text.js";
import { plural, round1, seconds, spaced, timeRange } from "./format.js";
import { reviewActions } from "./review-actions.js";
import {
  bold,
  divider,
  type Element,
  header,
  italic,
  paragraph,
  type Span,
  smallPrint,
  typed,
  type View,
  words,
} from "./view.js";

function audioSpans(beat: Beat): Span[] {
  const a = beat.audio;
  const out: Span[] = [];
  const add = (label: string, text: string) => {
    if (out.length > 0) out.push(words(" · "));
    out.push(italic(`${label}: `), typed(text));
  };
  if (a.voice_over) add("VO", `“${a.voice_over}”`);
  for (const d of a.dialogue) add(d.character, `“${d.line}”`);
  if (a.music) add("Music", a.music);
  if (a.sfx.length > 0) add("SFX", a.sfx.join(", "));
  return out.length > 0 ? out : [italic("silence")];
}

/** One beat as one block of text, so a split never separates its layers. */
export function beatSpans(beat: Beat): Span[] {
  const look = beat.look;
  const spans: Span[] = [
    bold(`${beat.id} · ${beat.parts.map(capitalise).join(" + ")}`),
    words(` · ${timeRange(beat.start_s, beat.end_s)} · `),
    typed(beat.emotion, "italic"),
    words("\n"),
    bold("A "),
    ...audioSpans(beat),
    words("\n"),
    bold("L "),
    typed(look.action),
    words(" — "),
    typed(look.setting),
  ];
  if (look.characters.length > 0) spans.push(words("; "), typed(look.characters.join(", ")));
  spans.push(words("; mood "), typed(look.mood), words("\n"), bold("T "));
  if (beat.text.on_screen) {
    spans.push(typed(`“${beat.text.on_screen}”`));
    if (beat.text.style) spans.push(words(` (${spaced(beat.text.style)})`));
  } else spans.push(italic("no on-screen text"));
  spans.push(words("\n"), italic("Purpose: "), typed(beat.purpose));
  if (beat.key_messages.length > 0)
    spans.push(words(" · "), italic("Carries: "), typed(beat.key_messages.join("; ")));
  if (beat.carries_cta) spans.push(words(" · "), bold("CTA"));
  return spans;
}

function checks(script: Script): Element[] {
  const m = script.metadata;
  const out: Element[] = [
    smallPrint([
      words(
        `${seconds(m.duration_s)} of ${seconds(m.target_duration_s)} · ${plural(script.beats.length, "beat")} · ` +
          `${plural(m.word_count, "word")} of voice-over (${round1(m.words_per_second)} words/s) · ` +
          `${m.aspect_ratio} · ${m.generator === "template" ? "template mode (no model configured)" : `model ${m.model ?? "unknown"}`}`,
      ),
    ]),
  ];
  if (m.warnings.length > 0)
    out.push(
      paragraph([bold("⚠ Checks that still fail")], "warnings"),
      ...m.warnings.map((w) => paragraph([words("• "), typed(w)])),
    );
  if (m.repairs.length > 0) out.push(smallPrint([words("Repaired: "), typed(m.repairs.join("; "))]));
  return out;
}

export function scriptView(production: Production): View {
  const script = production.script;
  if (!script) throw new Error(`production ${production.id} has no script to show`);
  const elements: Element[] = [
    header(`📝 Script v${script.version}`),
    paragraph([bold("Logline: "), typed(script.logline)]),
    ...checks(script),
  ];
  // Sections already read as separate blocks; a divider per beat would double the block count.
  elements.push(divider());
  for (const beat of script.beats) elements.push(paragraph(beatSpans(beat), beat.id));
  elements.push(divider(), reviewActions(production, "script_review"));
  return {
    summary: `Script v${script.version} for ${production.vrd.title}: ${plural(script.beats.length, "beat")}, ready for review`,
    elements,
  };
}
