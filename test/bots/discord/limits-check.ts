/** The platform's limits (src/bots/discord/limits.ts) asserted on a message as sent. */
import { expect } from "vitest";
import { DISCORD_LIMITS as L } from "../../../src/bots/discord/limits.js";
import { type DiscordMessage, type DiscordModal, embedLength } from "../../../src/bots/discord/render.js";

/** Every limit Discord enforces on a message payload. */
export function expectWithinDiscordLimits(m: DiscordMessage): void {
  expect(m.allowed_mentions).toEqual({ parse: [] });
  expect((m.content ?? "").length).toBeLessThanOrEqual(L.content);
  expect(m.embeds.length).toBeLessThanOrEqual(L.embedsPerMessage);
  expect(m.embeds.length + (m.content ? 1 : 0) + m.components.length).toBeGreaterThan(0);
  expect(m.embeds.reduce((n, e) => n + embedLength(e), 0)).toBeLessThanOrEqual(L.embedsTotalChars);
  for (const e of m.embeds) {
    expect((e.title ?? "").length).toBeLessThanOrEqual(L.embedTitle);
    expect((e.description ?? "").length).toBeLessThanOrEqual(L.embedDescription);
    expect((e.footer?.text ?? "").length).toBeLessThanOrEqual(L.footerText);
  }
  expect(m.components.length).toBeLessThanOrEqual(L.actionRows);
  for (const row of m.components) {
    expect(row.type).toBe(1);
    const selects = row.components.filter((c) => c.type === 3);
    if (selects.length > 0) expect(row.components).toHaveLength(1);
    else expect(row.components.length).toBeLessThanOrEqual(L.buttonsPerRow);
    for (const c of row.components) {
      expect(c.custom_id.length).toBeLessThanOrEqual(L.customId);
      if (c.type === 2) expect(c.label.length).toBeLessThanOrEqual(L.buttonLabel);
      if (c.type === 3) {
        expect(c.placeholder.length).toBeLessThanOrEqual(L.selectPlaceholder);
        expect(c.options.length).toBeLessThanOrEqual(L.selectOptions);
        for (const o of c.options) {
          expect(o.label.length).toBeLessThanOrEqual(L.selectOptionLabel);
          expect(o.value.length).toBeLessThanOrEqual(L.selectOptionValue);
        }
      }
    }
  }
}

/** Every limit Discord enforces on a modal (interaction callback type 9 data). */
export function expectModalWithinDiscordLimits(m: DiscordModal): void {
  expect(m.title.length).toBeGreaterThan(0);
  expect(m.title.length).toBeLessThanOrEqual(L.modalTitle);
  expect(m.custom_id.length).toBeLessThanOrEqual(L.customId);
  expect(m.components.length).toBeGreaterThan(0);
  expect(m.components.length).toBeLessThanOrEqual(L.modalInputs);
  for (const row of m.components) {
    expect(row.components).toHaveLength(1);
    const input = row.components[0];
    expect(input.label.length).toBeLessThanOrEqual(L.textInputLabel);
    expect(input.custom_id.length).toBeLessThanOrEqual(L.customId);
    expect((input.placeholder ?? "").length).toBeLessThanOrEqual(L.textInputPlaceholder);
    const max = input.max_length ?? L.textInputValue;
    expect(max).toBeLessThanOrEqual(L.textInputValue);
    // A pre-filled value longer than max_length makes Discord refuse the whole modal.
    expect((input.value ?? "").length).toBeLessThanOrEqual(max);
  }
}
