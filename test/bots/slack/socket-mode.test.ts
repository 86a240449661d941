import { afterEach, describe, expect, it } from "vitest";
import { createSlackBot, type SlackBot } from "../../../src/bots/slack/index.js";
import { createProductionService } from "../../../src/production/index.js";
import { FAKE_TEAM, type FakeSlack, startFakeSlack } from "../../fakes/slack.js";
import { useTestDb } from "../../support/db.js";
import { blockText, CHANNEL, OWNER, waitFor } from "./harness.js";

const db = useTestDb();
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

describe("Socket Mode", () => {
  it("opens the connection through apps.connections.open on SLACK_API_URL and handles a slash command envelope", async () => {
    const slack: FakeSlack = await startFakeSlack();
    closers.push(() => slack.close());
    const { service, runner } = createProductionService({ db: db(), llm: null, sweepIntervalMs: 0 });
    closers.push(() => runner.stop());
    const bot: SlackBot = createSlackBot({
      botToken: "xoxb-test",
      appToken: "xapp-test",
      apiUrl: slack.apiUrl,
      db: db(),
      service,
      postIntervalMs: 0,
      clientOptions: { retryConfig: { retries: 0 } },
    });
    await bot.start();
    closers.push(() => bot.stop());

    const open = slack.callsTo("apps.connections.open");
    expect(open).toHaveLength(1);
    expect(open[0]!.token).toBe("xapp-test");
    expect(slack.socketConnections).toBe(1);

    const ack = await slack.sendEnvelope("slash_commands", {
      token: "verification-token",
      team_id: FAKE_TEAM.id,
      team_domain: FAKE_TEAM.domain,
      channel_id: CHANNEL,
      user_id: OWNER,
      command: "/vrd",
      text: "title: Socket reel\nobjective: Sign-ups\nduration_seconds: 15\nplatform: tiktok\nkey_messages: [Fast]",
      trigger_id: "socket.trigger.1",
      api_app_id: "A0APP",
      response_url: "https://hooks.slack.invalid/commands/1",
    });
    expect(ack).toEqual({});

    const root = await waitFor(() => slack.callsTo("chat.postMessage")[0]);
    expect(root.token).toBe("xoxb-test");
    expect(root.args.channel).toBe(CHANNEL);
    expect(blockText(root.args.blocks)).toContain("Socket reel");
    expect((await service.list())[0]?.origin).toMatchObject({
      platform: "slack",
      channel_id: CHANNEL,
      user_id: OWNER,
    });
  });
});
