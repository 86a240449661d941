import { beforeAll, describe, expect, it } from "vitest";
import { askClarifyingQuestions } from "../../../src/agents/scriptsmith/questions.js";
import { answerFromAction, decodeAction } from "../../../src/bots/core/actions.js";
import { answersForm, reviseForm, TONE_AND_CTA, vrdForm } from "../../../src/bots/core/forms.js";
import { planView } from "../../../src/bots/core/plan-view.js";
import { questionsView } from "../../../src/bots/core/questions-view.js";
import { resolvedView } from "../../../src/bots/core/resolved-view.js";
import { rootCardView } from "../../../src/bots/core/root-card.js";
import { scriptView } from "../../../src/bots/core/script-view.js";
import { shotsView } from "../../../src/bots/core/shots-view.js";
import type { View } from "../../../src/bots/core/view.js";
import { DISCORD_LIMITS as L } from "../../../src/bots/discord/limits.js";
import {
  type DiscordMessage,
  discordFormErrors,
  EPHEMERAL,
  escapeDiscordText,
  formFromDiscordModal,
  renderDiscordMessages,
  renderDiscordModal,
} from "../../../src/bots/discord/render.js";
import type { ClarifyingQuestion } from "../../../src/domain/clarify.js";
import { ValidationError } from "../../../src/domain/errors.js";
import type { Production } from "../../../src/domain/production.js";
import { vrdFromForm } from "../../../src/domain/vrd.js";
import { bigProduction, coffee, coffeeProduction, HOSTILE, makeProduction } from "../core/fixtures.js";
import { expectWithinDiscordLimits } from "./limits-check.js";

/** All text a message shows. */
const textOf = (messages: DiscordMessage[]) =>
  messages
    .flatMap((m) => [
      m.content ?? "",
      ...m.embeds.flatMap((e) => [e.title ?? "", e.description ?? "", e.footer?.text ?? ""]),
    ])
    .join("\n");

const compact = (s: string) => s.replace(/[\s\u200B\\]+/g, "");

describe("renderDiscordMessages: splitting big content", () => {
  let big: Production;
  beforeAll(async () => {
    big = await bigProduction();
  });

  it("keeps every beat of a 600 s, 64-beat script and stays within every limit", () => {
    const messages = renderDiscordMessages(scriptView(big));
    expect(messages.length).toBeGreaterThan(1);
    messages.forEach(expectWithinDiscordLimits);
    const text = textOf(messages);
    for (const beat of big.script!.beats) expect(text).toContain(`**${beat.id} · `);
    // Footers sit between parts; the descriptions alone hold the whole voice-over, split but not cut.
    const descriptions = messages.flatMap((m) => m.embeds.map((e) => e.description ?? "")).join("");
    const sentence = compact("Every word of this long voice-over must survive the split.");
    expect(compact(descriptions).split(sentence).length - 1).toBe(118);
  });

  it("keeps every one of 150 shots within every limit", () => {
    const messages = renderDiscordMessages(shotsView(big));
    messages.forEach(expectWithinDiscordLimits);
    const text = textOf(messages);
    for (const shot of big.shot_list!.shots) expect(text).toContain(`**${shot.id}** · `);
  });

  it("keeps every row of the 150-shot cost table", () => {
    const messages = renderDiscordMessages(planView(big));
    messages.forEach(expectWithinDiscordLimits);
    const text = textOf(messages);
    for (const sp of big.plan!.shot_plans) expect(text).toMatch(new RegExp(`\\n${sp.shot_id} +`));
  });

  it("says in each footer that it continues, and puts the buttons on the last message", () => {
    const messages = renderDiscordMessages(scriptView(big));
    const n = messages.length;
    messages.forEach((m, i) => {
      const footer = m.embeds[m.embeds.length - 1]!.footer!.text;
      expect(footer).toBe(
        i < n - 1 ? `Part ${i + 1} of ${n} · continued in the next message` : `Part ${n} of ${n}`,
      );
      if (i < n - 1) expect(m.components).toEqual([]);
    });
    const ids = messages[n - 1]!.components.flatMap((r) =>
      r.components.map((c) => decodeAction(c.custom_id).kind),
    );
    expect(ids).toEqual(["approve", "revise", "download"]);
  });

  it("fits a small review in one message without a part footer", async () => {
    const messages = renderDiscordMessages(planView(await coffeeProduction()));
    expect(messages).toHaveLength(1);
    expectWithinDiscordLimits(messages[0]!);
    expect(messages[0]!.embeds.every((e) => !e.footer)).toBe(true);
  });
});

describe("renderDiscordMessages: text a user typed pings nobody", () => {
  const hostile = makeProduction(coffee({ title: HOSTILE.slice(0, 150), objective: HOSTILE }), {
    origin: {
      platform: "discord",
      workspace_id: "G1",
      channel_id: "C1",
      thread_id: null,
      user_id: "123456789012345678",
    },
  });

  function expectInert(view: View) {
    const messages = renderDiscordMessages(view);
    for (const m of messages) expect(m.allowed_mentions).toEqual({ parse: [] });
    const text = textOf(messages);
    for (const raw of [
      "@everyone",
      "@here",
      "<@U123ABC>",
      "<@&987654321098765432>",
      "</script>",
      "**bold**",
      "[click me]",
    ])
      expect(text).not.toContain(raw);
    // The only live <…> are ours: the starter's mention and local times.
    for (const tag of text.match(/<(?!\u200B)[^>]*>/g) ?? [])
      expect(tag).toMatch(/^<(@123456789012345678|t:\d+:t)>$/);
  }

  it("in the root card", () => expectInert(rootCardView(hostile)));
  it("in an answered question and a big script", async () => {
    expectInert(questionsView({ ...hostile, answers: { hero_product: HOSTILE } }, { threadReplies: false }));
    expectInert(scriptView(await bigProduction()));
  });

  it("escapes markdown and mentions but keeps the words readable", () => {
    expect(escapeDiscordText("@everyone **hi** <@&1>")).toBe(
      "@\u200Beveryone \\*\\*hi\\*\\* <\u200B@\u200B&1\\>",
    );
  });
});

describe("renderDiscordMessages: questions and outcomes", () => {
  it("shows up to five choices as a row of buttons, and more as one menu per question", () => {
    const many: ClarifyingQuestion = {
      id: "style",
      field: "style",
      question: "Which look fits best?",
      why: "It decides the tools",
      options: ["Live", "3D", "2D", "Documentary", "Illustrated"].map((label, i) => ({
        label,
        value: `style_${i}`,
      })),
      default: "Live",
    };
    const production = makeProduction(coffee());
    const withMany = { ...production, questions: [...production.questions, many] };
    const [message, ...rest] = renderDiscordMessages(questionsView(withMany, { threadReplies: false }));
    expect(rest).toHaveLength(0);
    expectWithinDiscordLimits(message!);
    const [q1, q2, q3, review] = message!.components;
    // Every row sits under one embed: each choice names the question it answers, as numbered there.
    expect(q1!.components.map((c) => c.type === 2 && c.label)).toEqual([
      "Q1 · VO only",
      "Q1 · Priya speaks",
      "Q1 · Music + captions only",
      "Q1 · You decide",
    ]);
    expect(q2!.components.map((c) => c.type === 2 && c.label)).toEqual(["Q2 · You decide"]);
    expect(textOf([message!])).toMatch(/2\. \*\*/);
    const menu = q3!.components[0]!;
    expect(menu.type).toBe(3);
    if (menu.type !== 3) return;
    expect(menu.placeholder).toBe("Q3 · Which look fits best?");
    expect(menu.options.map((o) => o.label)).toEqual([
      "Live",
      "3D",
      "2D",
      "Documentary",
      "Illustrated",
      "You decide",
    ]);
    expect(answerFromAction(withMany, decodeAction(menu.options[3]!.value))).toEqual({ style: "style_3" });
    // The menu's own id names the question but answers nothing by itself.
    expect(decodeAction(menu.custom_id)).toMatchObject({ kind: "answer", questionId: "style" });
    expect(() => answerFromAction(withMany, decodeAction(menu.custom_id))).toThrow(/no option/);
    expect(review!.components.map((c) => c.type === 2 && c.label)).toEqual([
      "Answer all",
      "Skip — use defaults",
    ]);
  });

  it("keeps Answer all and Skip with five open questions by sharing a row", () => {
    // The template's questions for six key messages in 15 s: five open, one of them free text.
    const vrd = vrdFromForm({
      title: "Many questions",
      objective: "Sign-ups",
      key_messages: "one\ntwo\nthree\nfour\nfive\nsix",
      duration_seconds: "15",
      platform: "tiktok",
    });
    const production = makeProduction(vrd, { questions: askClarifyingQuestions(vrd) });
    expect(production.questions).toHaveLength(5);
    const messages = renderDiscordMessages(questionsView(production, { threadReplies: false }));
    expect(messages).toHaveLength(1);
    const [message] = messages;
    expectWithinDiscordLimits(message!);
    const labels = message!.components.flatMap((r) => r.components.map((c) => (c.type === 2 ? c.label : "")));
    expect(labels).toContain("Answer all");
    expect(labels).toContain("Skip — use defaults");
    // Every question can still be answered from this one message.
    const answered = message!.components
      .flatMap((r) =>
        r.components.flatMap((c) => (c.type === 2 ? [c.custom_id] : c.options.map((o) => o.value))),
      )
      .map((id) => decodeAction(id))
      .filter((a) => a.kind === "answer")
      .map((a) => a.questionId);
    expect(new Set(answered)).toEqual(new Set(production.questions.map((q) => q.id)));
  });

  it("when no rows can share, keeps Answer all with the questions and moves the last choices on, named", () => {
    const production = makeProduction(coffee());
    const five = Array.from({ length: 5 }, (_, i) => ({ ...production.questions[0]!, id: `q${i}` }));
    const messages = renderDiscordMessages(
      questionsView({ ...production, questions: five }, { threadReplies: false }),
    );
    expect(messages).toHaveLength(2);
    messages.forEach(expectWithinDiscordLimits);
    const labels = (m: DiscordMessage) =>
      m.components.map((r) => r.components.map((c) => c.type === 2 && c.label));
    expect(labels(messages[0]!).at(-1)).toEqual(["Answer all", "Skip — use defaults"]);
    expect(messages[0]!.embeds.length).toBeGreaterThan(0);
    expect(labels(messages[1]!)).toEqual([
      ["Q5 · VO only", "Q5 · Priya speaks", "Q5 · Music + captions only", "Q5 · You decide"],
    ]);
    expect(messages[1]!.content).toBe("More choices (Q5):");
  });

  it("drops every component of a decided review and shows who decided", async () => {
    const view = resolvedView(
      scriptView(await coffeeProduction()),
      "revision_requested",
      { user_id: "123456789012345678", display_name: "Ana" },
      new Date("2026-11-25T14:02:00Z"),
    );
    const messages = renderDiscordMessages(view);
    expect(messages.every((m) => m.components.length === 0)).toBe(true);
    expect(textOf(messages)).toMatch(/↺ Revision requested by <@123456789012345678> at <t:\d+:t>\s*$/);
    expect(messages[0]!.embeds[0]!.color).toBe(0xf1c40f);
  });
});

describe("Discord modals", () => {
  const production = makeProduction(coffee(), { stage: "shots_review" });

  it.each([
    ["VRD", vrdForm("discord", { title: "x".repeat(200) })],
    ["revise", reviseForm(production, "shots_review")],
    ["answer all", answersForm(production)],
  ])("renders the %s form within the modal limits", (_name, form) => {
    const modal = renderDiscordModal(form);
    expect(modal.title.length).toBeLessThanOrEqual(L.modalTitle);
    expect(modal.custom_id.length).toBeLessThanOrEqual(L.customId);
    expect(modal.components.length).toBeLessThanOrEqual(L.modalInputs);
    for (const row of modal.components) {
      expect(row.components).toHaveLength(1);
      const input = row.components[0];
      expect(input.label.length).toBeLessThanOrEqual(L.textInputLabel);
      expect((input.placeholder ?? "").length).toBeLessThanOrEqual(L.textInputPlaceholder);
      expect((input.value ?? "").length).toBeLessThanOrEqual(L.textInputValue);
    }
  });

  it("refuses a form with more inputs than a Discord modal holds", () => {
    expect(() => renderDiscordModal(vrdForm("slack"))).toThrow(/holds 5/);
  });
});

describe("MODAL_SUBMIT → VRD", () => {
  // data.components of a MODAL_SUBMIT interaction: action rows of text inputs (and newer label components).
  const submitted = [
    { type: 1, components: [{ type: 4, custom_id: "title", value: "Ember & Oak — never run out" }] },
    {
      type: 1,
      components: [{ type: 4, custom_id: "objective", value: "Sign-ups for a coffee subscription" }],
    },
    { type: 1, components: [{ type: 4, custom_id: "audience", value: "" }] },
    {
      type: 18,
      id: 7,
      component: {
        type: 4,
        id: 8,
        custom_id: "key_messages",
        value: "Roasted to order\nPause or skip anytime",
      },
    },
    {
      type: 1,
      components: [
        { type: 4, custom_id: TONE_AND_CTA, value: "warm, cozy\nStart your free bag at emberoak.example" },
      ],
    },
  ];

  it("extracts a VRD the domain accepts, with the /vrd command options", () => {
    const vrd = vrdFromForm(
      formFromDiscordModal(submitted, {
        duration_seconds: "30",
        platform: "tiktok",
        quality_priority: "high",
      }),
    );
    expect(vrd).toMatchObject({
      title: "Ember & Oak — never run out",
      duration_seconds: 30,
      platform: "tiktok",
      tone: ["warm", "cozy"],
      call_to_action: "Start your free bag at emberoak.example",
      key_messages: ["Roasted to order", "Pause or skip anytime"],
      constraints: { quality_priority: "high" },
    });
    expect(vrd.audience).toBeUndefined();
  });

  it("reads discord.js's camelCase components too", () => {
    const camel = [{ type: 1, components: [{ type: 4, customId: "title", value: "From discord.js" }] }];
    expect(formFromDiscordModal(camel).title).toBe("From discord.js");
  });

  it("answers invalid input ephemerally, naming each field by its label, with a button to reopen the form", () => {
    const form = vrdForm("discord");
    let error: unknown;
    try {
      vrdFromForm(
        formFromDiscordModal(
          [{ type: 1, components: [{ type: 4, custom_id: "title", value: "<@123456789012345678>" }] }],
          { duration_seconds: "3", platform: "tiktok" },
        ),
      );
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const reply = discordFormErrors(error as ValidationError, form);
    expectWithinDiscordLimits(reply);
    expect(reply.flags).toBe(EPHEMERAL);
    expect(reply.content).toContain("**Objective**: ");
    expect(reply.content).toContain("**Key messages (one per line)**: ");
    expect(reply.content).toContain("**duration\\_seconds**: must be between 5 and 600");
    const reopen = reply.components[0]!.components[0]!;
    expect(reopen.custom_id).toBe(form.id);
    expect(decodeAction(reopen.custom_id).kind).toBe("vrd_form");
  });
});
