/** One progress message per generating stage, edited in place: working…, done ✓ or failed ✗ (Retry). */
import type { Production } from "../../domain/production.js";
import { encodeAction } from "./actions.js";
import { plural, seconds } from "./format.js";
import { bold, button, paragraph, smallPrint, typed, type View, words } from "./view.js";

export type ProgressStep = "script" | "shots" | "plan";

const STEP = {
  script: { stage: "scripting", agent: "ScriptSmith", doing: "is writing the script", thing: "Script" },
  shots: {
    stage: "shooting",
    agent: "ShotMaster",
    doing: "is breaking the script into shots",
    thing: "Shot list",
  },
  plan: {
    stage: "planning",
    agent: "VideoSolver",
    doing: "is choosing tools and pricing the plan",
    thing: "Plan",
  },
} as const;

/** The progress step a generating stage ("scripting"…) shows, if it is one. */
export function stepOf(stage: string | undefined): ProgressStep | undefined {
  return (Object.keys(STEP) as ProgressStep[]).find((step) => STEP[step].stage === stage);
}

export type ProgressState = "running" | "done" | "failed";

const ARTEFACT = { script: "script", shots: "shot_list", plan: "plan" } as const;

/** Where `step` stands for this production: failed, still running (or queued), or done once its artefact exists. */
export function progressState(
  production: Pick<Production, "stage" | "script" | "shot_list" | "plan">,
  step: ProgressStep,
): ProgressState {
  if (production.stage === "failed") return "failed";
  if (production.stage === STEP[step].stage) return "running";
  return production[ARTEFACT[step]] ? "done" : "running";
}

function doneDetail(production: Production, step: ProgressStep): string {
  if (step === "script" && production.script)
    return `${plural(production.script.beats.length, "beat")}, ${seconds(production.script.metadata.duration_s)}`;
  if (step === "shots" && production.shot_list)
    return `${plural(production.shot_list.shots.length, "shot")}, ${seconds(production.shot_list.asset_summary.total_duration_s)}`;
  if (step === "plan" && production.plan)
    return `${plural(production.plan.shot_plans.length, "shot")} planned`;
  return "";
}

export function progressView(production: Production, step: ProgressStep): View {
  const s = STEP[step];
  const state = progressState(production, step);
  if (state === "running")
    return {
      summary: `${s.agent} ${s.doing}…`,
      elements: [paragraph([words("⏳ "), bold(s.agent), words(` ${s.doing}…`)])],
    };
  if (state === "done") {
    const detail = doneDetail(production, step);
    return {
      summary: `${s.thing} ready`,
      elements: [paragraph([words("✓ "), bold(`${s.thing} ready`), words(detail ? ` — ${detail}` : "")])],
    };
  }
  return {
    summary: `${s.agent} could not finish`,
    elements: [
      paragraph([words("✗ "), bold(`${s.agent} could not finish`)]),
      ...(production.error ? [smallPrint([typed(production.error)])] : []),
      {
        type: "actions",
        items: [
          button(
            "Retry",
            encodeAction({ kind: "retry", productionId: production.id, version: production.version }),
            "primary",
          ),
        ],
      },
    ],
  };
}
