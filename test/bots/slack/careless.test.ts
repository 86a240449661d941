/**
 * The Slack bot used the way Slack, other bots and a careless user do: retried and racing clicks,
 * stale buttons, junk in every field, failing stages, a Web API that says no, and a restart halfway.
 * Every message the fake Slack received is checked against Slack's limits after each test.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { StructuredLlm } from "../../../src/agents/llm.js";
import { vrdForm } from "../../../src/bots/core/forms.js";
import { prepareDatabase } from "../../../src/db/prepare.js";
import { UpstreamError } from "../../../src/domain/errors.js";
import { FAKE_BOT, type FakeSlack } from "../../fakes/slack.js";
import { useTestDb } from "../../support/db.js";
import {
  blockText,
  buttons,
  CHANNEL,
  clickBody,
  eventBody,
  type Harness,
  type HarnessOptions,
  interaction,
  lastPost,
  OWNER,
  postSigned,
  slash,
  startHarness,
  submissionBody,
} from "./harness.js";
import { expectWithinSlackLimits } from "./limits-check.js";

const db = useTestDb();
let h: Harness;
/** A fake Slack that outlived its first harness (restart tests). */
let sharedSlack: FakeSlack | undefined;
const ADMIN = "U0ADMIN001";

async function start(options: HarnessOptions = {}) {
  h = await startHarness(db(), options);
  h.slack.users.set(ADMIN, { display_name: "Boss", is_admin: true });
  return h;
}

beforeEach(async () => {
  await start();
});
afterEach(async () => {
  // Whatever happened, nothing the bot sent broke Slack's limits.
  for (const c of h.slack.calls)
    if (/^chat\.(postMessage|update|postEphemeral)$/.test(c.method) && c.args.blocks)
      expectWithinSlackLimits({ text: String(c.args.text), blocks: c.args.blocks });
  await h.close();
  await sharedSlack?.close();
  sharedSlack = undefined;
});

const BRIEF_YAML = [
  "title: Careless reel",
  "objective: Sign-ups",
  "duration_seconds: 15",
  "platform: tiktok",
  "audience: students",
  "call_to_action: Join now",
  "key_messages: [Fast]",
].join("\n");

const metadata = JSON.stringify({ channel: CHANNEL });

/** The ts of a recorded chat.postMessage. */
const tsOf = (post: ReturnType<typeof lastPost>) =>
  h.slack.postTs[h.slack.callsTo("chat.postMessage").indexOf(post!)]!;

async function clickOn(label: string, message: RegExp, user = OWNER) {
  const post = lastPost(h.slack, message);
  expect(post, `a message matching ${message}`).toBeDefined();
  const id = buttons(post!.args.blocks).get(label);
  expect(id, `button ${label}`).toBeDefined();
  const body = clickBody(id!, { ts: tsOf(post), thread_ts: post!.args.thread_ts }, user);
  const res = await interaction(h, body);
  expect(res.status).toBe(200);
  await h.settle();
  return body;
}

/** A production at script review (questions skipped). */
async function toScriptReview() {
  await slash(h, "/vrd", BRIEF_YAML);
  await h.settle();
  if (lastPost(h.slack, /questions before the script/)) await clickOn("Skip — use defaults", /questions/);
  const p = (await h.service.list())[0]!;
  expect(p.stage).toBe("script_review");
  return p;
}

const ephemerals = () => h.slack.callsTo("chat.postEphemeral");
const lastEphemeralText = () => blockText(ephemerals().at(-1)?.args.blocks);

describe("clicks", () => {
  it("the same block_actions delivered twice is handled once", async () => {
    const p = await toScriptReview();
    const script = lastPost(h.slack, /Script v1/)!;
    const body = clickBody(buttons(script.args.blocks).get("Approve")!, {
      ts: tsOf(script),
      thread_ts: script.args.thread_ts,
    });
    await interaction(h, body);
    await interaction(h, body, {
      headers: { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" },
    });
    await h.settle();
    const events = await h.service.events(p.id);
    expect(events.filter((e) => e.type === "approved")).toHaveLength(1);
    expect(ephemerals()).toHaveLength(0); // the retry is not a second click: nothing to tell
  });

  it("a double click on Download JSON uploads one file", async () => {
    await toScriptReview();
    await clickOn("Download JSON", /Script v1/);
    await clickOn("Download JSON", /Script v1/);
    expect(h.slack.callsTo("files.completeUploadExternal")).toHaveLength(1);
    expect(h.slack.uploads.size).toBe(1);
  });

  it("two people approving at the same moment: one transition, the other told who won", async () => {
    const p = await toScriptReview();
    const script = lastPost(h.slack, /Script v1/)!;
    const approve = buttons(script.args.blocks).get("Approve")!;
    const at = { ts: tsOf(script), thread_ts: script.args.thread_ts };
    await Promise.all([
      interaction(h, clickBody(approve, at, OWNER)),
      interaction(h, clickBody(approve, at, ADMIN)),
    ]);
    await h.settle();
    const events = await h.service.events(p.id);
    expect(events.filter((e) => e.type === "approved")).toHaveLength(1);
    expect(ephemerals()).toHaveLength(1);
    expect(lastEphemeralText()).toMatch(/Already approved by (Ana|Boss)/);
  });

  it("a click on the previous version after a revision is refused and changes nothing", async () => {
    const p = await toScriptReview();
    const old = lastPost(h.slack, /Script v1/)!;
    const oldApprove = buttons(old.args.blocks).get("Approve")!;
    // Revise → v2.
    await clickOn("Revise", /Script v1/);
    const modal = h.slack.callsTo("views.open").at(-1)!;
    await interaction(h, submissionBody(modal.args.view, { feedback: "Make the hook punchier" }));
    await h.settle();
    expect(lastPost(h.slack, /Script v2/)).toBeDefined();
    const before = await h.service.get(p.id);
    await interaction(h, clickBody(oldApprove, { ts: tsOf(old), thread_ts: old.args.thread_ts }));
    await h.settle();
    const after = await h.service.get(p.id);
    expect(after.stage).toBe("script_review");
    expect(after.version).toBe(before.version);
    expect(lastEphemeralText()).toMatch(/Already handled|newer|changed/i);
  });

  it("Approve on the script after the shots were approved is refused", async () => {
    await prepareDatabase(db()); // the tool stack the plan is made from
    const p = await toScriptReview();
    const script = lastPost(h.slack, /Script v1/)!;
    const approve = buttons(script.args.blocks).get("Approve")!;
    await clickOn("Approve", /Script v1/);
    await clickOn("Approve", /Shot list v1/);
    expect((await h.service.get(p.id)).stage).toBe("plan_review");
    await interaction(h, clickBody(approve, { ts: tsOf(script), thread_ts: script.args.thread_ts }));
    await h.settle();
    expect((await h.service.get(p.id)).stage).toBe("plan_review");
    expect(lastEphemeralText()).toMatch(/Already (handled|approved)/);
  });
});

describe("the brief form", () => {
  const submit = (values: Parameters<typeof submissionBody>[1]) =>
    interaction(h, submissionBody({ callback_id: "gl1:vf", private_metadata: metadata }, values));
  const validIds = () => new Set(vrdForm("slack").fields.map((f) => f.id));

  it.each([
    ["every field blank", {}],
    [
      "a 20-line key messages field",
      { key_messages: Array.from({ length: 20 }, (_, i) => `Message ${i}`).join("\n") },
    ],
    ['duration "abc"', { duration_seconds: "abc" }],
    ["a 4,000-character objective", { objective: "x".repeat(4000) }],
  ])("%s → inline errors on fields the modal has, nothing started", async (_name, override) => {
    const base =
      Object.keys(override).length === 0
        ? {}
        : {
            title: "Reel",
            objective: "Sign-ups",
            duration_seconds: "30",
            platform: { option: "tiktok" },
            key_messages: "Fast",
          };
    const res = await submit({ ...base, ...override } as Parameters<typeof submissionBody>[1]);
    expect(res.status).toBe(200);
    const body = JSON.parse(res.body);
    expect(body.response_action).toBe("errors");
    const ids = validIds();
    for (const [field, message] of Object.entries(body.errors as Record<string, string>)) {
      expect(ids.has(field), `error on block ${field}`).toBe(true);
      expect(message.length).toBeGreaterThan(0);
    }
    await h.settle();
    expect(await h.service.list()).toHaveLength(0);
  });
});

describe("/vrd text", () => {
  it("YAML for a list is answered with what a brief needs, nothing started", async () => {
    await slash(h, "/vrd", "- one\n- two\n- three");
    await h.settle();
    expect(await h.service.list()).toHaveLength(0);
    expect(ephemerals()).toHaveLength(1);
    expect(lastEphemeralText()).toMatch(/object/); // not a crash, not a field-by-field list of a list
    expect(buttons(ephemerals()[0]!.args.blocks).has("Open the form")).toBe(true);
  });

  it("a pasted brief with <!here> and a disguised link pings nobody and links nowhere", async () => {
    await slash(
      h,
      "/vrd",
      [
        'title: "<!here> big launch"',
        'objective: "See <https://evil.example|click> for details"',
        "duration_seconds: 15",
        "platform: tiktok",
        'key_messages: ["<!here> <https://evil.example|click>"]',
        'call_to_action: "<https://evil.example|click>"',
      ].join("\n"),
    );
    await h.settle();
    const sent = h.slack.calls
      .filter((c) => /^chat\.(postMessage|update)$/.test(c.method))
      .map((c) => `${c.args.text}\n${blockText(c.args.blocks)}`)
      .join("\n");
    expect(sent.length).toBeGreaterThan(0);
    expect(sent).not.toContain("<!here>");
    expect(sent).not.toContain("<https://evil.example|");
    expect(sent).toContain("&lt;!here&gt;");
  });
});

describe("/vrd as Slack delivers it", () => {
  it("/vrd help answers with an example brief and the form button, nothing started", async () => {
    for (const text of ["help", " HELP ", "?"]) await slash(h, "/vrd", text);
    await h.settle();
    expect(await h.service.list()).toHaveLength(0);
    expect(ephemerals()).toHaveLength(3);
    for (const e of ephemerals()) {
      const text = blockText(e.args.blocks);
      expect(text).toContain("duration_seconds: 30");
      expect(text).not.toMatch(/needs fixing/);
      expect(buttons(e.args.blocks).has("Open the form")).toBe(true);
    }
  });

  it("the example brief /vrd help shows starts a production when pasted back", async () => {
    await slash(h, "/vrd", "help");
    await h.settle();
    const example = blockText(ephemerals()[0]!.args.blocks).split("```")[1]!;
    const brief = example
      .split("\n")
      .filter((l) => l && !/^(\/vrd|-+)$/.test(l))
      .join("\n");
    await slash(h, "/vrd", brief.replaceAll("&amp;", "&"));
    await h.settle();
    expect((await h.service.list()).map((p) => p.vrd.title)).toEqual(["Ember & Oak — never run out"]);
  });

  it("decodes the &amp; &lt; &gt; Slack sends in command text: a title keeps its &, a YAML > still folds", async () => {
    await slash(
      h,
      "/vrd",
      [
        "title: Cats &amp; dogs &lt;3",
        "objective: &gt;",
        "  Sign-ups from people",
        "  who love pets",
        "duration_seconds: 15",
        "platform: tiktok",
        "key_messages: [Fast &amp; fun]",
      ].join("\n"),
    );
    await h.settle();
    const [p] = await h.service.list();
    expect(p?.vrd.title).toBe("Cats & dogs <3");
    expect(p?.vrd.objective).toBe("Sign-ups from people who love pets");
    const root = h.slack.callsTo("chat.postMessage")[0]!;
    expect(root.args.text).toContain("Cats &amp; dogs &lt;3");
    expect(root.args.text).not.toContain("&amp;amp;");
  });

  it("a failed paste longer than the form's boxes opens a form Slack accepts, with what was pasted", async () => {
    const title = `Launch ${"x".repeat(393)}`;
    await slash(h, "/vrd", `title: ${title}\nkey_messages: ["${"k".repeat(3500)}"]`);
    await h.settle();
    const open = buttons(ephemerals()[0]!.args.blocks).get("Open the form")!;
    await interaction(h, clickBody(open, { ts: "1.000001" }));
    await h.settle();
    const modal = h.slack.callsTo("views.open").at(-1)!;
    const block = (id: string) => modal.args.view.blocks.find((b: { block_id: string }) => b.block_id === id);
    expect(block("title").element.initial_value).toBe(title);
    // More than a Slack text box holds is cut, and the box says so.
    expect(block("key_messages").element.initial_value).toHaveLength(3000);
    expect(block("key_messages").hint.text).toMatch(/Shortened: only the first 3000 of 3500/);
    // Submitted as it is, the form says what is too long instead of losing it.
    const res = await interaction(
      h,
      submissionBody(
        { callback_id: modal.args.view.callback_id, private_metadata: modal.args.view.private_metadata },
        {
          title,
          objective: "x",
          duration_seconds: "15",
          platform: { option: "tiktok" },
          key_messages: "Fast",
        },
      ),
    );
    expect(JSON.parse(res.body).errors.title).toMatch(/150/);
  });

  it("a NUL character in the form is shown on its field, the modal kept open", async () => {
    const res = await interaction(
      h,
      submissionBody(
        { callback_id: "gl1:vf", private_metadata: metadata },
        {
          title: "Bad\u0000title",
          objective: "Sign-ups",
          duration_seconds: "15",
          platform: { option: "tiktok" },
          key_messages: "Fast",
        },
      ),
    );
    const body = JSON.parse(res.body);
    expect(body.response_action).toBe("errors");
    expect(body.errors.title).toMatch(/NUL/);
    await h.settle();
    expect(await h.service.list()).toHaveLength(0);
  });
});

describe("/toolstack", () => {
  it.each([
    ["", /\/toolstack search/],
    ["frobnicate", /\/toolstack search/],
    ["subscribe nonsense-topic", /nonsense-topic|topic/i],
  ])("/toolstack %s answers the caller privately", async (text, expected) => {
    await slash(h, "/toolstack", text);
    await h.settle();
    expect(ephemerals()).toHaveLength(1);
    expect(ephemerals()[0]!.args.user).toBe(OWNER);
    expect(lastEphemeralText()).toMatch(expected);
  });

  it("subscribe nonsense-topic does not subscribe the channel to everything", async () => {
    await slash(h, "/toolstack", "subscribe nonsense-topic");
    await h.settle();
    const { rows } = await db().query("SELECT * FROM subscriptions");
    expect(rows).toHaveLength(0);
  });
});

describe("thread messages", () => {
  async function reply(event: Record<string, unknown>, id: string) {
    const res = await postSigned(
      h,
      eventBody({ type: "message", channel: CHANNEL, channel_type: "channel", ...event }, id),
      "application/json",
    );
    expect(res.status).toBe(200);
    await h.settle();
  }

  it("ignores the bot itself, other bots, edits and deletions, and threads that are not productions", async () => {
    await slash(h, "/vrd", BRIEF_YAML);
    await h.settle();
    const p = (await h.service.list())[0]!;
    expect(p.stage).toBe("clarifying");
    const thread = h.slack.postTs[0]!;
    await reply(
      {
        user: FAKE_BOT.user_id,
        bot_id: FAKE_BOT.bot_id,
        text: "Answer from me",
        ts: "2.000001",
        thread_ts: thread,
      },
      "EvB1",
    );
    await reply(
      {
        subtype: "bot_message",
        bot_id: "B0OTHER",
        username: "other",
        text: "Answer from a bot",
        ts: "2.000002",
        thread_ts: thread,
      },
      "EvB2",
    );
    await reply(
      { user: "U0OTHERBOT", bot_id: "B0OTHER", text: "Bot with a user", ts: "2.000003", thread_ts: thread },
      "EvB3",
    );
    await reply(
      {
        subtype: "message_changed",
        hidden: true,
        ts: "2.000004",
        message: { type: "message", user: OWNER, text: "edited", ts: "2.000005", thread_ts: thread },
        previous_message: { type: "message", user: OWNER, text: "before", ts: "2.000005", thread_ts: thread },
      },
      "EvB4",
    );
    await reply(
      {
        subtype: "message_deleted",
        hidden: true,
        ts: "2.000006",
        deleted_ts: "2.000005",
        previous_message: { type: "message", user: OWNER, text: "x", ts: "2.000005", thread_ts: thread },
      },
      "EvB5",
    );
    await reply({ user: OWNER, text: "Unrelated thread", ts: "2.000007", thread_ts: "1.999999" }, "EvB6");
    const after = await h.service.get(p.id);
    expect(after.answers).toEqual(p.answers);
    expect(after.version).toBe(p.version);
    expect(ephemerals()).toHaveLength(0);
  });

  it("reads a reply as typed: entities decoded, links and mentions as their text, pinging nobody", async () => {
    await slash(h, "/vrd", BRIEF_YAML);
    await h.settle();
    const p = (await h.service.get((await h.service.list())[0]!.id))!;
    const free = p.questions.find((q) => q.options.length === 0) ?? p.questions[0]!;
    // What Slack sends for `Nurses & doctors, see x.example <!here>` typed in the thread.
    await reply(
      {
        user: OWNER,
        text: "Nurses &amp; doctors &lt;3, see <https://x.example|x.example> <!here> <@U0OWNER01>",
        ts: "2.000010",
        thread_ts: h.slack.postTs[0]!,
      },
      "EvTyped1",
    );
    const after = await h.service.get(p.id);
    expect(after.answers[free.id]).toBe("Nurses & doctors <3, see x.example @here @U0OWNER01");
    const shown = h.slack
      .callsTo("chat.update")
      .flatMap((c) => blockText(c.args.blocks).split("\n"))
      .filter((l) => l.includes("Nurses"));
    expect(shown.length).toBeGreaterThan(0);
    for (const l of shown) {
      expect(l).toContain("Nurses &amp; doctors &lt;3, see x.example");
      expect(l).not.toMatch(/<!here>|<@U0OWNER01>|<https:/);
      expect(l).not.toMatch(/@here/); // a bare @here is broken up too
    }
  });

  it('takes a reply sent with "Also send to channel" (thread_broadcast) as an answer', async () => {
    await slash(h, "/vrd", BRIEF_YAML);
    await h.settle();
    const p = (await h.service.list())[0]!;
    await reply(
      {
        user: OWNER,
        subtype: "thread_broadcast",
        text: "Night nurses",
        ts: "2.000011",
        thread_ts: h.slack.postTs[0]!,
        root: { ts: h.slack.postTs[0]! },
      },
      "EvBroadcast1",
    );
    const after = await h.service.get(p.id);
    expect(Object.values(after.answers)).toContain("Night nurses");
  });
});

describe("failures", () => {
  it("a failed LLM stage is told in the thread with Retry, and Retry runs the stage again", async () => {
    await h.close();
    let calls = 0;
    const down: StructuredLlm = {
      model: "down",
      generate: async () => {
        calls += 1;
        throw new UpstreamError("the model timed out", "OpenAI");
      },
    };
    await start({ llm: down });
    await slash(h, "/vrd", BRIEF_YAML);
    await h.settle();
    if (lastPost(h.slack, /questions before the script/)) await clickOn("Skip — use defaults", /questions/);
    const p = (await h.service.list())[0]!;
    expect(p.stage).toBe("failed");
    const thread = h.slack.postTs[0]!;
    // The progress message now says what failed, with Retry, in the thread.
    const progress = lastPost(h.slack, /ScriptSmith/)!;
    expect(progress.args.thread_ts).toBe(thread);
    const failed = h.slack.callsTo("chat.update").findLast((c) => c.args.ts === tsOf(progress))!;
    expect(blockText(failed.args.blocks)).toMatch(/OpenAI|model timed out/);
    const retry = buttons(failed.args.blocks).get("Retry");
    expect(retry).toBeDefined();
    const before = calls;
    await interaction(h, clickBody(retry!, { ts: tsOf(progress), thread_ts: thread }));
    await h.settle();
    expect(calls).toBeGreaterThan(before); // the stage ran again
    const events = await h.service.events(p.id);
    expect(events.filter((e) => e.type === "retried")).toHaveLength(1);
    // The old failure says who retried; the new attempt has its own progress message.
    const redrawn = h.slack.callsTo("chat.update").filter((c) => c.args.ts === tsOf(progress));
    expect(redrawn.some((c) => /Retried by/.test(blockText(c.args.blocks)))).toBe(true);
    expect(
      h.slack.callsTo("chat.postMessage").filter((c) => /ScriptSmith/.test(String(c.args.text))),
    ).toHaveLength(2);
  });

  it("a channel the bot is not in: the owner hears it by DM, and Post it now posts the production there", async () => {
    h.slack.refuseChannel(CHANNEL, "not_in_channel");
    await slash(h, "/vrd", BRIEF_YAML);
    await h.settle();
    const [p] = await h.service.list();
    expect(p?.stage).toBe("clarifying"); // the production itself is fine
    const dms = h.slack.callsTo("chat.postMessage").filter((c) => c.args.channel === OWNER);
    expect(dms).toHaveLength(1); // one notice, not one per event
    const text = blockText(dms[0]!.args.blocks);
    expect(text).toMatch(/Careless reel/);
    expect(text).toMatch(/not_in_channel/);
    expect(text).toMatch(/\/invite @Greenlight/);

    // Still not invited: Post it now says so.
    const repost = buttons(dms[0]!.args.blocks).get("Post it now")!;
    const fromDm = () => ({ ...clickBody(repost, { ts: "9.000001" }), channel: { id: "D0OWNERDM" } });
    await interaction(h, fromDm());
    await h.settle();
    expect(lastEphemeralText()).toMatch(/still cannot post/);

    // Invited: the root card and the questions arrive, in the channel and its thread, once.
    h.slack.refuseChannel(CHANNEL, null);
    await interaction(h, fromDm());
    await h.settle();
    const inChannel = h.slack.callsTo("chat.postMessage").filter((c) => c.args.channel === CHANNEL);
    const roots = inChannel.filter((c) => !c.args.thread_ts);
    expect(roots).toHaveLength(1);
    const rootTs = h.slack.postTs[h.slack.callsTo("chat.postMessage").indexOf(roots[0]!)];
    const questions = inChannel.filter((c) => /questions to answer/.test(String(c.args.text)));
    expect(questions).toHaveLength(1);
    expect(questions[0]!.args.thread_ts).toBe(rootTs);
  });

  it("a channel that refused the bot is posted in after a restart, once the bot was invited", async () => {
    h.slack.refuseChannel(CHANNEL, "channel_not_found");
    await slash(h, "/vrd", BRIEF_YAML);
    await h.settle();
    h.slack.refuseChannel(CHANNEL, null);
    await h.close({ keepSlack: true });
    sharedSlack = h.slack;
    await start({ slack: sharedSlack });
    await h.settle();
    const inChannel = h.slack.callsTo("chat.postMessage").filter((c) => c.args.channel === CHANNEL);
    expect(inChannel.filter((c) => !c.args.thread_ts)).toHaveLength(1);
    expect(inChannel.filter((c) => /questions to answer/.test(String(c.args.text)))).toHaveLength(1);
  });

  it("a 429 with Retry-After on chat.postMessage is waited out and the message still arrives once", async () => {
    await h.close();
    await start({ clientOptions: { retryConfig: { retries: 2, factor: 1, minTimeout: 10 } } });
    h.slack.rateLimitNext("chat.postMessage", 1);
    await slash(h, "/vrd", BRIEF_YAML);
    await h.settle();
    expect(h.slack.callsTo("chat.postMessage (429)")).toHaveLength(1);
    const roots = h.slack.callsTo("chat.postMessage").filter((c) => !c.args.thread_ts);
    expect(roots).toHaveLength(1);
  });

  it("App Home for someone with no productions says so", async () => {
    await postSigned(
      h,
      eventBody({ type: "app_home_opened", user: OWNER, channel: "D1", tab: "home" }, "EvHome0"),
      "application/json",
    );
    await h.settle();
    const published = h.slack.callsTo("views.publish");
    expect(published).toHaveLength(1);
    expect(blockText(published[0]!.args.view.blocks)).toMatch(/no productions|\/vrd/i);
  });
});

describe("restart", () => {
  it("a new bot and service on the same database update the same messages and post nothing twice", async () => {
    await slash(h, "/vrd", BRIEF_YAML);
    await h.settle();
    const slack = h.slack;
    const postsBefore = slack.callsTo("chat.postMessage").length;
    const questions = lastPost(slack, /questions before the script/);
    // Stop everything, start again on the same database and the same Slack.
    await h.close({ keepSlack: true });
    sharedSlack = slack;
    await start({ slack });
    expect(slack.callsTo("chat.postMessage")).toHaveLength(postsBefore);
    if (questions) await clickOn("Skip — use defaults", /questions/);
    const script = lastPost(slack, /Script v1/);
    expect(script).toBeDefined();
    await clickOn("Approve", /Script v1/);
    const texts = slack.callsTo("chat.postMessage").map((c) => String(c.args.text));
    expect(new Set(texts).size).toBe(texts.length);
    const rootTs = slack.postTs[0]!;
    // The root card was updated in place, not posted again.
    expect(slack.callsTo("chat.update").some((c) => c.args.ts === rootTs)).toBe(true);
    expect(slack.callsTo("chat.postMessage").filter((c) => !c.args.thread_ts)).toHaveLength(1);
  });

  it("a stop while a stage runs: after the restart the script is posted in the same thread, once", async () => {
    await slash(h, "/vrd", BRIEF_YAML);
    await h.settle();
    const slack = h.slack;
    const skip = lastPost(slack, /questions before the script/)!;
    const id = buttons(skip.args.blocks).get("Skip — use defaults")!;
    // Acknowledged, then the process stops before the stage's events reach the thread.
    await interaction(h, clickBody(id, { ts: tsOf(skip), thread_ts: skip.args.thread_ts }));
    await h.close({ keepSlack: true });
    sharedSlack = slack;
    const p = (await h.service.list())[0]!;
    expect(lastPost(slack, /Script v1/)).toBeUndefined();
    await start({ slack });
    await h.settle();
    const script = slack.callsTo("chat.postMessage").filter((c) => /Script v1/.test(String(c.args.text)));
    expect(script).toHaveLength(1);
    expect(script[0]!.args.thread_ts).toBe(slack.postTs[0]);
    expect((await h.service.get(p.id)).stage).toBe("script_review");
    expect(slack.callsTo("chat.postMessage").filter((c) => !c.args.thread_ts)).toHaveLength(1);
  });
});
