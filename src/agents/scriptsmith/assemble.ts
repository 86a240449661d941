import { createHash } from "node:crypto";
import { parseOrThrow } from "../../domain/parse.js";
import { type Beat, Script } from "../../domain/script.js";
import type { Generator, TokenUsage } from "../../domain/usage.js";
import { resolvedAspectRatio, type Vrd } from "../../domain/vrd.js";
import { renderScriptMarkdown } from "./render.js";
import { formatProblem, type ScriptProblem, spokenText, validateScript } from "./validate.js";
import { countWords } from "./words.js";

/** `B01`, `B02`, … */
export const beatId = (index: number) => `B${String(index + 1).padStart(2, "0")}`;

/** A stable id for a VRD, so the same brief gives the same script id without a clock or counter. */
export function scriptIdFor(vrd: Vrd): string {
  return `scr_${createHash("sha256").update(JSON.stringify(vrd)).digest("hex").slice(0, 12)}`;
}

export interface AssembleInput {
  vrd: Vrd;
  beats: Beat[];
  logline: string;
  title?: string;
  generator: Generator;
  model: string | null;
  usage: TokenUsage;
  wordsPerSecond: number;
  createdAt: string;
  scriptId: string;
  version: number;
  warnings?: string[];
  repairs?: string[];
}

/** Numbers a script's metadata states about its beats: computed here, never taken from a model. */
function buildScript(input: AssembleInput, warnings: string[]): Script {
  const { vrd, beats } = input;
  const duration = beats.at(-1)?.end_s ?? 0;
  const words = beats.reduce((n, b) => n + countWords(spokenText(b)), 0);
  const script: Script = {
    script_id: input.scriptId,
    version: input.version,
    title: input.title ?? vrd.title,
    logline: input.logline,
    beats,
    metadata: {
      generator: input.generator,
      model: input.model,
      platform: vrd.platform,
      aspect_ratio: resolvedAspectRatio(vrd),
      language: vrd.language,
      target_duration_s: vrd.duration_seconds,
      duration_s: duration,
      word_count: words,
      words_per_second: duration > 0 ? Math.round((words / duration) * 100) / 100 : 0,
      created_at: input.createdAt,
      warnings,
      repairs: input.repairs ?? [],
      usage: input.usage,
    },
    narrative_md: "",
  };
  script.narrative_md = renderScriptMarkdown(script);
  return parseOrThrow(Script, script, "script");
}

/**
 * Assemble a Script and validate it; every problem still standing becomes a warning in the
 * metadata (and the narrative), so nothing fails silently. Returns the problems too.
 */
export function assembleScript(input: AssembleInput): { script: Script; problems: ScriptProblem[] } {
  const draft = buildScript(input, input.warnings ?? []);
  const problems = validateScript(draft, input.vrd, { wordsPerSecond: input.wordsPerSecond });
  if (problems.length === 0) return { script: draft, problems };
  const warnings = [...(input.warnings ?? []), ...problems.map(formatProblem)];
  return { script: buildScript(input, warnings), problems };
}
