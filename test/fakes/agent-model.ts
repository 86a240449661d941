/**
 * A stand-in model for the fake OpenAI server that writes valid Greenlight agent replies: ScriptSmith
 * drafts ("script_draft") built from the brief in the prompt, and ShotMaster shot words ("shot_words")
 * that quote every continuity string they are asked to. Benches and end-to-end tests use it so the real
 * client, prompts and parsing run with no model.
 */
import { goodReply, requestedShots } from "../agents/shotmaster/stub-llm.js";
import type { ChatRequest, FakeReply } from "./openai.js";

const PARTS = ["you", "need", "go", "search", "find", "take", "return", "change"] as const;

/** The structured-output name a request asks for, whichever method carried the schema. */
export function requestedOutput(body: ChatRequest): string | undefined {
  return body.response_format?.json_schema?.name ?? body.tools?.[0]?.function?.name;
}

function userMessage(body: ChatRequest): string {
  const user = (body.messages as Array<{ role: string; content: unknown }>).findLast(
    (m) => m.role === "user",
  );
  return typeof user?.content === "string" ? user.content : JSON.stringify(user?.content ?? "");
}

/** An eight-beat draft carrying every numbered key message and the call to action. */
function scriptDraft(prompt: string) {
  const messages = [...prompt.matchAll(/^(\d+)\. (.+)$/gm)].map((m) => ({
    n: Number(m[1]),
    text: m[2] as string,
  }));
  const cta = /^Call to action: (.+)$/m.exec(prompt)?.[1];
  const slots = [3, 4, 5, 6]; // search, find, take, return carry the messages
  return {
    logline: "A busy person finds the product that fixes their day.",
    beats: PARTS.map((part, i) => {
      const carried = messages.filter((_, m) => slots[m % slots.length] === i);
      const last = i === PARTS.length - 1;
      const spoken = last && cta && cta !== "(none)" ? cta : carried.map((m) => m.text).join(". ") || null;
      return {
        parts: [part],
        approx_seconds: 1,
        voice_over: spoken,
        dialogue: [],
        music: i === 0 ? "light percussive bed" : null,
        sfx: [],
        look: { action: `Beat ${i + 1} action`, setting: "A bright kitchen", characters: [], mood: "warm" },
        on_screen_text: carried[0]?.text ?? (last ? (cta ?? null) : null),
        text_style: carried.length > 0 ? "super" : last ? "end_card" : null,
        emotion: "hope",
        purpose: `Story part ${part}`,
        key_message_numbers: carried.map((m) => m.n),
        carries_cta: last && Boolean(cta && cta !== "(none)"),
      };
    }),
  };
}

/** Answers any agent request the way a cooperative model would. */
export function agentModel(body: ChatRequest): FakeReply {
  const output = requestedOutput(body);
  const prompt = userMessage(body);
  if (output === "script_draft")
    return { json: scriptDraft(prompt), usage: { prompt_tokens: 900, completion_tokens: 700 } };
  if (output === "shot_words")
    return {
      json: goodReply(requestedShots(prompt)),
      usage: { prompt_tokens: 1200, completion_tokens: 900 },
    };
  return {
    status: 400,
    body: { error: { message: `the fake model does not know "${output}"`, type: "invalid_request_error" } },
  };
}
