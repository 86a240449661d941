import type { Beat, Script } from "../../domain/script.js";
import { noUsage } from "../../domain/usage.js";
import type { Vrd } from "../../domain/vrd.js";
import { assembleScript } from "./assemble.js";
import { beatOfDraft, draftOfBeat, type ScriptDraft } from "./draft.js";
import { draftToScript, resolveOptions, type ScriptSmithOptions } from "./generate.js";
import { revisionRequest } from "./prompt.js";
import { connectiveVariants, musicFor, type ToneFamily, toneFamily } from "./template.js";
import { allocateDurations, timeline } from "./timing.js";
import { spokenText } from "./validate.js";
import { carriesMessage, countWords, sentence, wordBudget } from "./words.js";

/** Beats a piece of feedback names: "beat 3", "beats 2 and 4", "B05". Empty means the whole script. */
export function namedBeats(feedback: string, beats: readonly Beat[]): Set<string> {
  const ids = new Set<string>();
  const add = (n: number) => {
    if (n >= 1 && n <= beats.length) ids.add(beats[n - 1]!.id);
  };
  for (const m of feedback.matchAll(/\bbeats?\s+((?:\d+(?:\s*(?:,|and|&)\s*)?)+)/gi))
    for (const n of m[1]!.match(/\d+/g) ?? []) add(Number(n));
  for (const m of feedback.matchAll(/\bB(\d{2,3})\b/g)) add(Number(m[1]));
  if (/\b(last|final) beat\b|\bend card\b/i.test(feedback)) add(beats.length);
  if (/\b(first|opening) beat\b|\bthe hook\b/i.test(feedback)) add(1);
  return ids;
}

/** Clauses of free-text feedback, each handled on its own ("Make beat 3 punchier; change the CTA to X"). */
function clauses(feedback: string): string[] {
  return feedback
    .split(/\n|;|\.\s+(?=[A-Z])|\s+(?:and also|also)\s+/)
    .map((c) => c.trim().replace(/\.$/, ""))
    .filter(Boolean);
}

const unquote = (s: string) =>
  s
    .trim()
    .replace(/^["'“‘]|["'”’]$/g, "")
    .trim();

function setSpoken(beat: Beat, text: string | null): void {
  const old = spokenText(beat);
  if (beat.audio.dialogue.length > 0) {
    const speaker = beat.audio.dialogue[0]!.character;
    beat.audio.dialogue = text ? [{ character: speaker, line: text }] : [];
  } else beat.audio.voice_over = text || null;
  if (beat.text.style === "caption") {
    beat.text.on_screen = text || null;
    if (!text) beat.text.style = null;
  } else if (beat.text.on_screen && beat.text.on_screen === old) beat.text.on_screen = text || null;
}

function sentencesOf(text: string): string[] {
  return (
    text
      .match(/[^.!?…]+[.!?…]+["”]?|[^.!?…]+$/g)
      ?.map((s) => s.trim())
      .filter(Boolean) ?? []
  );
}

/** A sentence that says a key message or the CTA of the beat: revisions never cut it. */
function isProtected(s: string, beat: Beat, cta: string | undefined): boolean {
  return (
    beat.key_messages.some((k) => carriesMessage(s, k)) ||
    Boolean(beat.carries_cta && cta && carriesMessage(s, cta))
  );
}

const FILLER = /\b(just|really|very|actually|simply|truly|basically|so|that's it)\b\s*/gi;

/** Cut a beat's spoken copy by about a third, dropping what is not a key message or the CTA. */
function tighten(beat: Beat, cta: string | undefined): boolean {
  const copy = spokenText(beat);
  if (!copy) return false;
  const target = Math.max(1, Math.floor(countWords(copy) * 0.7));
  let parts = sentencesOf(copy);
  for (let i = parts.length - 1; i >= 0 && countWords(parts.join(" ")) > target; i--)
    if (!isProtected(parts[i]!, beat, cta) && parts.length > 1) parts = parts.filter((_, j) => j !== i);
  let next = parts.join(" ");
  if (next === copy) next = copy.replace(FILLER, "").replace(/\s+/g, " ").trim();
  if (next === copy || !next) return false;
  setSpoken(beat, next);
  return true;
}

/** Where a new line fits best: the named beat, else the middle beat with the most spare words. */
function roomiest(beats: readonly Beat[], rate: number): Beat {
  const candidates = beats.length > 2 ? beats.slice(1, -1) : beats;
  return [...candidates].sort((a, b) => spare(b, rate) - spare(a, rate) || a.start_s - b.start_s)[0]!;
}
const spare = (b: Beat, rate: number) => wordBudget(b.end_s - b.start_s, rate) - countWords(spokenText(b));

interface Revision {
  beats: Beat[];
  vrd: Vrd;
  notes: string[];
  warnings: string[];
}

/** Simple, common feedback understood by rules; anything else is reported, not guessed at. */
function reviseByRules(script: Script, feedback: string, vrd: Vrd, rate: number): Revision {
  const beats = structuredClone(script.beats);
  let effective = vrd;
  const notes: string[] = [];
  const warnings: string[] = [];
  for (const clause of clauses(feedback)) {
    const named = namedBeats(clause, beats);
    const targets = named.size > 0 ? beats.filter((b) => named.has(b.id)) : beats;
    const cta =
      clause.match(
        /\b(?:change|make|set|update|replace)\s+(?:the\s+)?(?:cta|call[\s-]to[\s-]action)\s+(?:to|into|with|:)\s*(.+)$/i,
      )?.[1] ??
      clause.match(/^(?:new\s+)?(?:cta|call[\s-]to[\s-]action)\s*(?:[:=]|should be|is)\s*(.+)$/i)?.[1];
    if (cta) {
      const next = unquote(cta);
      const last = beats.at(-1)!;
      const old = effective.call_to_action;
      const copy = spokenText(last);
      const spoken =
        old && copy.includes(old.replace(/\.$/, ""))
          ? copy.replace(old.replace(/\.$/, ""), next.replace(/\.$/, ""))
          : [...sentencesOf(copy).filter((s) => !(old && carriesMessage(s, old))), sentence(next)].join(" ");
      setSpoken(
        last,
        countWords(spoken) <= wordBudget(last.end_s - last.start_s, rate) ? spoken : sentence(next),
      );
      last.text = {
        on_screen: [...last.key_messages, next].join(" — "),
        style: "end_card",
      };
      last.carries_cta = true;
      effective = { ...effective, call_to_action: next };
      notes.push(
        `call to action changed to "${next}" on ${last.id}${old ? ` (the VRD says "${old}": update the brief to match)` : ""}`,
      );
      continue;
    }
    if (
      /\b(punchier|shorter|tighter|trim|cut|snappier|concise|too long|too wordy|fewer words|less wordy)\b/i.test(
        clause,
      )
    ) {
      const changed = targets.filter((b) => tighten(b, effective.call_to_action)).map((b) => b.id);
      if (changed.length > 0) notes.push(`tightened the spoken copy of ${changed.join(", ")}`);
      else
        warnings.push(
          `"${clause}": nothing left to cut in ${targets.map((b) => b.id).join(", ")} without losing a key message or the CTA.`,
        );
      continue;
    }
    const tone = clause.match(
      /\b(energetic|upbeat|exciting|dynamic|punchy|calm|calmer|warm|warmer|cozy|gentle|playful|fun|funny|witty|wry|serious|professional|neutral)\b/i,
    )?.[1];
    if (tone && /\b(tone|more|less|feel|mood|vibe)\b/i.test(clause)) {
      const family: ToneFamily = /energ|upbeat|excit|dynamic|punchy/i.test(tone)
        ? "energetic"
        : /calm|warm|cozy|gentle/i.test(tone)
          ? "calm"
          : /play|fun|witty|wry/i.test(tone)
            ? "wry"
            : "clear";
      const word = tone
        .toLowerCase()
        .replace(/er$/, "")
        .replace(/^calm$/, "calm");
      const before = toneFamily(effective.tone);
      for (const b of beats) {
        b.look.mood = `${b.emotion}, ${word}`;
        if (b.audio.music && b.id === beats[0]!.id) b.audio.music = musicFor(family);
        const variants = connectiveVariants(b.parts[0]!, effective, b.key_messages);
        const copy = spokenText(b);
        const from = Object.values(variants).find((v) => copy.includes(v) && v !== variants[family]);
        if (from) setSpoken(b, copy.replace(from, variants[family]));
      }
      effective = { ...effective, tone: [word, ...effective.tone.filter((t) => toneFamily([t]) !== before)] };
      notes.push(`tone set to ${word}: mood, music and connective lines of every beat`);
      continue;
    }
    const mention = clause.match(/\b(?:mention|include|add|say|talk about)\s+(?:that\s+)?(.+)$/i)?.[1];
    if (mention) {
      const line = sentence(unquote(mention).replace(/^(?:a line about|the fact that)\s+/i, ""));
      const beat = named.size > 0 ? targets[0]! : roomiest(beats, rate);
      const budget = wordBudget(beat.end_s - beat.start_s, rate);
      let parts = sentencesOf(spokenText(beat));
      // Make room by dropping connective sentences, never a key message or the CTA.
      for (let i = parts.length - 1; i >= 0 && countWords([...parts, line].join(" ")) > budget; i--)
        if (!isProtected(parts[i]!, beat, effective.call_to_action)) parts = parts.filter((_, j) => j !== i);
      setSpoken(beat, [...parts, line].join(" "));
      notes.push(`${beat.id} now mentions ${line.replace(/\.$/, "")}`);
      continue;
    }
    warnings.push(
      `Feedback not understood by the template generator, so nothing was changed for it: "${clause}". Edit the beats directly or configure an LLM.`,
    );
  }
  return { beats, vrd: effective, notes, warnings };
}

/** Words of a draft beat (not its length), for telling an unchanged beat from a rewritten one. */
function wordsOf(d: ScriptDraft["beats"][number]): string {
  const { approx_seconds: _length, ...words } = d;
  return JSON.stringify({ ...words, id: undefined });
}

/**
 * A new version of the script shaped by the team's feedback; beats the feedback does not touch keep
 * their ids, text and timings. Template mode applies rules; LLM mode asks the model once (plus the
 * usual single re-ask) and then keeps unnamed beats as they were.
 */
export async function reviseScript(
  script: Script,
  feedback: string,
  vrd: Vrd,
  options: ScriptSmithOptions = {},
): Promise<Script> {
  const r = { ...resolveOptions(vrd, options), scriptId: script.script_id };
  const version = script.version + 1;
  const quoted = feedback.trim().replace(/\s+/g, " ");
  if (!options.llm) {
    const rev = reviseByRules(script, feedback, vrd, r.rate);
    const notes =
      rev.notes.length > 0 ? [`Revision v${version} ("${quoted}"): ${rev.notes.join("; ")}.`] : [];
    return assembleScript({
      vrd: rev.vrd,
      beats: rev.beats,
      logline: script.logline,
      title: script.title,
      generator: script.metadata.generator,
      model: script.metadata.model,
      usage: noUsage(),
      wordsPerSecond: r.rate,
      createdAt: r.createdAt,
      scriptId: r.scriptId,
      version,
      repairs: [...script.metadata.repairs, ...notes],
      warnings: rev.warnings,
    }).script;
  }

  const named = namedBeats(feedback, script.beats);
  const shape = (draft: ScriptDraft) => {
    const repairs: string[] = [];
    if (draft.beats.length !== script.beats.length) {
      const durations = allocateDurations(
        draft.beats.map((b) => b.approx_seconds),
        vrd.duration_seconds,
      );
      const spans = timeline(durations);
      repairs.push(
        `Revision v${version} ("${quoted}"): the model rewrote the beat list (${script.beats.length} → ${draft.beats.length} beats); re-timed in code.`,
      );
      return { beats: draft.beats.map((d, i) => beatOfDraft(d, i, vrd, spans[i]!)), repairs };
    }
    const keep = script.beats.map((old, i) => {
      if (named.size > 0 && !named.has(old.id)) return true;
      return wordsOf(draftOfBeat(old, vrd)) === wordsOf(draft.beats[i]!);
    });
    const durations = allocateDurations(
      script.beats.map((old, i) => (keep[i] ? old.end_s - old.start_s : draft.beats[i]!.approx_seconds)),
      vrd.duration_seconds,
    );
    const spans = timeline(durations);
    const beats = script.beats.map((old, i) =>
      keep[i] ? { ...old, ...spans[i]! } : { ...beatOfDraft(draft.beats[i]!, i, vrd, spans[i]!), id: old.id },
    );
    const changed = beats.filter((_, i) => !keep[i]).map((b) => b.id);
    repairs.push(
      `Revision v${version} ("${quoted}"): ${changed.length > 0 ? `rewrote ${changed.join(", ")}` : "the model changed no beat"}${named.size > 0 ? `; kept every beat the feedback did not name` : ""}.`,
    );
    return { beats, repairs, logline: draft.logline };
  };
  return draftToScript(options.llm, revisionRequest(script, feedback, vrd, r.rate), vrd, r, version, shape, {
    repairs: script.metadata.repairs,
    title: script.title,
  });
}
