import { z } from "zod";
import { parseOrThrow } from "../domain/parse.js";
import { StepKind, type WorkflowStep } from "../domain/plan.js";
import type { Shot } from "../domain/shots.js";
import type { Tool } from "../domain/tool.js";
import workflowFile from "./data/workflows.json" with { type: "json" };
import { clipCost, planClips, priceSource, roundUsd, workCost } from "./pricing.js";
import type { StepToolSet } from "./step-tools.js";

/** Which tool runs a template step: the shot's generator, a step tool of that category, or none. */
export const StepRole = z.enum([
  "video",
  "image_generation",
  "text_to_speech",
  "lip_sync",
  "upscale",
  "none",
]);
export type StepRole = z.infer<typeof StepRole>;

export const WorkflowTemplate = z.object({
  workflow_id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string().min(1),
  description: z.string().default(""),
  /** A base template makes the picture; a modifier adds steps to one (extend, lip-sync, upscale). */
  kind: z.enum(["base", "modifier"]),
  steps: z.array(z.object({ kind: StepKind, role: StepRole, description: z.string().min(1) })).min(1),
  use_cases: z.array(z.string()).default([]),
  avg_quality_score: z.number().min(0).max(1).nullable().default(null),
  avg_cost_usd: z.number().min(0).nullable().default(null),
  avg_time_seconds: z.number().min(0).nullable().default(null),
});
export type WorkflowTemplate = z.infer<typeof WorkflowTemplate>;

/** The workflow templates of src/toolstack/data/workflows.json, validated. */
export function workflowTemplates(): WorkflowTemplate[] {
  return parseOrThrow(z.object({ workflows: z.array(WorkflowTemplate) }), workflowFile, "workflow seed")
    .workflows;
}

const TEMPLATES = new Map(workflowTemplates().map((w) => [w.workflow_id, w]));
function template(id: string): WorkflowTemplate {
  const found = TEMPLATES.get(id);
  if (!found) throw new Error(`workflow template ${id} is missing from data/workflows.json`);
  return found;
}

/** Characters of speech per second of shot: about 2.5 words/s (DESIGN) × 6 characters a word with the space. */
export const SPEECH_CHARS_PER_SECOND = 15;

export interface WorkflowContext {
  /** The shot list's aspect ratio, e.g. "9:16". */
  aspectRatio?: string;
  stepTools?: StepToolSet;
  /** Add an upscale step (when the stack has an upscaler). */
  upscale?: boolean;
  /** Measured latency per generation, by tool id, used when a tool has no typical latency of its own. */
  latencyS?: Readonly<Record<string, number>>;
}

export interface CapableWorkflow {
  capable: true;
  tool: Tool;
  /** Base template id, then modifiers, joined by "+": e.g. "keyframe-to-video+extend-stitch". */
  workflow_id: string;
  base: "text-to-video" | "keyframe-to-video" | "product-reference";
  steps: WorkflowStep[];
  clip_lengths: number[];
  billed_seconds: number;
  lip_sync: "native" | "post" | null;
  aspect_ratio: "supported" | "undocumented";
}
export interface IncapableWorkflow {
  capable: false;
  tool: Tool;
  /** Each hard requirement the tool misses, in words a producer reads. */
  reasons: string[];
}
export type WorkflowResult = CapableWorkflow | IncapableWorkflow;

const has = (tool: Tool, modality: string) => (tool.capabilities.modalities as string[]).includes(modality);
const fmtS = (s: number) => `${Number(s.toFixed(2))} s`;

/** "16:9", "1280:720" or "1104:832" as a width/height ratio; null for words like "adaptive". */
function ratio(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(text.trim());
  if (!m) return null;
  const w = Number(m[1]);
  const h = Number(m[2]);
  return w > 0 && h > 0 ? w / h : null;
}

/** Whether the tool outputs `target`; "undocumented" when it lists no aspect ratios at all. */
export function aspectSupport(tool: Tool, target: string): "supported" | "unsupported" | "undocumented" {
  const listed = tool.capabilities.aspect_ratios;
  if (listed.length === 0) return "undocumented";
  const want = ratio(target);
  if (want === null) return "undocumented";
  const ok = listed.some((a) => {
    const r = ratio(a);
    return r !== null && Math.abs(r - want) / want < 0.02;
  });
  return ok ? "supported" : "unsupported";
}

/**
 * Hard requirements first (they are never traded against price): the tool must be a usable video
 * generator, reach the shot's length (in one clip, or by continuing from a frame), output the shot
 * list's aspect ratio when it documents its ratios, take the product reference image, and — for a
 * dialogue shot — lip-sync natively or have a lip-sync tool in the stack. Unknown capabilities
 * (null) never pass a hard requirement; an undocumented aspect-ratio list is allowed with a note,
 * because a frame can be cropped while a clip that is too short cannot be fixed.
 * Then the shot's duration is split into clips the tool can make and each step is priced.
 */
export function calculateWorkflow(shot: Shot, tool: Tool, ctx: WorkflowContext = {}): WorkflowResult {
  const reasons: string[] = [];
  const caps = tool.capabilities;
  const req = shot.requirements;
  const t2v = has(tool, "text-to-video");
  const i2v = has(tool, "image-to-video");
  const steps = ctx.stepTools ?? {};

  if (tool.category !== "video_generation") reasons.push(`${tool.name} is not a video generator`);
  if (tool.status === "retired")
    reasons.push(`${tool.name} is retired${tool.status_note ? ` (${tool.status_note})` : ""}`);
  if (!t2v && !i2v) reasons.push(`${tool.name} makes video only from other video`);

  const clips = planClips(tool, shot.duration_s);
  if (!clips)
    reasons.push(
      `${tool.name}'s longest clip is not documented, so it cannot be shown to reach ${fmtS(shot.duration_s)}`,
    );
  else if (clips.lengths.length > 1 && !i2v)
    reasons.push(
      `${tool.name}'s longest clip is ${fmtS(caps.max_clip_s ?? 0)} and it cannot continue a ${fmtS(shot.duration_s)} shot from a frame`,
    );

  const aspect = ctx.aspectRatio ? aspectSupport(tool, ctx.aspectRatio) : "undocumented";
  if (aspect === "unsupported")
    reasons.push(`${tool.name} makes ${caps.aspect_ratios.join(", ")}, not ${ctx.aspectRatio}`);

  let base: CapableWorkflow["base"];
  // A reference image of a product is the client's photo; one of a recurring character comes from a
  // generated keyframe (ShotMaster asks for a reference image in both cases).
  const showsProduct = req.reference_image && shot.props.length > 0;
  if (showsProduct) {
    base = "product-reference";
    if (!i2v && caps.reference_image !== true)
      reasons.push(`${tool.name} cannot take the product reference image`);
  } else if (i2v && (req.character_consistency || req.reference_image || !t2v) && steps.image_generation) {
    // A keyframe pins the look; image-only tools need one anyway.
    base = "keyframe-to-video";
  } else if (t2v) {
    base = "text-to-video";
  } else {
    base = "keyframe-to-video";
    reasons.push(`${tool.name} needs an input image and the stack has no image model for the keyframe`);
  }

  let lipSync: CapableWorkflow["lip_sync"] = null;
  if (req.lip_sync) {
    if (caps.lip_sync === true) lipSync = "native";
    else if (steps.lip_sync) lipSync = "post";
    else reasons.push(`the shot needs lip-sync: ${tool.name} has none and the stack has no lip-sync tool`);
  }

  if (reasons.length > 0 || !clips) return { capable: false, tool, reasons };

  // Expand the templates into concrete steps.
  const out: WorkflowStep[] = [];
  const add = (s: Omit<WorkflowStep, "index">) => out.push({ index: out.length + 1, ...s });
  const ids: string[] = [base];
  const latency = tool.performance.typical_latency_s ?? ctx.latencyS?.[tool.tool_id] ?? null;
  const describe = (text: string, by: Tool | null) =>
    text.replace("{tool}", by?.name ?? "").replace(/^: /, "");
  const [first, ...rest] = clips.lengths as [number, ...number[]];
  const trimmed = clips.billedSeconds > shot.duration_s + 1e-9;
  const clipNote = (lengths: number[]) =>
    lengths.length === 1
      ? `1 clip of ${fmtS(lengths[0] as number)}`
      : `${lengths.length} clips of ${lengths.map(fmtS).join(" + ")}`;

  for (const step of template(base).steps) {
    if (step.role === "image_generation") {
      const imageTool = steps.image_generation;
      if (!imageTool) continue; // unreachable: the keyframe base is only chosen with an image model
      add({
        kind: step.kind,
        tool_id: imageTool.tool_id,
        description: describe(step.description, imageTool),
        clips: 0,
        billed_seconds: 0,
        cost_usd: workCost(imageTool, { images: 1 }),
        time_s: imageTool.performance.typical_latency_s ?? ctx.latencyS?.[imageTool.tool_id] ?? null,
        price_source: priceSource(imageTool),
      });
    } else {
      // The generation step: the first clip (all of them when no extension is needed).
      const kind = base === "product-reference" && !i2v ? "text_to_video" : step.kind;
      const made = rest.length === 0 && trimmed ? `, trimmed to ${fmtS(shot.duration_s)}` : "";
      add({
        kind,
        tool_id: tool.tool_id,
        description: `${describe(step.description, tool)} — ${clipNote([first])}${made}`,
        clips: 1,
        billed_seconds: first,
        cost_usd: clipCost(tool, first),
        time_s: latency,
        price_source: priceSource(tool),
      });
    }
  }

  if (rest.length > 0) {
    ids.push("extend-stitch");
    const [extend, stitch] = template("extend-stitch").steps as [
      WorkflowTemplate["steps"][0],
      WorkflowTemplate["steps"][0],
    ];
    let cost: number | null = 0;
    for (const l of rest) {
      const c = clipCost(tool, l);
      cost = cost === null || c === null ? null : cost + c;
    }
    add({
      kind: extend.kind,
      tool_id: tool.tool_id,
      description: `${describe(extend.description, tool)} — ${clipNote(rest)}`,
      clips: rest.length,
      billed_seconds: roundUsd(rest.reduce((s, l) => s + l, 0)),
      cost_usd: cost === null ? null : roundUsd(cost),
      time_s: latency === null ? null : latency * rest.length,
      price_source: priceSource(tool),
    });
    add({
      kind: stitch.kind,
      tool_id: null,
      description: `${stitch.description} (${clipNote(clips.lengths)}${trimmed ? `, trimmed to ${fmtS(shot.duration_s)}` : ""})`,
      clips: 0,
      billed_seconds: 0,
      cost_usd: 0,
      time_s: 0,
      price_source: "no charge: done in the edit",
    });
  }

  if (lipSync === "post") {
    ids.push("dialogue-lip-sync");
    for (const step of template("dialogue-lip-sync").steps) {
      const by = step.role === "text_to_speech" ? steps.text_to_speech : steps.lip_sync;
      if (!by) continue; // no TTS tool: the voice track is recorded and supplied
      const chars = Math.ceil(shot.duration_s * SPEECH_CHARS_PER_SECOND);
      add({
        kind: step.kind,
        tool_id: by.tool_id,
        description:
          step.role === "text_to_speech"
            ? `${describe(step.description, by)} (about ${chars} characters)`
            : describe(step.description, by),
        clips: 0,
        billed_seconds: step.role === "lip_sync" ? shot.duration_s : 0,
        cost_usd:
          step.role === "text_to_speech"
            ? workCost(by, { characters: chars })
            : workCost(by, { seconds: shot.duration_s }),
        time_s: by.performance.typical_latency_s ?? ctx.latencyS?.[by.tool_id] ?? null,
        price_source: priceSource(by),
      });
    }
  }

  if (ctx.upscale && steps.upscale) {
    ids.push("upscale");
    const up = steps.upscale;
    const step = template("upscale").steps[0] as WorkflowTemplate["steps"][0];
    add({
      kind: step.kind,
      tool_id: up.tool_id,
      description: describe(step.description, up),
      clips: 0,
      billed_seconds: shot.duration_s,
      cost_usd: workCost(up, { seconds: shot.duration_s }),
      time_s: up.performance.typical_latency_s ?? ctx.latencyS?.[up.tool_id] ?? null,
      price_source: priceSource(up),
    });
  }

  return {
    capable: true,
    tool,
    workflow_id: ids.join("+"),
    base,
    steps: out,
    clip_lengths: clips.lengths,
    billed_seconds: clips.billedSeconds,
    lip_sync: lipSync,
    aspect_ratio: aspect === "supported" ? "supported" : "undocumented",
  };
}
