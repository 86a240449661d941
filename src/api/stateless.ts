/**
 * The original plan's three stateless agent calls (script, shots, plan), each from a parsed request
 * body. No production is stored; the caller carries the artefacts from one call to the next.
 */
import type { z } from "zod";
import type { StructuredLlm } from "../agents/llm.js";
import { assembleScript } from "../agents/scriptsmith/assemble.js";
import { askClarifyingQuestions, generateAltBeats } from "../agents/scriptsmith/index.js";
import { DEFAULT_WORDS_PER_SECOND } from "../agents/scriptsmith/validate.js";
import { generateShotList, summarizeAssets } from "../agents/shotmaster/index.js";
import { generatePlan } from "../agents/videosolver/index.js";
import type { Answers, ClarifyingQuestion } from "../domain/clarify.js";
import { type FieldProblem, ValidationError } from "../domain/errors.js";
import { parseOrThrow } from "../domain/parse.js";
import type { ProductionPlan } from "../domain/plan.js";
import { Script } from "../domain/script.js";
import { ShotList } from "../domain/shots.js";
import type { Tool } from "../domain/tool.js";
import { noUsage } from "../domain/usage.js";
import { parseVrd, type Vrd } from "../domain/vrd.js";
import { checkAnswers } from "../production/answers.js";
import type { PlanRequest, ScriptRequest, ShotsRequest } from "./schemas.js";

export interface AgentDeps {
  llm: StructuredLlm | null;
  wordsPerSecond?: number;
  now?: () => Date;
}

export interface ScriptResult {
  questions: ClarifyingQuestion[];
  /** The brief with the clarifications (or the questions' defaults) merged in. */
  vrd: Vrd;
  /** The clarifications that answered a question asked. */
  answers: Answers;
  /** Clarifications that answer no question asked: left out, and said so in the response. */
  ignored: FieldProblem[];
  script: Script;
}

/**
 * The questions this brief asks and the brief with the clarifications applied. The original plan
 * leaves `clarifications` free-form, so a key that answers no question asked is not an error: it is
 * left out and named in the response (`ignored_clarifications`). A bad answer to a question asked is
 * a 400 naming `clarifications.<id>`.
 */
export function clarifiedBrief(body: z.output<typeof ScriptRequest>): Omit<ScriptResult, "script"> {
  const questions = askClarifyingQuestions(body.vrd);
  const ids = questions.map((q) => q.id);
  const entries = Object.entries(body.clarifications);
  const answers = Object.fromEntries(entries.filter(([key]) => ids.includes(key)));
  const ignored = entries
    .filter(([key]) => !ids.includes(key))
    .map(([key]) => ({
      field: `clarifications.${key}`,
      message: ids.length
        ? `answers no question asked (asked: ${ids.join(", ")}); ignored`
        : "answers no question (this brief leaves nothing to ask); ignored",
    }));
  try {
    return { questions, vrd: checkAnswers(body.vrd, questions, answers), answers, ignored };
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    const rename = (field: string) => field.replace(/^answers\./, "clarifications.");
    throw new ValidationError(
      err.problems.map((p) => ({ ...p, field: rename(p.field) })),
      "request body",
    );
  }
}

/** ScriptSmith: questions (answered, or their defaults) → the brief → a script of ALT beats. */
export async function scriptFor(
  body: z.output<typeof ScriptRequest>,
  deps: AgentDeps,
  brief = clarifiedBrief(body),
): Promise<ScriptResult> {
  const { questions, vrd, answers, ignored } = brief;
  const script = await generateAltBeats(vrd, answers, {
    llm: deps.llm,
    wordsPerSecond: deps.wordsPerSecond,
    now: deps.now,
  });
  return { questions, vrd, answers, ignored, script };
}

const clampDuration = (s: number) => Math.min(600, Math.max(5, Math.round(s)));

/**
 * The smallest brief ShotMaster needs when the caller sent only a script: title, duration, platform,
 * aspect ratio and the key messages its beats carry (the logline when they carry none). Characters and
 * locations come from the beats themselves.
 */
export function vrdFromScript(
  script: Pick<Script, "title" | "logline" | "beats"> & {
    metadata?: Pick<Script["metadata"], "platform" | "aspect_ratio" | "language">;
  },
  overrides: Pick<z.output<typeof ShotsRequest>, "platform" | "aspect_ratio"> = {},
): Vrd {
  const keyMessages = [...new Set(script.beats.flatMap((b) => b.key_messages))].slice(0, 10);
  const platform = overrides.platform ?? script.metadata?.platform ?? "other";
  return parseVrd({
    title: script.title.slice(0, 150),
    objective: script.logline.slice(0, 1000),
    duration_seconds: clampDuration(script.beats.at(-1)?.end_s ?? 5),
    platform,
    aspect_ratio: overrides.aspect_ratio ?? script.metadata?.aspect_ratio,
    key_messages: keyMessages.length > 0 ? keyMessages : [script.logline.slice(0, 300)],
    language: script.metadata?.language ?? "en",
  });
}

/** The script a /shots body describes: posted whole, or rebuilt from its beats (metadata computed here). */
export function scriptOf(body: z.output<typeof ShotsRequest>, deps: AgentDeps): { script: Script; vrd: Vrd } {
  const title = body.title ?? body.vrd?.title ?? body.script_id;
  const logline = body.logline ?? body.vrd?.objective ?? body.beats[0]?.purpose ?? title;
  if (body.metadata) {
    const script = parseOrThrow(
      Script,
      {
        script_id: body.script_id,
        version: body.version ?? 1,
        title,
        logline,
        beats: body.beats,
        metadata: body.metadata,
        narrative_md: body.narrative_md ?? "",
      },
      "script",
    );
    return { script, vrd: body.vrd ?? vrdFromScript(script, body) };
  }
  const vrd = body.vrd ?? vrdFromScript({ title, logline, beats: body.beats }, body);
  const { script } = assembleScript({
    vrd,
    beats: body.beats,
    logline,
    title,
    generator: "template",
    model: null,
    usage: noUsage(),
    wordsPerSecond: deps.wordsPerSecond ?? DEFAULT_WORDS_PER_SECOND,
    createdAt: (deps.now ?? (() => new Date()))().toISOString(),
    scriptId: body.script_id,
    version: body.version ?? 1,
    repairs: ["script metadata computed by the API from the beats (the request carried none)"],
  });
  return { script, vrd };
}

/** ShotMaster on the script a /shots body describes. */
export async function shotsFor(
  body: z.output<typeof ShotsRequest>,
  deps: AgentDeps,
): Promise<{ shotList: ShotList; vrd: Vrd; script: Script }> {
  const { script, vrd } = scriptOf(body, deps);
  const shotList = await generateShotList(script, vrd, { llm: deps.llm, now: deps.now });
  return { shotList, vrd, script };
}

/** The shot list a /plan body describes: posted whole, or rebuilt around its shots. */
export function shotListOf(body: z.output<typeof PlanRequest>, now: () => Date = () => new Date()): ShotList {
  const bible = body.continuity_bible ?? { characters: [], locations: [], props: [], palette: [] };
  const assetSummary =
    body.asset_summary ??
    // summarizeAssets reads only the script's beats for voice-over/music lines; none are known here.
    summarizeAssets(body.shots, { beats: [] } as unknown as Script, bible);
  return parseOrThrow(
    ShotList,
    {
      shot_list_id: body.shot_list_id,
      script_id: body.script_id ?? body.shot_list_id,
      version: body.version ?? 1,
      aspect_ratio: body.aspect_ratio ?? "16:9",
      shots: body.shots,
      continuity_bible: bible,
      asset_summary: assetSummary,
      metadata: { generator: "template", model: null, created_at: now().toISOString(), usage: noUsage() },
    },
    "shot list",
  );
}

/** VideoSolver on the shots a /plan body describes, against the tool stack. */
export function planFor(
  body: z.output<typeof PlanRequest>,
  tools: readonly Tool[],
  now?: () => Date,
): ProductionPlan {
  return generatePlan(shotListOf(body, now), tools, body.constraints, { now });
}
