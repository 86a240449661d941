/** The shot list for review: shots grouped by beat (camera, lens, lighting, duration, needs), the continuity bible. */
import type { Production } from "../../domain/production.js";
import type { Shot, ShotList, ShotRequirements } from "../../domain/shots.js";
import { plural, seconds, spaced, timeRange } from "./format.js";
import { reviewActions } from "./review-actions.js";
import {
  bold,
  divider,
  type Element,
  header,
  italic,
  paragraph,
  type Span,
  smallPrint,
  typed,
  type View,
  words,
} from "./view.js";

const NEED_LABEL: Record<keyof ShotRequirements, string> = {
  lip_sync: "lip-sync",
  character_consistency: "character consistency",
  text_rendering: "text rendering",
  camera_control: "camera control",
  audio: "audio",
  physics: "physics",
  reference_image: "reference image",
};

export function shotNeeds(shot: Shot): string[] {
  return (Object.keys(NEED_LABEL) as (keyof ShotRequirements)[])
    .filter((k) => shot.requirements[k])
    .map((k) => NEED_LABEL[k]);
}

/** One shot as one block of text. */
export function shotSpans(shot: Shot): Span[] {
  const l = shot.lighting;
  const needs = shotNeeds(shot);
  const spans: Span[] = [
    bold(shot.id),
    words(
      ` · ${seconds(shot.duration_s)} · ${shot.size}, ${spaced(shot.angle)}, ${spaced(shot.movement)} · ${shot.lens_mm} mm`,
    ),
    words("\n"),
    typed(shot.description),
    words("\n"),
    italic("Lighting: "),
    typed(l.preset),
    words(`, ${l.color_temperature_k} K, ${l.key_fill_ratio}`),
  ];
  if (shot.on_screen_text) spans.push(words(" · "), italic("On screen: "), typed(`“${shot.on_screen_text}”`));
  spans.push(words("\n"), italic("Needs: "), words(needs.length > 0 ? needs.join(", ") : "—"));
  spans.push(words(` · ${shot.complexity.level} complexity`));
  return spans;
}

function bibleElements(list: ShotList): Element[] {
  const b = list.continuity_bible;
  const spans: Span[] = [bold("Continuity bible")];
  const entries = (label: string, items: { name: string; description: string }[]) => {
    for (const item of items)
      spans.push(
        words("\n"),
        italic(`${label} `),
        typed(item.name, "bold"),
        words(": "),
        typed(item.description),
      );
  };
  entries("Character", b.characters);
  entries("Location", b.locations);
  entries(
    "Prop",
    b.props.map((p) => ({ name: p.hero ? `${p.name} (hero)` : p.name, description: p.description })),
  );
  if (b.palette.length > 0) spans.push(words("\n"), italic("Palette "), typed(b.palette.join(", ")));
  if (spans.length === 1) spans.push(words("\n"), italic("No recurring characters, locations or props."));
  return [paragraph(spans, "bible")];
}

export function shotsView(production: Production): View {
  const list = production.shot_list;
  if (!list) throw new Error(`production ${production.id} has no shot list to show`);
  const beats = new Map((production.script?.beats ?? []).map((b) => [b.id, b]));
  const m = list.metadata;
  const elements: Element[] = [
    header(`🎥 Shot list v${list.version}`),
    smallPrint([
      words(
        `${plural(list.shots.length, "shot")} · ${seconds(list.asset_summary.total_duration_s)} · ${list.aspect_ratio} · ` +
          (m.generator === "template"
            ? "template mode (no model configured)"
            : `model ${m.model ?? "unknown"}`),
      ),
    ]),
    ...bibleElements(list),
  ];
  if (m.warnings.length > 0)
    elements.push(
      paragraph([bold("⚠ Warnings")]),
      ...m.warnings.map((w) => paragraph([words("• "), typed(w)])),
    );
  let currentBeat: string | null = null;
  for (const shot of list.shots) {
    if (shot.beat_id !== currentBeat) {
      currentBeat = shot.beat_id;
      const beat = beats.get(shot.beat_id);
      const about: Span[] = beat
        ? [words(` · ${timeRange(beat.start_s, beat.end_s)} · `), typed(beat.purpose, "italic")]
        : [];
      elements.push(divider(), paragraph([bold(`Beat ${shot.beat_id}`), ...about], shot.beat_id));
    }
    elements.push(paragraph(shotSpans(shot), shot.id));
  }
  elements.push(divider(), reviewActions(production, "shots_review"));
  return {
    summary: `Shot list v${list.version} for ${production.vrd.title}: ${plural(list.shots.length, "shot")}, ready for review`,
    elements,
  };
}
