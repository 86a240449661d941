import { describe, expect, it } from "vitest";
import { clipCost, planClips } from "../../src/toolstack/pricing.js";
import { seedTools } from "../../src/toolstack/seed.js";
import { pickStepTools, stepTools } from "../../src/toolstack/step-tools.js";
import { aspectSupport, calculateWorkflow, workflowTemplates } from "../../src/toolstack/workflows.js";
import { makeShot, makeTool } from "../agents/videosolver/fixtures.js";

const seed = (id: string) => {
  const tool = seedTools().find((t) => t.tool_id === id);
  if (!tool) throw new Error(`no ${id}`);
  return tool;
};
const steps = pickStepTools(stepTools());

describe("clip planning and prices", () => {
  it("bills the shortest clip the tool makes: 1.5 s costs 2 s on Runway, 6 s on Hailuo", () => {
    expect(planClips(seed("runway-gen4-turbo"), 1.5)).toEqual({
      lengths: [2],
      billedSeconds: 2,
      costUsd: 0.1,
    });
    expect(planClips(seed("minimax-hailuo-02"), 1.5)).toEqual({
      lengths: [6],
      billedSeconds: 6,
      costUsd: 0.48,
    });
  });

  it("prices Kling's first 5 s plus each extra second, and covers 12 s with the fewest, cheapest clips", () => {
    const kling = seed("kling-v2.5-turbo");
    expect(clipCost(kling, 5)).toBe(0.35);
    expect(clipCost(kling, 10)).toBe(0.7);
    expect(planClips(kling, 12)).toEqual({ lengths: [10, 5], billedSeconds: 15, costUsd: 1.05 });
    // 6 s and 10 s clips: two 6 s clips beat 10 + 6 for a 12 s shot.
    expect(planClips(seed("minimax-hailuo-02"), 12)?.lengths).toEqual([6, 6]);
  });

  it("keeps unknown prices unknown, never 0", () => {
    expect(planClips(seed("luma-ray2"), 5)).toEqual({ lengths: [5], billedSeconds: 5, costUsd: null });
    // Pika prices a 5 s clip; no source gives the 10 s price.
    expect(clipCost(seed("pika-2.2"), 10)).toBeNull();
    expect(planClips(makeTool("x", { max: null, durations: null }), 3)).toBeNull();
  });
});

describe("calculateWorkflow hard filters", () => {
  const ctx = { aspectRatio: "9:16", stepTools: steps };

  it("gives a dialogue shot a lip-sync step, and refuses it when the stack has no lip-sync tool", () => {
    const shot = makeShot("S01", { duration_s: 4, requirements: { lip_sync: true } });
    const ok = calculateWorkflow(shot, seed("runway-gen4.5"), ctx);
    expect(ok.capable && ok.steps.map((s) => s.kind)).toEqual(["text_to_video", "tts", "lip_sync"]);
    expect(ok.capable && ok.workflow_id).toBe("text-to-video+dialogue-lip-sync");
    const none = calculateWorkflow(shot, seed("runway-gen4.5"), {
      ...ctx,
      stepTools: { ...steps, lip_sync: undefined },
    });
    expect(none.capable).toBe(false);
    expect(!none.capable && none.reasons.join()).toMatch(/lip-sync/);
    const native = makeTool("talker", { caps: { lip_sync: true, native_audio: true } });
    const nat = calculateWorkflow(shot, native, { ...ctx, stepTools: {} });
    expect(nat.capable && nat.lip_sync).toBe("native");
  });

  it("splits a shot longer than the longest clip into chained clips, or refuses a text-only tool", () => {
    const shot = makeShot("S02", { duration_s: 12 });
    const chained = calculateWorkflow(shot, makeTool("ten", { max: 10, min: 2 }), ctx);
    expect(chained.capable && chained.clip_lengths).toEqual([10, 2]);
    expect(chained.capable && chained.steps.map((s) => s.kind)).toEqual([
      "text_to_video",
      "extend",
      "stitch",
    ]);
    expect(chained.capable && chained.steps[1]?.cost_usd).toBe(0.2);
    const textOnly = calculateWorkflow(
      shot,
      makeTool("t2v", { max: 10, modalities: ["text-to-video"] }),
      ctx,
    );
    expect(textOnly.capable).toBe(false);
    const unknownMax = calculateWorkflow(makeShot("S03"), makeTool("nomax", { max: null }), ctx);
    expect(!unknownMax.capable && unknownMax.reasons.join()).toMatch(/longest clip is not documented/);
  });

  it("refuses a tool whose documented aspect ratios miss the shot list's, and reads pixel ratios", () => {
    const wide = makeTool("wide", { aspect: ["16:9"] });
    expect(calculateWorkflow(makeShot("S01"), wide, ctx).capable).toBe(false);
    expect(aspectSupport(makeTool("px", { aspect: ["720:1280"] }), "9:16")).toBe("supported");
    const open = calculateWorkflow(makeShot("S01"), makeTool("open", { aspect: [] }), ctx);
    expect(open.capable && open.aspect_ratio).toBe("undocumented");
  });

  it("never uses a retired tool", () => {
    expect(calculateWorkflow(makeShot("S01"), seed("openai-sora-2"), ctx).capable).toBe(false);
  });

  it("animates a keyframe for character consistency and uses the product photo for a hero product", () => {
    const face = calculateWorkflow(
      makeShot("S01", { requirements: { character_consistency: true } }),
      seed("runway-gen4-turbo"),
      ctx,
    );
    expect(face.capable && face.steps.map((s) => [s.kind, s.tool_id])).toEqual([
      ["keyframe_image", "flux-1-dev"],
      ["image_to_video", "runway-gen4-turbo"],
    ]);
    expect(face.capable && face.steps[0]?.price_source).toMatch(/^price as of /);
    const product = calculateWorkflow(
      makeShot("S02", { props: ["The bottle"], requirements: { reference_image: true } }),
      seed("runway-gen4-turbo"),
      ctx,
    );
    expect(product.capable && product.workflow_id).toBe("product-reference");
    // A reference image of a recurring character (no product in frame) comes from a keyframe.
    const character = calculateWorkflow(
      makeShot("S03", {
        subjects: ["Maya"],
        requirements: { reference_image: true, character_consistency: true },
      }),
      seed("runway-gen4-turbo"),
      ctx,
    );
    expect(character.capable && character.workflow_id).toBe("keyframe-to-video");
    const textOnly = makeTool("t2v", { modalities: ["text-to-video"], caps: { reference_image: null } });
    expect(
      calculateWorkflow(
        makeShot("S02", { props: ["The bottle"], requirements: { reference_image: true } }),
        textOnly,
        ctx,
      ).capable,
    ).toBe(false);
  });

  it("ships a template for every workflow the issue names", () => {
    expect(
      workflowTemplates()
        .map((w) => w.workflow_id)
        .sort(),
    ).toEqual([
      "dialogue-lip-sync",
      "extend-stitch",
      "keyframe-to-video",
      "product-reference",
      "text-to-video",
      "upscale",
    ]);
  });

  it("adds an upscale step when asked", () => {
    const up = calculateWorkflow(makeShot("S01", { duration_s: 3 }), seed("runway-gen4.5"), {
      ...ctx,
      upscale: true,
    });
    expect(up.capable && up.steps.at(-1)).toMatchObject({
      kind: "upscale",
      tool_id: "crystal-video-upscaler",
      cost_usd: 0.621,
    });
  });
});

describe("step tools", () => {
  it("gives every price a source and date, and keeps the step roles filled", () => {
    for (const tool of stepTools()) {
      if (tool.pricing.usd !== null) {
        expect(tool.pricing.sources.length, tool.tool_id).toBeGreaterThan(0);
        expect(tool.pricing.as_of, tool.tool_id).not.toBeNull();
      }
    }
    expect(Object.keys(steps).sort()).toEqual([
      "image_generation",
      "lip_sync",
      "music",
      "text_to_speech",
      "upscale",
    ]);
  });
});
