import type { Script } from "../../domain/script.js";
import type { AssetSummary, ContinuityBible, Shot } from "../../domain/shots.js";
import { tenthsToSeconds } from "./timing.js";

/** Everything a production has to cast, find, record or typeset, with counts and total running time. */
export function summarizeAssets(shots: Shot[], script: Script, bible: ContinuityBible): AssetSummary {
  const seen = (pick: (s: Shot) => Array<string | null>) => {
    const names = new Set<string>();
    for (const shot of shots) for (const v of pick(shot)) if (v) names.add(v);
    return names;
  };
  const characters = seen((s) => s.subjects);
  const locations = seen((s) => [s.location]);
  const props = seen((s) => s.props);
  const byBibleOrder = (entries: Array<{ name: string }>, used: Set<string>) => [
    ...entries.filter((e) => used.has(e.name)).map((e) => e.name),
    ...[...used].filter((n) => !entries.some((e) => e.name === n)),
  ];

  const voiceOver: string[] = [];
  const music: string[] = [];
  const onScreen: string[] = [];
  for (const beat of script.beats) {
    const at = `${beat.start_s.toFixed(1)} s`;
    if (beat.audio.voice_over) voiceOver.push(`${beat.id} (${at}) VO: ${beat.audio.voice_over}`);
    for (const d of beat.audio.dialogue) voiceOver.push(`${beat.id} (${at}) ${d.character}: ${d.line}`);
    if (beat.audio.music) music.push(`${beat.id} (${at}): ${beat.audio.music}`);
    if (beat.text.on_screen)
      onScreen.push(
        `${beat.id} (${at})${beat.text.style ? ` [${beat.text.style}]` : ""}: ${beat.text.on_screen}`,
      );
  }
  const tenths = shots.reduce((sum, s) => sum + Math.round(s.duration_s * 10), 0);
  return {
    characters: byBibleOrder(bible.characters, characters),
    locations: byBibleOrder(bible.locations, locations),
    props: byBibleOrder(bible.props, props),
    voice_over_lines: voiceOver,
    music_cues: music,
    on_screen_text: onScreen,
    shot_count: shots.length,
    total_duration_s: tenthsToSeconds(tenths),
  };
}
