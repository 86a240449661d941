import type { ShotList } from "../../domain/shots.js";
import { markdownCell } from "../../domain/text.js";
import { angleLabel, movementLabel } from "./library.js";
import { describeLighting } from "./lighting.js";

/** The needs a person cares about, in the words of a shot list. */
function needs(shot: ShotList["shots"][number]): string {
  const r = shot.requirements;
  const out: string[] = [];
  if (r.lip_sync) out.push("lip-sync");
  if (r.character_consistency) out.push("character consistency");
  if (shot.props.length > 0) out.push("hero product");
  if (r.text_rendering) out.push("text in frame");
  if (r.camera_control) out.push("camera control");
  if (r.physics) out.push("physics");
  if (r.audio && !r.lip_sync) out.push("sync sound");
  return out.length > 0 ? out.join(", ") : "—";
}

/** A Markdown table of the shot list for the CLI and for chat messages. */
export function renderShotListTable(shotList: ShotList): string {
  const rows = shotList.shots.map((s) =>
    [
      s.id,
      s.beat_id,
      `${s.duration_s.toFixed(1)} s`,
      `${s.size} / ${angleLabel(s.angle)} / ${movementLabel(s.movement)}`,
      `${s.lens_mm} mm`,
      describeLighting(s.lighting),
      needs(s),
    ]
      .map(markdownCell)
      .join(" | "),
  );
  const header = "| Shot | Beat | Dur | Size / angle / move | Lens | Lighting | Needs |";
  const rule = "|---|---|---|---|---|---|---|";
  const total = `${shotList.asset_summary.shot_count} shots, ${shotList.asset_summary.total_duration_s.toFixed(1)} s, ${shotList.aspect_ratio}${shotList.metadata.generator === "template" ? " (template mode)" : ""}`;
  return [total, "", header, rule, ...rows.map((r) => `| ${r} |`)].join("\n");
}
