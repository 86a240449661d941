/** App Home: the person's productions with their state and links to their threads (views.publish). */
import { homeView } from "../../../core/home-view.js";
import type { SlackContext } from "../../context.js";
import { renderSlackHome } from "../../render.js";
import { rootMessages } from "../../store.js";

/** A thread's archive link: https://team.slack.com/archives/C123/p1700000000123456. */
export function threadLink(teamUrl: string, channel: string, ts: string): string {
  return `${teamUrl.replace(/\/?$/, "/")}archives/${channel}/p${ts.replace(".", "")}`;
}

export async function publishHome(ctx: SlackContext, user: string, team: string): Promise<void> {
  const productions = await ctx.service.list({
    platform: "slack",
    ...(team ? { workspace_id: team } : {}),
    owner_id: user,
    limit: 50,
  });
  const roots = await rootMessages(
    ctx.db,
    productions.map((p) => p.id),
  );
  const teamUrl = await ctx.teamUrl();
  const view = homeView(productions, {
    linkFor: (p) => {
      const root = roots.get(p.id);
      return root && teamUrl ? threadLink(teamUrl, root.channel, root.ts) : undefined;
    },
  });
  await ctx.client.views.publish({ user_id: user, view: renderSlackHome(view) });
}
