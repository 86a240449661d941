/**
 * The Discord bot end to end: the real discord.js client against the fake Discord, the production
 * service in template mode, from /vrd to an approved plan, asserting what Discord was sent.
 */
import { describe, expect, it } from "vitest";
import type { Json } from "../../fakes/discord.js";
import { type FakeMessage, stranger } from "../../fakes/discord.js";
import { actionsOf, botPerTest, buttonId, messagesIn, textOf, withButton } from "./harness.js";

const fixture = botPerTest({
  // Nothing failed behind the scenes (a refused follow-up or a crashed handler logs at warn or above).
  afterStop: (bot) =>
    expect(bot.log.lines.filter((l) => !l.includes("could not start a thread"))).toEqual([]),
});

const BRIEF = {
  title: "Ember & Oak @everyone <@&987654321098765432>",
  objective: "Sign-ups for a coffee subscription @here",
  audience: "Urban professionals who brew at home",
  key_messages: "Roasted to order, shipped within 48 hours\nPause or skip anytime",
  tone_cta: "warm, cozy\nStart your free bag at emberoak.example",
};

/** /vrd, then the modal submitted: returns the thread the production runs in. */
async function startProduction(): Promise<{ thread: string; productionId: string }> {
  const command = fixture.bot.fake.slash("vrd", {
    duration: 30,
    platform: "instagram_reels",
    quality: "high",
  });
  const modal = await fixture.bot.fake.callbackOf(command);
  expect(modal.body.type).toBe(9);
  expect(modal.body.data.components).toHaveLength(5);
  const submit = fixture.bot.fake.submitModal("gl1:vf", BRIEF);
  expect((await fixture.bot.fake.callbackOf(submit)).body).toEqual({ type: 5 });
  await fixture.bot.settle();
  const [thread] = [...fixture.bot.fake.threads.keys()];
  const [production] = await fixture.bot.service.list({ platform: "discord" });
  return { thread: thread!, productionId: production!.id };
}

async function clickAndSettle(message: FakeMessage, label: string, user = undefined as never) {
  const sent = fixture.bot.fake.click(buttonId(message, label), { message, ...(user ? { user } : {}) });
  const callback = await fixture.bot.fake.callbackOf(sent);
  await fixture.bot.settle();
  return { sent, callback };
}

/** Bodies of every message the bot posted or edited (channel, webhook and interaction responses). */
const messageCalls = () =>
  fixture.bot.fake.calls.filter(
    (c) =>
      (c.method === "POST" || c.method === "PATCH") && /\/messages|^\/webhooks\/\d+\/[^/]+$/.test(c.path),
  );

describe("Discord: /vrd to an approved plan", () => {
  it("runs the production in a thread made from the reply, with buttons, embeds and edits in place", async () => {
    const { thread, productionId } = await startProduction();

    // The reply became the root card and the thread was started from it.
    const root = [...fixture.bot.fake.messages.values()].find((m) => m.via === "original")!;
    expect(fixture.bot.fake.threads.get(thread)).toMatchObject({
      parent: fixture.bot.fake.channelId,
      message: root.id,
    });
    expect(textOf(root)).toContain("New video production");
    // The command's options reached the production.
    const started = await fixture.bot.service.get(productionId);
    expect(started.vrd).toMatchObject({ duration_seconds: 30, platform: "instagram_reels" });
    expect(started.vrd.constraints.quality_priority).toBe("high");
    expect(started.vrd.call_to_action).toBe("Start your free bag at emberoak.example");

    // Questions in the thread; Skip uses the defaults.
    const questions = withButton(fixture.bot.fake, thread, "Skip — use defaults");
    const skip = await clickAndSettle(questions, "Skip — use defaults");
    expect(skip.callback.body).toEqual({ type: 6 });
    expect(textOf(fixture.bot.fake.messages.get(messagesIn(fixture.bot.fake, thread)[0]!.id)!)).toContain(
      "Skipped (defaults used)",
    );

    // Script review, then shots, then plan: Approve each.
    for (const stage of ["script_review", "shots_review", "plan_review"]) {
      const review = withButton(fixture.bot.fake, thread, "Approve");
      expect(actionsOf(review).map((a) => a.label)).toEqual(["Approve", "Revise", "Download JSON"]);
      expect((await fixture.bot.service.get(productionId)).stage).toBe(stage);
      const { callback } = await clickAndSettle(review, "Approve");
      expect(callback.body).toEqual({ type: 6 });
      // The decided review keeps its body and shows who approved it instead of its buttons.
      const after = fixture.bot.fake.messages.get(review.id)!;
      expect(actionsOf(after)).toEqual([]);
      expect(textOf(after)).toMatch(/Approved by <@\d+>/);
    }
    const done = await fixture.bot.service.get(productionId);
    expect(done.stage).toBe("approved");

    // Progress is one message per stage, edited in place (posted once, then PATCHed).
    const progress = messagesIn(fixture.bot.fake, thread).filter((m) =>
      /✓ \*\*(Script|Shot list|Plan) ready/.test(textOf(m)),
    );
    expect(progress.map(textOf).join("\n")).toMatch(/Script ready[\s\S]*Shot list ready[\s\S]*Plan ready/);
    for (const m of progress)
      expect(
        fixture.bot.fake.calls.some((c) => c.method === "PATCH" && c.path.endsWith(`/messages/${m.id}`)),
      ).toBe(true);

    // Every beat and every shot reached some message in the thread (split across messages, never cut).
    const threadText = messagesIn(fixture.bot.fake, thread).map(textOf).join("\n");
    for (const beat of done.script!.beats) expect(threadText).toContain(beat.id);
    for (const shot of done.shot_list!.shots) expect(threadText).toContain(shot.id);
    for (const m of messagesIn(fixture.bot.fake, thread)) {
      const embeds = m.body.embeds ?? [];
      expect(embeds.length).toBeLessThanOrEqual(10);
      for (const e of embeds) expect((e.description ?? "").length).toBeLessThanOrEqual(4096);
    }

    // After a click in the thread, new messages went out as follow-ups on that click's token.
    expect(messagesIn(fixture.bot.fake, thread).some((m) => m.via === "webhook")).toBe(true);

    // Download JSON: the plan as an attachment, privately.
    const planReview = messagesIn(fixture.bot.fake, thread)
      .reverse()
      .find((m) => /Approved by/.test(textOf(m)));
    expect(planReview).toBeDefined();
    const download = fixture.bot.fake.click(`gl1:dl:${productionId}:p`, { message: planReview! });
    expect((await fixture.bot.fake.callbackOf(download)).body).toEqual({ type: 5, data: { flags: 64 } });
    await fixture.bot.settle();
    const file = fixture.bot.fake.calls.find((c) => c.files.length > 0)!;
    expect(decodeURIComponent(file.path)).toBe(
      `/webhooks/${fixture.bot.fake.applicationId}/${download.token}/messages/@original`,
    );
    expect(JSON.parse(file.files[0]!.text).shot_plans).toHaveLength(done.plan!.shot_plans.length);
  });

  it("echoes what a person typed with mentions disabled, so @everyone and role pings ping nobody", async () => {
    const { thread } = await startProduction();
    const calls = messageCalls().filter((c) => c.body && (c.body.embeds || c.body.content));
    expect(calls.length).toBeGreaterThanOrEqual(2);
    for (const c of calls) expect(c.body.allowed_mentions).toEqual({ parse: [] });
    const root = [...fixture.bot.fake.messages.values()].find((m) => m.via === "original")!;
    expect(textOf(root)).toContain("@\u200Beveryone");
    expect(textOf(root)).not.toMatch(/(^|[^\u200B])@everyone|<@&\d+>/);
    expect(messagesIn(fixture.bot.fake, thread).length).toBeGreaterThan(0);
  });

  it("answers a question from a menu and the Answer-all modal", async () => {
    const { thread, productionId } = await startProduction();
    const p = await fixture.bot.service.get(productionId);
    const withMenu = p.questions.find((q) => q.options.length + 1 > 5);
    const questions = withButton(fixture.bot.fake, thread, "Answer all");
    // Find the message carrying the menu of that question (options beyond five buttons become a menu).
    const menuMessage = messagesIn(fixture.bot.fake, thread).find((m) =>
      (m.body.components ?? []).some((r: Json) => r.components.some((c: Json) => c.type === 3)),
    );
    expect(withMenu).toBeDefined();
    expect(menuMessage).toBeDefined();
    const menu = (menuMessage!.body.components as Json[])
      .flatMap((r) => r.components)
      .find((c) => c.type === 3);
    const chosen = menu.options[0];
    const sent = fixture.bot.fake.choose(menu.custom_id, chosen.value, { message: menuMessage! });
    expect((await fixture.bot.fake.callbackOf(sent)).body).toEqual({ type: 6 });
    await fixture.bot.settle();
    const answered = await fixture.bot.service.get(productionId);
    expect(Object.keys(answered.answers)).toHaveLength(1);
    const open = fixture.bot.fake.click(buttonId(questions, "Answer all"), { message: questions });
    const modal = await fixture.bot.fake.callbackOf(open);
    expect(modal.body.type).toBe(9);
    const fields = modal.body.data.components.map((r: Json) => r.components[0].custom_id) as string[];
    expect(fields.length).toBeGreaterThan(0);
    expect(fields.length).toBeLessThanOrEqual(5);
    const current = await fixture.bot.service.get(productionId);
    const values = Object.fromEntries(
      fields.map((id) => [id, current.questions.find((q) => q.id === id)!.default] as const),
    );
    const submit = fixture.bot.fake.submitModal(modal.body.data.custom_id, values, { message: questions });
    expect((await fixture.bot.fake.callbackOf(submit)).body).toEqual({ type: 6 });
    await fixture.bot.settle();
    const after = await fixture.bot.service.get(productionId);
    for (const id of fields) expect(after.answers[id]).toBeDefined();
  });
});

describe("Discord: who may act, and acting once", () => {
  async function atScriptReview() {
    const started = await startProduction();
    await clickAndSettle(
      withButton(fixture.bot.fake, started.thread, "Skip — use defaults"),
      "Skip — use defaults",
    );
    return { ...started, review: withButton(fixture.bot.fake, started.thread, "Approve") };
  }

  it("refuses a stranger's Approve privately and leaves the production where it was", async () => {
    const { productionId, review } = await atScriptReview();
    const sent = fixture.bot.fake.click(buttonId(review, "Approve"), { message: review, user: stranger });
    expect((await fixture.bot.fake.callbackOf(sent)).body).toEqual({ type: 6 });
    await fixture.bot.settle();
    const refusal = fixture.bot.fake.calls.find(
      (c) => c.method === "POST" && c.path === `/webhooks/${fixture.bot.fake.applicationId}/${sent.token}`,
    )!;
    expect(refusal.body.flags).toBe(64);
    const { owner_id } = await fixture.bot.service.get(productionId);
    expect(JSON.stringify(refusal.body.embeds)).toContain(`Only <@${owner_id}>`);
    expect(refusal.body.allowed_mentions).toEqual({ parse: [] });
    expect((await fixture.bot.service.get(productionId)).stage).toBe("script_review");
    // Revise opens no modal for a stranger either.
    const revise = fixture.bot.fake.click(buttonId(review, "Revise"), { message: review, user: stranger });
    const answer = await fixture.bot.fake.callbackOf(revise);
    expect(answer.body.type).toBe(4);
    expect(answer.body.data.flags).toBe(64);
  });

  it("cancels from the root card: a stranger is refused, the owner's click says who cancelled", async () => {
    const { thread, productionId } = await startProduction();
    const root = withButton(fixture.bot.fake, fixture.bot.fake.channelId, "Cancel production");
    expect(root.via).toBe("original");
    const refused = fixture.bot.fake.click(buttonId(root, "Cancel production"), {
      message: root,
      user: stranger,
    });
    await fixture.bot.fake.callbackOf(refused);
    await fixture.bot.settle();
    const told = fixture.bot.fake.calls.find((c) => c.body?.flags === 64 && c.path.includes(refused.token))!;
    expect(JSON.stringify(told.body.embeds)).toContain("🔒 **Not yours to decide.** Only <@");
    expect((await fixture.bot.service.get(productionId)).stage).toBe("clarifying");

    await clickAndSettle(root, "Cancel production");
    expect((await fixture.bot.service.get(productionId)).stage).toBe("cancelled");
    const after = fixture.bot.fake.messages.get(root.id)!;
    expect(actionsOf(after)).toEqual([]);
    expect(textOf(after)).toMatch(/Cancelled by <@\d+> at/);
    // The open questions show it too, instead of their buttons.
    expect(textOf(messagesIn(fixture.bot.fake, thread)[0]!)).toMatch(/Cancelled by <@\d+>/);
  });

  it("a double click approves once; the second click is told it was already approved", async () => {
    const { productionId, review } = await atScriptReview();
    const first = fixture.bot.fake.click(buttonId(review, "Approve"), { message: review });
    const second = fixture.bot.fake.click(buttonId(review, "Approve"), { message: review });
    await Promise.all([fixture.bot.fake.callbackOf(first), fixture.bot.fake.callbackOf(second)]);
    await fixture.bot.settle();
    const approvals = (await fixture.bot.service.events(productionId)).filter(
      (e) => e.type === "approved" && e.payload.stage === "script_review",
    );
    expect(approvals).toHaveLength(1);
    const told = fixture.bot.fake.calls.filter(
      (c) => c.body?.flags === 64 && (c.path.includes(first.token) || c.path.includes(second.token)),
    );
    expect(told).toHaveLength(1);
    expect(JSON.stringify(told[0]!.body.embeds)).toMatch(/Already approved/);
  });

  it("a redelivered interaction is handled once", async () => {
    const { productionId, review } = await atScriptReview();
    const sent = fixture.bot.fake.click(buttonId(review, "Approve"), { message: review });
    await fixture.bot.fake.callbackOf(sent);
    fixture.bot.fake.redeliver(sent);
    await fixture.bot.settle();
    expect(fixture.bot.fake.calls.filter((c) => c.path.startsWith(`/interactions/${sent.id}/`))).toHaveLength(
      1,
    );
    const events = await fixture.bot.service.events(productionId);
    expect(events.filter((e) => e.type === "approved")).toHaveLength(1);
  });
});

describe("Discord: late interactions", () => {
  it("falls back to posting in the thread with the bot token when the interaction token is rejected", async () => {
    const { thread, productionId } = await startProduction();
    await clickAndSettle(withButton(fixture.bot.fake, thread, "Skip — use defaults"), "Skip — use defaults");
    const review = withButton(fixture.bot.fake, thread, "Approve");
    fixture.bot.fake.expireTokens();
    const before = fixture.bot.fake.calls.length;
    await clickAndSettle(review, "Approve");
    expect((await fixture.bot.service.get(productionId)).stage).toBe("shots_review");
    const later = fixture.bot.fake.calls.slice(before);
    // The follow-up was tried, refused (401), and the shot list still reached the thread.
    expect(later.some((c) => c.path.startsWith("/webhooks/") && c.status === 401)).toBe(true);
    const posted = later.filter(
      (c) => c.method === "POST" && c.path === `/channels/${thread}/messages` && c.status === 200,
    );
    expect(posted.map((c) => JSON.stringify(c.body)).join("")).toContain("Shot list");
    expect(withButton(fixture.bot.fake, thread, "Approve").via).toBe("channel");
  });

  it("does not even try a token older than 15 minutes", async () => {
    const { thread } = await startProduction();
    await clickAndSettle(withButton(fixture.bot.fake, thread, "Skip — use defaults"), "Skip — use defaults");
    const review = withButton(fixture.bot.fake, thread, "Approve");
    const sent = fixture.bot.fake.click(buttonId(review, "Approve"), { message: review });
    await fixture.bot.fake.callbackOf(sent);
    fixture.bot.clock.offsetMs = 16 * 60 * 1000;
    await fixture.bot.settle();
    const webhookPosts = fixture.bot.fake.calls.filter(
      (c) => c.method === "POST" && c.path === `/webhooks/${fixture.bot.fake.applicationId}/${sent.token}`,
    );
    // Shots were generated after the token had (by the bot's clock) expired: posted with the bot token.
    expect(webhookPosts).toHaveLength(0);
    expect(withButton(fixture.bot.fake, thread, "Approve").via).toBe("channel");
  });
});

describe("Discord: invalid briefs", () => {
  it("names the fields privately and reopens the form pre-filled with what was typed", async () => {
    fixture.bot.fake.slash("vrd", { duration: 30, platform: "tiktok" });
    const submit = fixture.bot.fake.submitModal("gl1:vf", { title: "Only a title", key_messages: "One" });
    const reply = await fixture.bot.fake.callbackOf(submit);
    expect(reply.body.type).toBe(4);
    expect(reply.body.data.flags).toBe(64);
    expect(reply.body.data.content).toContain("**Objective**");
    const fix = reply.body.data.components[0].components[0];
    expect(fix.label).toBe("Fix and resend");
    expect(await fixture.bot.service.list({ platform: "discord" })).toHaveLength(0);

    const ephemeral = [...fixture.bot.fake.messages.values()].find((m) => m.ephemeral)!;
    const reopen = fixture.bot.fake.click(fix.custom_id, { message: ephemeral });
    const modal = await fixture.bot.fake.callbackOf(reopen);
    expect(modal.body.type).toBe(9);
    const inputs = modal.body.data.components.map((r: Json) => r.components[0]);
    expect(inputs.find((i: Json) => i.custom_id === "title").value).toBe("Only a title");
    expect(inputs.find((i: Json) => i.custom_id === "key_messages").value).toBe("One");

    // Resent with the objective: the /vrd options were kept, the production starts.
    const resend = fixture.bot.fake.submitModal("gl1:vf", {
      title: "Only a title",
      key_messages: "One",
      objective: "Sales",
    });
    expect((await fixture.bot.fake.callbackOf(resend)).body.type).toBe(5);
    await fixture.bot.settle();
    const [production] = await fixture.bot.service.list({ platform: "discord" });
    expect(production!.vrd).toMatchObject({ duration_seconds: 30, platform: "tiktok", objective: "Sales" });
  });
});
