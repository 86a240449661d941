import type { Beat } from "../../domain/script.js";
import type { Lighting } from "../../domain/shots.js";
import { countKeywords, hasKeyword, type LightingPreset, lightingPreset, shotLibrary } from "./library.js";
import { ownLook } from "./look.js";

export interface LightingOptions {
  /** The shot is a product insert or packshot: the product tabletop preset is preferred. */
  productShot?: boolean;
  /**
   * Look fragments every beat of the script shares (the film's tone and style, see `sharedLookFragments`).
   * They only break ties: each beat's light follows its own emotion, purpose and setting.
   */
  sharedLook?: readonly string[];
}

/** Weight of the beat's own setting, mood and action words; its emotion and purpose; shared house style. */
const SEEN_WEIGHT = 4;
const MEANT_WEIGHT = 1.5;
const HOUSE_STYLE_WEIGHT = 0.5;

/**
 * Choose a lighting preset from the library for a beat — by the words of its setting, mood, emotion
 * and action, with the story part as a tie-breaker — and set the colour temperature from what the
 * setting says about the light (a blue dawn window, a lamp, a sunset).
 */
export function designLighting(beat: Beat, options: LightingOptions = {}): Lighting {
  const shared = options.sharedLook ?? [];
  // What the scene looks like (setting, mood, action) counts more than what it means (emotion, purpose).
  const seen = `${ownLook(beat.look.setting, shared)} \n ${ownLook(beat.look.mood, shared)} \n ${beat.look.action}`;
  const meant = `${beat.emotion} \n ${beat.purpose}`;
  const house = shared.join(", ");
  let best: { preset: LightingPreset; score: number } | undefined;
  for (const preset of shotLibrary().lighting_presets) {
    const partHit = preset.parts.some((p) => beat.parts.includes(p));
    let score =
      preset.base +
      (partHit ? 1 : 0) +
      SEEN_WEIGHT * countKeywords(seen, preset.keywords) +
      MEANT_WEIGHT * countKeywords(meant, preset.keywords) +
      HOUSE_STYLE_WEIGHT * countKeywords(house, preset.keywords);
    if (preset.id === "product_tabletop") score += options.productShot ? 5 : -3;
    if (!best || score > best.score) best = { preset, score };
  }
  return lightingFrom((best as { preset: LightingPreset }).preset, lightingText(beat, shared));
}

/** A preset by id, with the colour temperature the beat's words call for. */
export function lightingFromPreset(
  presetId: string,
  beat: Beat,
  sharedLook: readonly string[] = [],
): Lighting | null {
  const preset = lightingPreset(presetId);
  return preset ? lightingFrom(preset, lightingText(beat, sharedLook)) : null;
}

function lightingFrom(preset: LightingPreset, text: string): Lighting {
  const cue = shotLibrary().color_temperature_cues.find((c) => hasKeyword(text, c.keywords));
  return {
    preset: preset.id,
    key_fill_ratio: preset.key_fill_ratio,
    color_temperature_k: cue?.k ?? preset.color_temperature_k,
    notes: cue ? `${preset.notes} Motivated by ${cue.note}.` : preset.notes,
  };
}

/** The beat's own words about light: a shared "natural daylight" would set every beat to 5600 K. */
function lightingText(beat: Beat, shared: readonly string[]): string {
  return `${ownLook(beat.look.setting, shared)} \n ${ownLook(beat.look.mood, shared)} \n ${beat.emotion} \n ${beat.look.action} \n ${beat.purpose}`;
}

/** "low-key, 6500 K, 4:1" — how a DP writes it on a shot list. */
export function describeLighting(lighting: Lighting): string {
  const label = lightingPreset(lighting.preset)?.label ?? lighting.preset.replace(/_/g, " ");
  return `${label}, ${lighting.color_temperature_k} K, ${lighting.key_fill_ratio}`;
}
