import type { Script } from "../../domain/script.js";
import type { ShotList } from "../../domain/shots.js";
import { requiredQuotes } from "./continuity.js";
import { requestedSize } from "./library.js";
import { beatTenths, tenthsToSeconds } from "./timing.js";

/**
 * Every check a shot list must pass, whatever produced it. Each problem is one readable line; an empty
 * list means the list is sound. Generation and revision repair what they can and report the rest.
 */
export function validateShotList(shotList: ShotList, script: Script): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const shot of shotList.shots) {
    if (ids.has(shot.id)) problems.push(`${shot.id}: duplicate shot id`);
    ids.add(shot.id);
  }

  const beatIds = new Set(script.beats.map((b) => b.id));
  for (const shot of shotList.shots)
    if (!beatIds.has(shot.beat_id)) problems.push(`${shot.id}: belongs to unknown beat ${shot.beat_id}`);

  for (const beat of script.beats) {
    const shots = shotList.shots.filter((s) => s.beat_id === beat.id);
    if (shots.length === 0) {
      problems.push(`${beat.id}: no shot covers this beat`);
      continue;
    }
    const tenths = shots.reduce((sum, s) => sum + Math.round(s.duration_s * 10), 0);
    if (tenths !== beatTenths(beat))
      problems.push(
        `${beat.id}: shots add up to ${tenthsToSeconds(tenths)} s, the beat lasts ${tenthsToSeconds(beatTenths(beat))} s`,
      );
  }

  const order = script.beats.map((b) => b.id);
  for (let i = 1; i < shotList.shots.length; i++) {
    const a = shotList.shots[i - 1];
    const b = shotList.shots[i];
    if (a && b && order.indexOf(b.beat_id) < order.indexOf(a.beat_id))
      problems.push(`${b.id}: out of beat order (after ${a.id} of ${a.beat_id})`);
  }

  for (const shot of shotList.shots) {
    const missing = requiredQuotes(shot, shotList.continuity_bible).filter(
      (q) => !shot.storyboard.prompt.includes(q.text),
    );
    for (const q of missing) problems.push(`${shot.id}: prompt does not quote the bible for ${q.name}`);
  }

  const beats = new Map(script.beats.map((b) => [b.id, b]));
  for (let i = 2; i < shotList.shots.length; i++) {
    const [a, b, c] = [shotList.shots[i - 2], shotList.shots[i - 1], shotList.shots[i]];
    if (!a || !b || !c || a.size !== b.size || b.size !== c.size) continue;
    const beat = beats.get(c.beat_id);
    const asked = beat && requestedSize(`${beat.look.action} ${beat.purpose}`) === c.size;
    if (!asked) problems.push(`${a.id}–${c.id}: three ${c.size} shots in a row`);
  }

  const summary = shotList.asset_summary;
  if (summary.shot_count !== shotList.shots.length)
    problems.push(`asset summary counts ${summary.shot_count} shots, the list has ${shotList.shots.length}`);
  return problems;
}
