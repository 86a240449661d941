import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { prepareDatabase } from "../../../src/db/prepare.js";
import { useTestDb } from "../../support/db.js";
import {
  blockText,
  buttons,
  CHANNEL,
  clickBody,
  eventBody,
  type Harness,
  interaction,
  lastPost,
  OWNER,
  postSigned,
  STRANGER,
  slash,
  startHarness,
  submissionBody,
} from "./harness.js";

const db = useTestDb();
let h: Harness;
beforeEach(async () => {
  h = await startHarness(db());
});
afterEach(async () => {
  await h.close();
});

const BRIEF = {
  title: "Ember & Oak — never run out",
  objective: "Sign-ups for a coffee subscription",
  duration_seconds: "30",
  platform: { option: "instagram_reels" },
  key_messages: "Roasted to order, shipped within 48 hours\nPause or skip anytime\nFirst bag free",
  call_to_action: "Start your free bag at emberoak.example",
};

async function click(label: string, message: RegExp, user = OWNER) {
  const post = lastPost(h.slack, message);
  const ts = h.slack.postTs[h.slack.callsTo("chat.postMessage").indexOf(post!)]!;
  const id = buttons(post!.args.blocks).get(label);
  expect(id, `button ${label}`).toBeDefined();
  const res = await interaction(h, clickBody(id!, { ts, thread_ts: post!.args.thread_ts }, user));
  expect(res.status).toBe(200);
  await h.settle();
  return { id: id!, ts, thread: post!.args.thread_ts as string };
}

describe("the Slack bot over signed HTTP", () => {
  it("takes a brief from /vrd to an approved plan, everything after the root message in its thread", async () => {
    await prepareDatabase(db()); // the tool stack the plan is made from
    const opened = await slash(h, "/vrd", "");
    expect(opened.status).toBe(200);
    expect(opened.ms).toBeLessThan(3000);
    await h.bot.idle();
    const open = h.slack.callsTo("views.open")[0]!;
    expect(open.args.trigger_id).toBeTruthy();
    expect(open.args.view.blocks.map((b: { block_id: string }) => b.block_id)).toEqual(
      expect.arrayContaining([
        "title",
        "objective",
        "duration_seconds",
        "platform",
        "key_messages",
        "deadline",
      ]),
    );

    await interaction(h, submissionBody(open.args.view, BRIEF));
    await h.settle();
    const posts = h.slack.callsTo("chat.postMessage");
    const root = posts[0]!;
    expect(root.args.channel).toBe(CHANNEL);
    expect(root.args.thread_ts).toBeUndefined();
    const rootText = blockText(root.args.blocks);
    expect(rootText).toContain("Ember &amp; Oak — never run out");
    expect(rootText).toContain("30 s");
    expect(rootText).toContain("Instagram Reels");
    expect(rootText).toContain(`<@${OWNER}>`);
    const thread = h.slack.postTs[0]!;

    // Questions in the thread, with Skip.
    const questions = lastPost(h.slack, /questions before the script/);
    expect(questions?.args.thread_ts).toBe(thread);
    await click("Skip — use defaults", /questions before the script/);

    // Script: progress message, then the script with Approve / Revise / Download JSON.
    const script = lastPost(h.slack, /Script v1/);
    expect(script?.args.thread_ts).toBe(thread);
    expect([...buttons(script!.args.blocks).keys()]).toEqual(["Approve", "Revise", "Download JSON"]);
    const progress = h.slack
      .callsTo("chat.postMessage")
      .filter((c) => /ScriptSmith/.test(String(c.args.text)));
    expect(progress).toHaveLength(1);
    const progressTs = h.slack.postTs[h.slack.callsTo("chat.postMessage").indexOf(progress[0]!)];
    const progressUpdates = h.slack.callsTo("chat.update").filter((c) => c.args.ts === progressTs);
    expect(blockText(progressUpdates.at(-1)?.args.blocks)).toMatch(/Script ready/);

    const approved = await click("Approve", /Script v1/);
    const resolved = h.slack.callsTo("chat.update").findLast((c) => c.args.ts === approved.ts);
    expect(buttons(resolved?.args.blocks).size).toBe(0);
    expect(blockText(resolved?.args.blocks)).toMatch(/Approved by <@U0OWNER01> at/);

    await click("Approve", /Shot list v1/);
    const plan = lastPost(h.slack, /Production plan v1/);
    expect(plan?.args.thread_ts).toBe(thread);
    await click("Approve", /Production plan v1/);

    const p = (await h.service.list({ platform: "slack" }))[0]!;
    expect(p.stage).toBe("approved");
    // Every message but the root went to the thread.
    for (const post of h.slack.callsTo("chat.postMessage").slice(1)) expect(post.args.thread_ts).toBe(thread);
    // The root card says where the production stands.
    const rootNow = h.slack.callsTo("chat.update").findLast((c) => c.args.ts === thread);
    expect(blockText(rootNow?.args.blocks)).toContain("Approved");
  });

  it("shows invalid modal fields inline and keeps the production unstarted", async () => {
    const res = await interaction(
      h,
      submissionBody({ callback_id: "gl1:vf", private_metadata: JSON.stringify({ channel: CHANNEL }) }, {
        ...BRIEF,
        duration_seconds: "3 hours",
      } as Parameters<typeof submissionBody>[1]),
    );
    expect(res.status).toBe(200);
    const body = JSON.parse(res.body);
    expect(body.response_action).toBe("errors");
    expect(Object.keys(body.errors)).toEqual(["duration_seconds"]);
    await h.settle();
    expect(await h.service.list()).toHaveLength(0);
  });

  it("refuses a bad signature and a stale timestamp with 401", async () => {
    expect((await slash(h, "/vrd", "", OWNER, { secret: "wrong" })).status).toBe(401);
    const stale = Math.floor(Date.now() / 1000) - 6 * 60;
    expect((await slash(h, "/vrd", "", OWNER, { timestamp: stale })).status).toBe(401);
    await h.bot.idle();
    expect(h.slack.callsTo("views.open")).toHaveLength(0);
  });

  it("handles a retried event once", async () => {
    await slash(
      h,
      "/vrd",
      [
        "title: Retry reel",
        "objective: Sign-ups",
        "duration_seconds: 15",
        "platform: tiktok",
        "audience: students",
        "key_messages: [Fast]",
      ].join("\n"),
    );
    await h.settle();
    const home = eventBody({ type: "app_home_opened", user: OWNER, channel: "D1", tab: "home" }, "Ev0001");
    const first = await postSigned(h, home, "application/json");
    const retry = await postSigned(h, home, "application/json", {
      headers: { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" },
    });
    expect([first.status, retry.status]).toEqual([200, 200]);
    await h.bot.idle();
    const published = h.slack.callsTo("views.publish");
    expect(published).toHaveLength(1);
    const text = blockText(published[0]!.args.view.blocks);
    expect(text).toContain("Retry reel");
    expect(text).toMatch(/https:\/\/greenlight-test\.slack\.com\/archives\/C0CHANNEL1\/p\d+/);
  });

  it("applies a double Approve once and tells the second click who approved", async () => {
    await slash(
      h,
      "/vrd",
      [
        "title: Double click",
        "objective: Sign-ups",
        "duration_seconds: 15",
        "platform: tiktok",
        "audience: students",
        "call_to_action: Join now",
        "key_messages: [Fast]",
      ].join("\n"),
    );
    await h.settle();
    if (lastPost(h.slack, /questions before the script/)) await click("Skip — use defaults", /questions/);
    const script = lastPost(h.slack, /Script v1/)!;
    const ts = h.slack.postTs[h.slack.callsTo("chat.postMessage").indexOf(script)]!;
    const approve = buttons(script.args.blocks).get("Approve")!;
    const [a, b] = await Promise.all([
      interaction(h, clickBody(approve, { ts, thread_ts: script.args.thread_ts })),
      interaction(h, clickBody(approve, { ts, thread_ts: script.args.thread_ts })),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await h.settle();
    const events = await h.service.events((await h.service.list())[0]!.id);
    expect(events.filter((e) => e.type === "approved")).toHaveLength(1);
    const ephemeral = h.slack.callsTo("chat.postEphemeral");
    expect(ephemeral).toHaveLength(1);
    expect(blockText(ephemeral[0]!.args.blocks)).toMatch(/Already approved by Ana/);
    expect(ephemeral[0]!.args.user).toBe(OWNER);
  });

  it("refuses a stranger's Approve with an ephemeral explanation", async () => {
    await slash(
      h,
      "/vrd",
      "title: Mine\nobjective: Sign-ups\nduration_seconds: 15\nplatform: tiktok\naudience: students\ncall_to_action: Join\nkey_messages: [Fast]",
    );
    await h.settle();
    if (lastPost(h.slack, /questions before the script/)) await click("Skip — use defaults", /questions/);
    await click("Approve", /Script v1/, STRANGER);
    const refusal = h.slack.callsTo("chat.postEphemeral").at(-1)!;
    expect(refusal.args.user).toBe(STRANGER);
    expect(refusal.args.thread_ts).toBeTruthy();
    expect(blockText(refusal.args.blocks)).toContain(`Only <@${OWNER}>`);
    expect((await h.service.list())[0]!.stage).toBe("script_review");
  });

  it("cancels from the root card: a stranger is refused, the owner's click says who cancelled", async () => {
    await slash(
      h,
      "/vrd",
      "title: Cancel me\nobjective: Sign-ups\nduration_seconds: 15\nplatform: tiktok\nkey_messages: [Fast]",
    );
    await h.settle();
    const p = (await h.service.list())[0]!;
    await click("Cancel production", /New video production/, STRANGER);
    expect(blockText(h.slack.callsTo("chat.postEphemeral").at(-1)!.args.blocks)).toContain(
      `Only <@${OWNER}>`,
    );
    expect((await h.service.get(p.id)).stage).toBe("clarifying");

    const { ts } = await click("Cancel production", /New video production/);
    expect((await h.service.get(p.id)).stage).toBe("cancelled");
    const root = h.slack.callsTo("chat.update").findLast((c) => c.args.ts === ts);
    expect(buttons(root?.args.blocks).size).toBe(0);
    expect(blockText(root?.args.blocks)).toMatch(/Cancelled by <@U0OWNER01> at/);
  });

  it("answers /vrd with invalid YAML by listing the fields, with a button to the pre-filled form", async () => {
    await slash(h, "/vrd", "title: Half a brief\nduration_seconds: 3000\nplatform: tiktok");
    await h.settle();
    const reply = h.slack.callsTo("chat.postEphemeral").at(-1)!;
    const text = blockText(reply.args.blocks);
    expect(text).toContain("objective");
    expect(text).toContain("duration_seconds");
    expect(text).toContain("key_messages");
    const open = buttons(reply.args.blocks).get("Open the form")!;
    await interaction(h, clickBody(open, { ts: "1.000001" }));
    await h.settle();
    const modal = h.slack.callsTo("views.open").at(-1)!;
    const title = modal.args.view.blocks.find((b: { block_id: string }) => b.block_id === "title");
    expect(title.element.initial_value).toBe("Half a brief");
    expect(await h.service.list()).toHaveLength(0);
  });

  it("echoes a brief with <!channel> and <@U1> inert", async () => {
    await slash(
      h,
      "/vrd",
      'title: "<!channel> launch <@U123ABC> *now*"\nobjective: "<!here> tell everyone"\nduration_seconds: 15\nplatform: tiktok\nkey_messages: [Fast]',
    );
    await h.settle();
    const root = h.slack.callsTo("chat.postMessage")[0]!;
    const all = `${root.args.text}\n${blockText(root.args.blocks)}`;
    expect(all).not.toContain("<!channel>");
    expect(all).not.toContain("<!here>");
    expect(all).not.toContain("<@U123ABC>");
    expect(all).toContain("&lt;!channel&gt;");
  });

  it("uploads the script as a JSON file in the thread on Download JSON", async () => {
    await slash(
      h,
      "/vrd",
      "title: Download me\nobjective: Sign-ups\nduration_seconds: 15\nplatform: tiktok\naudience: students\ncall_to_action: Join\nkey_messages: [Fast]",
    );
    await h.settle();
    if (lastPost(h.slack, /questions before the script/)) await click("Skip — use defaults", /questions/);
    const { thread } = await click("Download JSON", /Script v1/);
    const url = h.slack.callsTo("files.getUploadURLExternal")[0]!;
    expect(url.args.filename).toMatch(/-script-v1\.json$/);
    const complete = h.slack.callsTo("files.completeUploadExternal")[0]!;
    expect(complete.args.channel_id).toBe(CHANNEL);
    expect(complete.args.thread_ts).toBe(thread);
    const uploaded = [...h.slack.uploads.values()][0]!;
    expect(uploaded).toContain('"beats"');
  });

  it("takes a free-text answer typed as a reply in the thread", async () => {
    await slash(
      h,
      "/vrd",
      "title: Reply reel\nobjective: Sign-ups\nduration_seconds: 15\nplatform: tiktok\nkey_messages: [Fast]",
    );
    await h.settle();
    const p = (await h.service.list())[0]!;
    expect(p.stage).toBe("clarifying");
    const thread = h.slack.postTs[0]!;
    const free = p.questions.find((q) => q.options.length === 0) ?? p.questions[0]!;
    await postSigned(
      h,
      eventBody(
        {
          type: "message",
          user: OWNER,
          text: "Night-shift nurses",
          channel: CHANNEL,
          ts: "1.000009",
          thread_ts: thread,
          channel_type: "channel",
        },
        "EvReply1",
      ),
      "application/json",
    );
    await h.settle();
    const after = await h.service.get(p.id);
    expect(after.answers[free.id]).toBeDefined();
    expect(after.answers[free.id]).not.toBe("default");
  });
});
