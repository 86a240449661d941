import { stringify } from "yaml";
import type { Answers } from "../../domain/clarify.js";
import type { Script } from "../../domain/script.js";
import type { Vrd } from "../../domain/vrd.js";
import { resolvedAspectRatio } from "../../domain/vrd.js";
import type { LlmRequest } from "../llm.js";
import { draftOfBeat, ScriptDraft } from "./draft.js";
import { beatCountFor, PART_WEIGHT, planBeatParts } from "./story.js";
import { allocateDurations } from "./timing.js";
import { formatProblem, type ScriptProblem } from "./validate.js";
import { wordBudget } from "./words.js";

const METHOD = `You are ScriptSmith, the scriptwriter of Greenlight. You turn a video brief (VRD) into a script of ALT beats.

ALT beats: a beat is the smallest unit of dramatic change. Each beat has three layers:
- Audio: voice-over, on-camera dialogue, music, sound effects.
- Look: what is seen: action, setting, characters, mood. Concrete and filmable (an AI video tool will render it).
- Text: on-screen text: a super with a key message, captions, or the end card with the call to action.

Structure: Dan Harmon's story circle, eight parts in this order: you (someone in their familiar world),
need (they want or lack something), go (they cross into something new: the offer appears), search (they
try it: how it works), find (they get what they wanted: the payoff), take (what it costs them: the
objection answered), return (back in their world), change (changed; the call to action).
Every part appears, in order. In short videos one beat may cover adjacent parts; in long ones a part may
span several beats.

You write the words. Code does the arithmetic: give each beat approx_seconds as a relative length; code
rescales all beats to the exact duration and computes ids, times and counts.

Rules:
- Spoken words (voice-over + dialogue) in a beat must not exceed approx_seconds × the speaking rate.
- Each key message is carried by a beat: put its number in that beat's key_message_numbers AND say it
  (verbatim or nearly) in the voice-over or show it in on_screen_text of that same beat.
- The final beat covers "change", has carries_cta true, and says or shows the call to action word for word.
- Keep every character's description consistent; only name characters from the brief.
- Write in the brief's language. Reply only with the JSON object (script_draft).`;

/**
 * Most beats suggested to the model: the whole draft comes back in one reply, and a long one risks
 * the model's output-token limit (a cut-off reply is lost). Long videos get longer beats instead.
 */
const MODEL_PLAN_MAX_BEATS = 24;

/** The beat plan the template would use (up to MODEL_PLAN_MAX_BEATS), as a starting point the model may adjust. */
function suggestedPlan(vrd: Vrd): string {
  const parts = planBeatParts(Math.min(beatCountFor(vrd.duration_seconds), MODEL_PLAN_MAX_BEATS));
  const seconds = allocateDurations(
    parts.map((p) => p.reduce((w, x) => w + PART_WEIGHT[x], 0)),
    vrd.duration_seconds,
  );
  return parts.map((p, i) => `${i + 1}. ${p.join(" + ")} (~${seconds[i]} s)`).join("\n");
}

function audioGuidance(vrd: Vrd): string {
  switch (vrd.audio_mode) {
    case "on_camera_dialogue":
      return "Audio mode: characters speak on camera; put spoken copy in dialogue, keep voice_over null.";
    case "music_only":
      return "Audio mode: music only; no voice-over or dialogue. Carry the copy in on_screen_text.";
    case "voice_over":
      return "Audio mode: voice-over only; no on-camera dialogue.";
    default:
      return "Audio mode: not specified; use voice-over.";
  }
}

function briefSection(vrd: Vrd, clarifications: Answers, wordsPerSecond: number): string {
  const numbered = vrd.key_messages.map((k, i) => `${i + 1}. ${k}`).join("\n");
  const answers = Object.entries(clarifications);
  return [
    "## Brief (VRD)",
    stringify(vrd).trim(),
    "",
    `## Key messages (refer to them by number)\n${numbered}`,
    "",
    `Call to action: ${vrd.call_to_action ?? "(none)"}`,
    `Aspect ratio: ${resolvedAspectRatio(vrd)}. Duration: ${vrd.duration_seconds} s.`,
    `Speaking rate: ${wordsPerSecond} words/s, so at most ${wordBudget(vrd.duration_seconds, wordsPerSecond)} spoken words in all.`,
    audioGuidance(vrd),
    vrd.captions
      ? "Captions: burned in; put the spoken copy in on_screen_text (style caption) where no super is shown."
      : "",
    answers.length > 0
      ? `\n## Clarifications from the team\n${answers.map(([k, v]) => `- ${k}: ${v}`).join("\n")}`
      : "",
  ]
    .filter((l) => l !== "")
    .join("\n");
}

export function scriptRequest(
  vrd: Vrd,
  clarifications: Answers,
  wordsPerSecond: number,
): LlmRequest<typeof ScriptDraft> {
  return {
    name: "script_draft",
    system: METHOD,
    user: `${briefSection(vrd, clarifications, wordsPerSecond)}\n\n## Suggested beat plan (adjust if the story needs it)\n${suggestedPlan(vrd)}\n\nWrite the script draft.`,
    schema: ScriptDraft,
  };
}

/** The one re-ask: the same request plus the draft and the checks it failed. */
export function reaskRequest<S extends typeof ScriptDraft>(
  request: LlmRequest<S>,
  previous: unknown,
  problems: readonly ScriptProblem[],
): LlmRequest<S> {
  return {
    ...request,
    user: `${request.user}\n\n## Your previous draft\n${JSON.stringify(previous)}\n\n## It failed these checks (beat ids count from B01)\n${problems.map((p) => `- ${formatProblem(p)}`).join("\n")}\n\nReturn a corrected complete draft that passes every check.`,
  };
}

export function revisionRequest(
  script: Script,
  feedback: string,
  vrd: Vrd,
  wordsPerSecond: number,
): LlmRequest<typeof ScriptDraft> {
  const current = script.beats.map((b) => draftOfBeat(b, vrd));
  return {
    name: "script_draft",
    system: METHOD,
    user: `${briefSection(vrd, {}, wordsPerSecond)}\n\n## Current script (v${script.version})\nLogline: ${script.logline}\n${JSON.stringify(current)}\n\n## Feedback from the team\n${feedback}\n\nReturn the complete revised draft, one entry per beat in order. Change only what the feedback asks for: copy every other beat exactly as it is, words and approx_seconds included.`,
    schema: ScriptDraft,
  };
}
