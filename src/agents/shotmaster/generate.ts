import { parseOrThrow } from "../../domain/parse.js";
import { Script } from "../../domain/script.js";
import { ShotList } from "../../domain/shots.js";
import { noUsage } from "../../domain/usage.js";
import { resolvedAspectRatio, type Vrd } from "../../domain/vrd.js";
import type { StructuredLlm } from "../llm.js";
import { summarizeAssets } from "./assets.js";
import { buildContinuityBible } from "./continuity.js";
import { writeShotsWithLlm } from "./llm.js";
import { planShots } from "./plan.js";
import { generateStoryboardFrames } from "./storyboard.js";
import { validateShotList } from "./validate.js";

export interface GenerateShotListOptions {
  /** A configured model; `null` or absent means template mode. */
  llm?: StructuredLlm | null;
  /** Model calls in flight at once (default 4). */
  concurrency?: number;
  /** Most beat groups, i.e. model calls, for the whole list (default 4). */
  maxGroups?: number;
  now?: () => Date;
  shotListId?: string;
}

/**
 * Turn an approved script into a shot list: a continuity bible, one or more shots per beat with camera,
 * lighting, prompts and requirements, storyboard panels and an asset summary. Code decides everything
 * countable (ids, durations, camera, continuity); a model, when given, writes the descriptions and
 * prompts, and its reply is repaired and validated like any other input.
 */
export async function generateShotList(
  script: Script,
  vrd: Vrd,
  options: GenerateShotListOptions = {},
): Promise<ShotList> {
  const checked = parseOrThrow(Script, script, "script");
  const aspectRatio = resolvedAspectRatio(vrd);
  const bible = buildContinuityBible(checked, vrd);
  const planned = planShots(checked, bible, aspectRatio);

  let usage = noUsage();
  const repairs: string[] = [];
  const warnings: string[] = [];
  if (options.llm) {
    const written = await writeShotsWithLlm(planned, checked, vrd, options.llm, {
      concurrency: options.concurrency,
      maxGroups: options.maxGroups,
    });
    usage = written.usage;
    repairs.push(...written.repairs);
    warnings.push(...written.warnings);
  }

  const shots = planned.map((p) => p.shot);
  const shotList: ShotList = {
    shot_list_id: options.shotListId ?? `${checked.script_id}-shots`,
    script_id: checked.script_id,
    version: 1,
    aspect_ratio: aspectRatio,
    shots,
    continuity_bible: bible,
    asset_summary: summarizeAssets(shots, checked, bible),
    storyboard_panels: generateStoryboardFrames(shots, aspectRatio),
    metadata: {
      generator: options.llm ? "llm" : "template",
      model: options.llm?.model ?? null,
      created_at: (options.now?.() ?? new Date()).toISOString(),
      warnings,
      repairs,
      usage,
    },
  };
  // Whatever repair could not fix is reported, never passed silently.
  shotList.metadata.warnings.push(...validateShotList(shotList, checked));
  return parseOrThrow(ShotList, shotList, "shot list");
}
