import type { Beat, Script } from "../../domain/script.js";
import { PART_LABEL } from "./story.js";
import { spokenText } from "./validate.js";
import { countWords } from "./words.js";

const cell = (s: string) =>
  s
    .replace(/\|/g, "\\|")
    .replace(/\s*\n\s*/g, " ")
    .trim() || "—";
const secs = (n: number) => n.toFixed(1);

function audioCell(beat: Beat): string {
  const a = beat.audio;
  return [
    a.music && `Music: ${a.music}.`,
    a.sfx.length > 0 && `SFX: ${a.sfx.join(", ")}.`,
    a.voice_over && `VO: "${a.voice_over}"`,
    ...a.dialogue.map((d) => `${d.character}: "${d.line}"`),
  ]
    .filter(Boolean)
    .join(" ");
}

function lookCell(beat: Beat): string {
  const l = beat.look;
  return `${l.action}. *${l.setting}*; ${l.mood}`;
}

function textCell(beat: Beat): string {
  if (!beat.text.on_screen) return "";
  return `${beat.text.on_screen}${beat.text.style ? ` (${beat.text.style.replace("_", " ")})` : ""}`;
}

function carriesCell(beat: Beat, keyMessages: string[]): string {
  const kms = beat.key_messages.map((k) => {
    const n = keyMessages.indexOf(k);
    return n >= 0 ? `KM ${n + 1}` : `"${k}"`;
  });
  return [...kms, beat.carries_cta && "CTA"].filter(Boolean).join(", ");
}

/**
 * The readable script: logline, one table row per beat (time range and the Audio / Look / Text
 * layers), a checks summary, and every warning and repair. Used for `narrative_md` and the CLI.
 */
export function renderScriptMarkdown(script: Script): string {
  const m = script.metadata;
  const keyMessages = [...new Set(script.beats.flatMap((b) => b.key_messages))];
  const lines: string[] = [];
  lines.push(`# ${script.title} — script v${script.version}`, "");
  if (m.generator === "template")
    lines.push("> Template draft: written by rules from the brief, not by a language model.", "");
  lines.push(`**Logline:** ${script.logline}`, "");
  lines.push(
    `${m.platform} · ${m.aspect_ratio} · ${secs(m.duration_s)} s (target ${m.target_duration_s} s) · ${m.language} · ${m.generator}${m.model ? ` (${m.model})` : ""}`,
    "",
  );
  lines.push("| # | Part | Time | Audio | Look | Text | Carries |", "|---|---|---|---|---|---|---|");
  script.beats.forEach((b, i) => {
    const parts = b.parts.map((p) => PART_LABEL[p]).join(" + ");
    lines.push(
      `| ${i + 1} | ${parts} | ${secs(b.start_s)}–${secs(b.end_s)} | ${cell(audioCell(b))} | ${cell(lookCell(b))} | ${cell(textCell(b))} | ${cell(carriesCell(b, keyMessages))} |`,
    );
  });
  lines.push("");
  const densest = script.beats
    .map((b) => ({ b, rate: countWords(spokenText(b)) / Math.max(0.1, b.end_s - b.start_s) }))
    .sort((x, y) => y.rate - x.rate)[0];
  lines.push(
    `**Checks:** ${secs(m.duration_s)} s of ${m.target_duration_s} s; ${script.beats.length} beats; ${m.word_count} spoken words (${m.words_per_second} words/s${densest && densest.rate > 0 ? `; densest ${densest.b.id} at ${densest.rate.toFixed(1)} words/s` : ""}); ${m.warnings.length === 0 ? "all checks pass." : `${m.warnings.length} warning${m.warnings.length === 1 ? "" : "s"}.`}`,
  );
  if (m.warnings.length > 0) lines.push("", "**Warnings:**", ...m.warnings.map((w) => `- ${w}`));
  if (m.repairs.length > 0) lines.push("", "**Repairs and revisions:**", ...m.repairs.map((r) => `- ${r}`));
  if (m.usage.calls > 0)
    lines.push("", `LLM usage: ${m.usage.calls} call(s), ${m.usage.total_tokens} tokens.`);
  return `${lines.join("\n")}\n`;
}
