import type { types } from "@slack/bolt";
import { beforeAll, describe, expect, it } from "vitest";
import { decodeAction } from "../../../src/bots/core/actions.js";
import { errorView } from "../../../src/bots/core/error-view.js";
import { answersForm, reviseForm, vrdForm } from "../../../src/bots/core/forms.js";
import { homeView } from "../../../src/bots/core/home-view.js";
import { planView } from "../../../src/bots/core/plan-view.js";
import { questionsView } from "../../../src/bots/core/questions-view.js";
import { resolvedView } from "../../../src/bots/core/resolved-view.js";
import { rootCardView } from "../../../src/bots/core/root-card.js";
import { scriptView } from "../../../src/bots/core/script-view.js";
import { shotsView } from "../../../src/bots/core/shots-view.js";
import { paragraph, typed, type View } from "../../../src/bots/core/view.js";
import { SLACK_LIMITS as L } from "../../../src/bots/slack/limits.js";
import {
  formFromSlackViewState,
  renderSlackHome,
  renderSlackMessages,
  renderSlackModal,
  type SlackMessage,
  type SlackViewState,
  slackFormErrors,
} from "../../../src/bots/slack/render.js";
import { ValidationError } from "../../../src/domain/errors.js";
import type { Production } from "../../../src/domain/production.js";
import { vrdFromForm } from "../../../src/domain/vrd.js";
import { bigProduction, coffee, coffeeProduction, HOSTILE, makeProduction } from "../core/fixtures.js";
import { expectWithinSlackLimits } from "./limits-check.js";

/** Every piece of mrkdwn a message carries, fallback text included. */
function mrkdwnOf(messages: SlackMessage[]): string {
  const out: string[] = [];
  for (const m of messages) {
    out.push(m.text);
    for (const b of m.blocks) {
      if (b.type === "section") {
        if (b.text) out.push(b.text.text);
        for (const f of b.fields ?? []) out.push(f.text);
      }
      if (b.type === "context") for (const e of b.elements) if ("text" in e) out.push(e.text);
    }
  }
  return out.join("\n");
}

const compact = (s: string) => s.replace(/[\s\u200B]+/g, "");
const actionBlocks = (messages: SlackMessage[]) =>
  messages.flatMap((m) => m.blocks.filter((b): b is types.ActionsBlock => b.type === "actions"));

describe("renderSlackMessages: splitting big content", () => {
  let big: Production;
  beforeAll(async () => {
    big = await bigProduction();
  });

  it("keeps every beat of a 600 s, 64-beat script and stays within every limit", () => {
    const messages = renderSlackMessages(scriptView(big));
    expect(messages.length).toBeGreaterThan(1);
    messages.forEach(expectWithinSlackLimits);
    const text = mrkdwnOf(messages);
    for (const beat of big.script!.beats) expect(text).toContain(`*${beat.id} · `);
    // The 7,000-character voice-over is split across sections, not cut: every sentence is there.
    // Continuation notes sit between parts; the sections alone hold the whole voice-over.
    const sections = messages
      .flatMap((m) => m.blocks.map((b) => (b.type === "section" ? (b.text?.text ?? "") : "")))
      .join("");
    const sentence = compact("Every word of this long voice-over must survive the split.");
    expect(compact(sections).split(sentence).length - 1).toBe(118);
  });

  it("keeps every one of 150 shots, grouped under their beats, within every limit", () => {
    const messages = renderSlackMessages(shotsView(big));
    messages.forEach(expectWithinSlackLimits);
    const text = mrkdwnOf(messages);
    for (const shot of big.shot_list!.shots) expect(text).toContain(`*${shot.id}* · `);
    expect(text.indexOf("*Beat B001*")).toBeLessThan(text.indexOf("*S001*"));
  });

  it("keeps every row of a 150-shot cost table, repeating the header in each part", () => {
    const messages = renderSlackMessages(planView(big));
    messages.forEach(expectWithinSlackLimits);
    const text = mrkdwnOf(messages);
    for (const sp of big.plan!.shot_plans) expect(text).toMatch(new RegExp(`\\n${sp.shot_id} +`));
    const tableParts = text.split("```").filter((_, i) => i % 2 === 1);
    expect(tableParts.filter((t) => t.includes("Shot  Tool")).length).toBeGreaterThan(1);
  });

  it("says at every break that it continues, and keeps the buttons on the last message only", () => {
    const messages = renderSlackMessages(shotsView(big));
    const n = messages.length;
    messages.forEach((m, i) => {
      const text = mrkdwnOf([m]);
      if (i < n - 1) expect(text).toContain(`continued in the next message (part ${i + 1} of ${n})`);
      if (i > 0) expect(text).toContain(`part ${i + 1} of ${n}`);
      expect(m.text).toContain(`(part ${i + 1} of ${n})`);
    });
    expect(actionBlocks(messages.slice(0, -1))).toHaveLength(0);
    const last = actionBlocks(messages.slice(-1));
    expect(last).toHaveLength(1);
    expect(last[0]!.elements.map((e) => decodeAction((e as types.Button).action_id).kind)).toEqual([
      "approve",
      "revise",
      "download",
    ]);
  });

  it("fits a small review in one message with no continuation notes", async () => {
    const messages = renderSlackMessages(scriptView(await coffeeProduction()));
    expect(messages).toHaveLength(1);
    expect(mrkdwnOf(messages)).not.toContain("continued");
    expectWithinSlackLimits(messages[0]!);
  });
});

describe("renderSlackMessages: text a user typed is inert", () => {
  const hostile = makeProduction(
    coffee({ title: HOSTILE.slice(0, 150), objective: HOSTILE, audience: HOSTILE }),
  );

  function expectInert(view: View) {
    const text = mrkdwnOf(renderSlackMessages(view));
    for (const raw of [
      "<!channel>",
      "<!here>",
      "<@U123ABC>",
      "<@&",
      "<https://evil",
      "</script>",
      "**bold**",
      "`code`",
      "~strike~",
    ])
      expect(text).not.toContain(raw);
    expect(text).toContain("&lt;!channel&gt;");
    // The only <…> left are the ones we made: the starter's mention and local times.
    for (const tag of text.match(/<[^>]*>/g) ?? [])
      expect(tag).toMatch(/^<(@U0STARTER|!date\^\d+\^\{time\}\|[^<>]*)>$/);
  }

  it("in the root card, including the notification fallback", () => {
    expectInert(rootCardView(hostile));
    const [message] = renderSlackMessages(rootCardView(hostile));
    expect(message!.text).toContain("&lt;!channel&gt;");
  });

  it("breaks up a bare @here / @channel / @everyone, and leaves names like youtube_shorts copyable", () => {
    const [message] = renderSlackMessages({
      summary: "x",
      elements: [paragraph([typed("@here @Channel @everyone youtube_shorts key_messages *bold* _it_")])],
    });
    const text = mrkdwnOf([message!]);
    expect(text).not.toMatch(/@(here|channel|everyone)/i);
    expect(text).toContain("youtube_shorts key_messages");
    expect(text).not.toContain("*bold*");
    expect(text).not.toContain("_it_");
  });

  it("names an unknown field of a pasted brief without letting its name format or ping", () => {
    const error = new ValidationError([{ field: "*@here*", message: "is not a VRD field" }], "VRD");
    const text = mrkdwnOf(renderSlackMessages(errorView(error)));
    expect(text).not.toMatch(/@here/);
    expect(text).not.toMatch(/\*\*@/);
  });

  it("in a big script built from a hostile brief, and in an answered question", async () => {
    expectInert(scriptView(await bigProduction()));
    expectInert(questionsView({ ...hostile, answers: { hero_product: HOSTILE } }, { threadReplies: true }));
  });
});

describe("renderSlackMessages: questions and outcomes", () => {
  it("puts each question's option buttons right after it", () => {
    const messages = renderSlackMessages(questionsView(makeProduction(coffee()), { threadReplies: true }));
    expect(messages).toHaveLength(1);
    const blocks = messages[0]!.blocks;
    const q1 = blocks.findIndex((b) => b.type === "section" && b.text?.text.includes("Does Priya speak"));
    const next = blocks[q1 + 1]!;
    expect(next.type).toBe("actions");
    const labels = (next as types.ActionsBlock).elements.map((e) => (e.type === "button" ? e.text.text : ""));
    expect(labels).toEqual(["VO only", "Priya speaks", "Music + captions only", "You decide"]);
    expectWithinSlackLimits(messages[0]!);
  });

  it("shows a decided review with its outcome line and local time instead of buttons", async () => {
    const p = await coffeeProduction();
    const view = resolvedView(
      scriptView(p),
      "approved",
      { user_id: "U0ANA", display_name: "Ana" },
      new Date("2026-11-25T14:02:00Z"),
    );
    const messages = renderSlackMessages(view);
    expect(actionBlocks(messages)).toHaveLength(0);
    const last = messages[messages.length - 1]!.blocks.at(-1)!;
    expect(last.type).toBe("context");
    const text = (last as types.ContextBlock).elements.map((e) => ("text" in e ? e.text : "")).join("");
    expect(text).toMatch(/^✓ Approved by <@U0ANA> at <!date\^\d+\^\{time\}\|14:02 UTC>$/);
  });
});

describe("renderSlackHome", () => {
  it("lists a person's productions within the home tab's 100 blocks, linking each thread", () => {
    const many = Array.from({ length: 150 }, (_, i) =>
      makeProduction(coffee({ title: `Production ${i}` }), {
        id: `p${i}`,
        updated_at: `2026-11-25T09:${String(i % 60).padStart(2, "0")}:00Z`,
      }),
    );
    const home = renderSlackHome(
      homeView(many, { limit: 150, linkFor: (p) => `https://acme.slack.com/archives/C1/p${p.id}` }),
    );
    expect(home.blocks.length).toBeLessThanOrEqual(L.blocksPerModal);
    const last = home.blocks.at(-1) as types.ContextBlock;
    expect(last.elements.map((e) => ("text" in e ? e.text : "")).join("")).toMatch(/more blocks not shown/);
    const first = home.blocks.find((b) => b.type === "section") as types.SectionBlock;
    expect(first.text!.text).toMatch(/<https:\/\/acme\.slack\.com\/archives\/C1\/pp\d+\|\*Production \d+\*>/);
  });
});

describe("Slack modals", () => {
  const production = makeProduction(coffee(), { stage: "plan_review" });

  it.each([
    ["VRD", vrdForm("slack")],
    ["revise", reviseForm(production, "plan_review")],
    ["answer all", answersForm(production)],
  ])("renders the %s form within the modal limits", (_name, form) => {
    const view = renderSlackModal(form, {
      privateMetadata: JSON.stringify({ channel: "C1", thread_ts: "1.2" }),
    });
    expect(view.title.text.length).toBeLessThanOrEqual(L.modalTitle);
    expect(view.submit!.text.length).toBeLessThanOrEqual(L.modalButtonText);
    expect(view.blocks.length).toBeLessThanOrEqual(L.blocksPerModal);
    expect(view.callback_id!.length).toBeLessThanOrEqual(L.callbackId);
    for (const block of view.blocks) {
      expect(block.type).toBe("input");
      const input = block as types.InputBlock;
      expect(input.block_id).toBe((input.element as { action_id: string }).action_id);
      expect(input.label.text.length).toBeLessThanOrEqual(L.inputLabel);
      const placeholder = (input.element as { placeholder?: { text: string } }).placeholder;
      if (placeholder) expect(placeholder.text.length).toBeLessThanOrEqual(L.placeholder);
    }
  });

  it("uses a platform menu, a quality menu and a date picker in the VRD form, pre-filled", () => {
    const view = renderSlackModal(vrdForm("slack", { platform: "tiktok", deadline: "2026-12-31" }));
    const element = (id: string) => (view.blocks.find((b) => b.block_id === id) as types.InputBlock).element;
    expect(element("platform")).toMatchObject({ type: "static_select", initial_option: { value: "tiktok" } });
    expect(element("quality_priority")).toMatchObject({
      type: "static_select",
      initial_option: { value: "medium" },
    });
    expect(element("deadline")).toMatchObject({ type: "datepicker", initial_date: "2026-12-31" });
    expect(element("key_messages")).toMatchObject({ type: "plain_text_input", multiline: true });
  });
});

describe("view_submission → VRD", () => {
  // The shape Slack sends in a view_submission payload's view.state (block id → action id → value).
  const state: SlackViewState = {
    values: {
      title: { title: { type: "plain_text_input", value: "Ember & Oak — never run out" } },
      objective: { objective: { type: "plain_text_input", value: "Sign-ups for a coffee subscription" } },
      audience: { audience: { type: "plain_text_input", value: null } },
      duration_seconds: { duration_seconds: { type: "plain_text_input", value: "30" } },
      platform: {
        platform: {
          type: "static_select",
          selected_option: {
            text: { type: "plain_text", text: "Instagram Reels", emoji: true },
            value: "instagram_reels",
          },
        } as SlackViewState["values"][string][string],
      },
      tone: { tone: { type: "plain_text_input", value: "warm, cozy, a little wry" } },
      key_messages: {
        key_messages: {
          type: "plain_text_input",
          value: "Roasted to order, shipped within 48 hours\nPause or skip anytime\nFirst bag free",
        },
      },
      call_to_action: {
        call_to_action: { type: "plain_text_input", value: "Start your free bag at emberoak.example" },
      },
      max_cost_usd: { max_cost_usd: { type: "plain_text_input", value: "20" } },
      quality_priority: { quality_priority: { type: "static_select", selected_option: null } },
      deadline: { deadline: { type: "datepicker", selected_date: "2026-12-31" } },
    },
  };

  it("extracts a VRD the domain accepts", () => {
    const vrd = vrdFromForm(formFromSlackViewState(state));
    expect(vrd).toMatchObject({
      title: "Ember & Oak — never run out",
      duration_seconds: 30,
      platform: "instagram_reels",
      tone: ["warm", "cozy", "a little wry"],
      key_messages: ["Roasted to order, shipped within 48 hours", "Pause or skip anytime", "First bag free"],
      constraints: { max_cost_usd: 20, deadline: "2026-12-31", quality_priority: "medium" },
    });
    expect(vrd.audience).toBeUndefined();
  });

  it("shows invalid fields inline, keyed by the modal's block ids", () => {
    const bad: SlackViewState = {
      values: {
        ...state.values,
        duration_seconds: { duration_seconds: { type: "plain_text_input", value: "0" } },
        max_cost_usd: { max_cost_usd: { type: "plain_text_input", value: "lots" } },
      },
    };
    let error: unknown;
    try {
      vrdFromForm(formFromSlackViewState(bad));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const form = vrdForm("slack");
    const response = slackFormErrors(error as ValidationError, form);
    expect(response.response_action).toBe("errors");
    expect(response.errors.duration_seconds).toMatch(/between 5 and 600/);
    expect(response.errors.max_cost_usd).toMatch(/number/);
    const blockIds = renderSlackModal(form).blocks.map((b) => b.block_id);
    for (const key of Object.keys(response.errors)) expect(blockIds).toContain(key);
  });
});
