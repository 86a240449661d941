/** The fake Slack refuses what Slack refuses, so a flow test cannot pass with a payload Slack would reject. */
import { describe, expect, it } from "vitest";
import { messageBlockProblems, viewProblems } from "../../fakes/slack-blocks.js";

const section = (text: string) => ({ type: "section", text: { type: "mrkdwn", text } });
const button = (text: string, action_id: string) => ({
  type: "button",
  text: { type: "plain_text", text },
  action_id,
});

describe("the fake Slack's Block Kit check", () => {
  it("accepts a message within every limit", () => {
    expect(messageBlockProblems([section("hi"), { type: "actions", elements: [button("Go", "a")] }])).toEqual(
      [],
    );
  });

  it.each([
    ["51 blocks", Array.from({ length: 51 }, () => section("x"))],
    ["a 3,001-character section", [section("x".repeat(3001))]],
    ["an empty section text", [section("")]],
    ["a 151-character header", [{ type: "header", text: { type: "plain_text", text: "h".repeat(151) } }]],
    ["a 76-character button", [{ type: "actions", elements: [button("b".repeat(76), "a")] }]],
    ["two buttons with one action_id", [{ type: "actions", elements: [button("A", "x"), button("B", "x")] }]],
    ["more than 12,000 characters of text", Array.from({ length: 5 }, () => section("x".repeat(2900)))],
  ])("refuses %s", (_name, blocks) => {
    expect(messageBlockProblems(blocks).length).toBeGreaterThan(0);
  });

  it("refuses a modal with a 25-character title or an initial value longer than its box", () => {
    const input = (initial: string) => ({
      type: "input",
      block_id: "t",
      label: { type: "plain_text", text: "Title" },
      element: { type: "plain_text_input", action_id: "t", max_length: 10, initial_value: initial },
    });
    const modal = (title: string, initial: string) => ({
      type: "modal",
      title: { type: "plain_text", text: title },
      submit: { type: "plain_text", text: "Go" },
      blocks: [input(initial)],
    });
    expect(viewProblems(modal("New video brief", "short"))).toEqual([]);
    expect(viewProblems(modal("t".repeat(25), "short")).length).toBeGreaterThan(0);
    expect(viewProblems(modal("New video brief", "x".repeat(11))).length).toBeGreaterThan(0);
  });
});
