import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { NEW_VRD_SHORTCUT } from "../../../src/bots/slack/listeners/shortcuts/index.js";
import { FAKE_TEAM } from "../../fakes/slack.js";
import { useTestDb } from "../../support/db.js";
import {
  blockText,
  CHANNEL,
  type Harness,
  interaction,
  newTrigger,
  OWNER,
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

/** What Slack sends when someone picks a global shortcut. */
const shortcutBody = (callbackId: string) => ({
  type: "shortcut",
  token: "verification-token",
  action_ts: `${Math.floor(Date.now() / 1000)}.000001`,
  team: { id: FAKE_TEAM.id, domain: FAKE_TEAM.domain },
  user: { id: OWNER, username: "owner", team_id: FAKE_TEAM.id },
  callback_id: callbackId,
  trigger_id: newTrigger(),
});

const BRIEF = {
  title: "Shortcut reel",
  objective: "Sign-ups",
  duration_seconds: "15",
  platform: { option: "tiktok" },
  key_messages: "Fast",
};

/** A conversations_select answer as Slack puts it in view.state. */
const picked = (channel: string | null) => ({
  channel: { channel: { type: "conversations_select", selected_conversation: channel } },
});

async function openFromShortcut() {
  const res = await interaction(h, shortcutBody("new_vrd"));
  expect(res.status).toBe(200);
  await h.bot.idle();
  const open = h.slack.callsTo("views.open").at(-1)!;
  expect(open.args.trigger_id).toBeTruthy();
  return open.args.view;
}

describe('the "New video brief" global shortcut', () => {
  it("opens the /vrd form with a channel picker first, and runs the production in the picked channel", async () => {
    const view = await openFromShortcut();
    const ids = view.blocks.map((b: { block_id: string }) => b.block_id);
    expect(ids[0]).toBe("channel");
    expect(ids).toEqual(expect.arrayContaining(["title", "objective", "duration_seconds", "key_messages"]));
    const picker = view.blocks[0];
    expect(picker.element.type).toBe("conversations_select");
    expect(picker.element.default_to_current_conversation).toBe(true);
    expect(picker.optional).toBe(false);

    const body = submissionBody(view, BRIEF);
    Object.assign(body.view.state.values, picked(CHANNEL));
    const res = await interaction(h, body);
    expect(res.body).toBe("");
    await h.settle();
    const [p] = await h.service.list();
    expect(p?.origin.channel_id).toBe(CHANNEL);
    const root = h.slack.callsTo("chat.postMessage")[0]!;
    expect(root.args.channel).toBe(CHANNEL);
    expect(blockText(root.args.blocks)).toContain("Shortcut reel");
  });

  it("starts from a failed paste, and empty again once a brief went through", async () => {
    await slash(h, "/vrd", "title: Half a brief\nduration_seconds: 15");
    await h.settle();
    const prefilled = await openFromShortcut();
    expect(JSON.stringify(prefilled.blocks)).toContain("Half a brief");

    const body = submissionBody(prefilled, BRIEF);
    Object.assign(body.view.state.values, picked(CHANNEL));
    await interaction(h, body);
    await h.settle();
    expect(await h.service.list()).toHaveLength(1);

    const fresh = await openFromShortcut();
    expect(JSON.stringify(fresh.blocks)).not.toContain("Half a brief");
  });

  it("is in the app manifest with the callback id the listener answers", () => {
    const manifest = parseYaml(readFileSync("slack-app-manifest.yaml", "utf8"));
    expect(manifest.features.shortcuts).toContainEqual(
      expect.objectContaining({ type: "global", callback_id: NEW_VRD_SHORTCUT, name: "New video brief" }),
    );
  });

  it("asks for the channel inline when none was picked, keeping what was typed", async () => {
    const view = await openFromShortcut();
    const body = submissionBody(view, BRIEF);
    Object.assign(body.view.state.values, picked(null));
    const res = await interaction(h, body);
    const answer = JSON.parse(res.body);
    expect(answer.response_action).toBe("errors");
    expect(Object.keys(answer.errors)).toEqual(["channel"]);
    await h.settle();
    expect(await h.service.list()).toHaveLength(0);
  });

  it("names the channel and the brief's own problems together", async () => {
    const view = await openFromShortcut();
    const body = submissionBody(view, { ...BRIEF, duration_seconds: "abc" });
    Object.assign(body.view.state.values, picked(null));
    const answer = JSON.parse((await interaction(h, body)).body);
    expect(Object.keys(answer.errors).sort()).toEqual(["channel", "duration_seconds"]);
  });
});
