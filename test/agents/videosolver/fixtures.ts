import { type Shot, ShotList } from "../../../src/domain/shots.js";
import { Tool, type ToolInput } from "../../../src/domain/tool.js";

type ShotOverrides = Partial<Omit<Shot, "requirements">> & { requirements?: Partial<Shot["requirements"]> };

/** A valid shot with sensible defaults; override what the test is about. */
export function makeShot(id: string, overrides: ShotOverrides = {}): Shot {
  const { requirements, ...rest } = overrides;
  return {
    id,
    beat_id: "B1",
    duration_s: 2,
    size: "MCU",
    angle: "eye_level",
    movement: "static",
    lens_mm: 50,
    lighting: { preset: "low-key", key_fill_ratio: "4:1", color_temperature_k: 6500, notes: "" },
    description: `shot ${id}`,
    subjects: [],
    location: null,
    props: [],
    continuity: { characters: [], wardrobe: [], props: [], screen_direction: "neutral" },
    storyboard: {
      frame_description: "frame",
      composition: "centre",
      prompt: "a prompt",
      negative_prompt: "",
    },
    on_screen_text: null,
    transition: "cut",
    requirements: {
      lip_sync: false,
      character_consistency: false,
      text_rendering: false,
      camera_control: false,
      audio: false,
      physics: false,
      reference_image: false,
      ...requirements,
    },
    complexity: { level: "low", reasons: [] },
    ...rest,
  };
}

export function makeShotList(shots: Shot[], aspect: "9:16" | "16:9" = "9:16"): ShotList {
  return ShotList.parse({
    shot_list_id: "SL-test",
    script_id: "SC-test",
    version: 1,
    aspect_ratio: aspect,
    shots,
    continuity_bible: {},
    asset_summary: {
      shot_count: shots.length,
      total_duration_s: shots.reduce((s, x) => s + x.duration_s, 0),
    },
    metadata: { generator: "template", created_at: "2026-11-25T00:00:00.000Z", usage: {} },
  });
}

/** A video generator with the given price and limits; everything else unknown. */
export function makeTool(
  toolId: string,
  opts: {
    usdPerSecond?: number | null;
    max?: number | null;
    min?: number | null;
    durations?: number[] | null;
    modalities?: ToolInput["capabilities"]["modalities"];
    aspect?: string[];
    quality?: number | null;
    latency?: number | null;
    status?: "available" | "candidate" | "self_hosted" | "retired";
    caps?: Partial<ToolInput["capabilities"]>;
    category?: ToolInput["category"];
    pricing?: Partial<ToolInput["pricing"]>;
  } = {},
): Tool {
  const usd = opts.usdPerSecond === undefined ? 0.1 : opts.usdPerSecond;
  return Tool.parse({
    tool_id: toolId,
    name: toolId.toUpperCase(),
    category: opts.category ?? "video_generation",
    status: opts.status ?? "available",
    capabilities: {
      modalities: opts.modalities ?? ["text-to-video", "image-to-video"],
      max_clip_s: opts.max === undefined ? 10 : opts.max,
      min_clip_s: opts.min === undefined ? 1 : opts.min,
      clip_durations_s: opts.durations ?? null,
      aspect_ratios: opts.aspect ?? ["16:9", "9:16"],
      ...opts.caps,
    },
    pricing: {
      unit: usd === null ? "unknown" : "per_second",
      usd,
      as_of: usd === null ? null : "2026-11",
      sources: usd === null ? [] : ["https://example.test/pricing"],
      ...opts.pricing,
    },
    performance: { typical_latency_s: opts.latency ?? null },
    quality: { score: opts.quality ?? null },
  });
}
