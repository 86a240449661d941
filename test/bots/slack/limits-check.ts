/** The platform's limits (src/bots/slack/limits.ts) asserted on a message as sent. */
import { expect } from "vitest";
import { SLACK_LIMITS as L } from "../../../src/bots/slack/limits.js";
import { blockTextLength, type SlackMessage } from "../../../src/bots/slack/render.js";

/** Every limit Slack enforces on a message, checked block by block. */
export function expectWithinSlackLimits(message: SlackMessage): void {
  expect(message.blocks.length).toBeGreaterThan(0);
  expect(message.blocks.length).toBeLessThanOrEqual(L.blocksPerMessage);
  expect(message.blocks.reduce((n, b) => n + blockTextLength(b), 0)).toBeLessThanOrEqual(L.messageBlockText);
  for (const block of message.blocks) {
    if (block.block_id) expect(block.block_id.length).toBeLessThanOrEqual(L.blockId);
    if (block.type === "header") expect(block.text.text.length).toBeLessThanOrEqual(L.headerText);
    if (block.type === "section") {
      expect(block.text || block.fields).toBeTruthy();
      if (block.text) expect(block.text.text.length).toBeLessThanOrEqual(L.sectionText);
      if (block.fields) {
        expect(block.fields.length).toBeLessThanOrEqual(L.fieldsPerSection);
        for (const f of block.fields) expect(f.text.length).toBeLessThanOrEqual(L.fieldText);
      }
    }
    if (block.type === "context") {
      expect(block.elements.length).toBeLessThanOrEqual(L.contextElements);
      for (const e of block.elements)
        if ("text" in e) expect(e.text.length).toBeLessThanOrEqual(L.sectionText);
    }
    if (block.type === "actions") {
      expect(block.elements.length).toBeLessThanOrEqual(L.actionsElements);
      for (const e of block.elements) {
        if (e.type === "button") {
          expect(e.text.text.length).toBeLessThanOrEqual(L.buttonText);
          expect(e.action_id!.length).toBeLessThanOrEqual(L.actionId);
          expect((e.value ?? "").length).toBeLessThanOrEqual(L.buttonValue);
        }
        if (e.type === "static_select") {
          expect(e.options!.length).toBeLessThanOrEqual(L.selectOptions);
          for (const o of e.options!) {
            expect(o.text.text.length).toBeLessThanOrEqual(L.optionText);
            expect(o.value!.length).toBeLessThanOrEqual(L.optionValue);
          }
        }
      }
    }
  }
}
