import type { Answers } from "../../domain/clarify.js";
import { errorMessage } from "../../domain/errors.js";
import type { Script } from "../../domain/script.js";
import { addUsage, noUsage, type TokenUsage } from "../../domain/usage.js";
import type { Vrd } from "../../domain/vrd.js";
import type { LlmRequest, StructuredLlm } from "../llm.js";
import { assembleScript, scriptIdFor } from "./assemble.js";
import { beatsFromDraft, type ScriptDraft } from "./draft.js";
import { reaskRequest, scriptRequest } from "./prompt.js";
import { templateBeats } from "./template.js";
import { CONTENT_RULES, DEFAULT_WORDS_PER_SECOND, formatProblem, type ScriptProblem } from "./validate.js";

export interface ScriptSmithOptions {
  /** The model; null/undefined → the deterministic template generator. */
  llm?: StructuredLlm | null;
  /** Speaking rate for fitting and checking spoken copy (default 2.5 words/s). */
  wordsPerSecond?: number;
  now?: () => Date;
  scriptId?: string;
}

export interface Resolved {
  rate: number;
  createdAt: string;
  scriptId: string;
}

export function resolveOptions(vrd: Vrd, options: ScriptSmithOptions): Resolved {
  return {
    rate: options.wordsPerSecond ?? DEFAULT_WORDS_PER_SECOND,
    createdAt: (options.now ?? (() => new Date()))().toISOString(),
    scriptId: options.scriptId ?? scriptIdFor(vrd),
  };
}

/**
 * A script of ALT beats for a VRD (with clarifying answers already merged by `applyAnswers`;
 * `clarifications` adds the raw answers as context for the model). Template mode without an LLM.
 */
export async function generateAltBeats(
  vrd: Vrd,
  clarifications: Answers = {},
  options: ScriptSmithOptions = {},
): Promise<Script> {
  const r = resolveOptions(vrd, options);
  if (!options.llm) {
    const { beats, logline } = templateBeats(vrd, r.rate);
    return assembleScript({
      vrd,
      beats,
      logline,
      generator: "template",
      model: null,
      usage: noUsage(),
      wordsPerSecond: r.rate,
      createdAt: r.createdAt,
      scriptId: r.scriptId,
      version: 1,
    }).script;
  }
  return draftToScript(options.llm, scriptRequest(vrd, clarifications, r.rate), vrd, r, 1);
}

/**
 * One model call, code assembly and validation; if content rules fail, exactly one re-ask with the
 * errors. Whatever still fails is written into the script's warnings. Model errors (unparseable
 * reply after the client's own re-ask, timeouts, 5xx) propagate from the first call.
 */
export async function draftToScript(
  llm: StructuredLlm,
  request: LlmRequest<typeof ScriptDraft>,
  vrd: Vrd,
  r: Resolved,
  version: number,
  shape: (draft: ScriptDraft) => {
    beats: ReturnType<typeof beatsFromDraft>["beats"];
    repairs: string[];
    logline?: string;
  } = (d) => beatsFromDraft(d, vrd),
  carried: { repairs?: string[]; warnings?: string[]; title?: string } = {},
): Promise<Script> {
  const assemble = (
    draft: ScriptDraft,
    usage: TokenUsage,
    extraRepairs: string[],
    warnings: string[] = [],
  ) => {
    const shaped = shape(draft);
    return assembleScript({
      vrd,
      beats: shaped.beats,
      logline: shaped.logline ?? draft.logline,
      title: carried.title,
      generator: "llm",
      model: llm.model,
      usage,
      wordsPerSecond: r.rate,
      createdAt: r.createdAt,
      scriptId: r.scriptId,
      version,
      repairs: [...(carried.repairs ?? []), ...shaped.repairs, ...extraRepairs],
      warnings: [...(carried.warnings ?? []), ...warnings],
    });
  };

  const first = await llm.generate(request);
  const firstTry = assemble(first.data, first.usage, []);
  const content = firstTry.problems.filter((p) => CONTENT_RULES.has(p.rule));
  if (content.length === 0) return firstTry.script;

  const reasked = `Re-asked the model once because the draft failed: ${content.map(formatProblem).join("; ")}`;
  let second: Awaited<ReturnType<typeof llm.generate<typeof ScriptDraft>>>;
  try {
    second = await llm.generate(reaskRequest(request, first.data, content));
  } catch (err) {
    const why = errorMessage(err);
    return assemble(
      first.data,
      first.usage,
      [reasked],
      [`The re-ask failed (${why}); this is the first draft.`],
    ).script;
  }
  const usage = addUsage(first.usage, second.usage);
  const secondTry = assemble(second.data, usage, [reasked]);
  if (count(secondTry.problems) <= count(firstTry.problems)) return secondTry.script;
  return assemble(first.data, usage, [reasked, "Kept the first draft: the re-asked one failed more checks."])
    .script;
}

const count = (problems: readonly ScriptProblem[]) => problems.length;
