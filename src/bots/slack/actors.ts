/**
 * Who clicked: the production service's Actor for a Slack user. Workspace admins and owners (users.info
 * is_admin / is_owner) are privileged; the display name is what Slack shows for them. Answers are kept
 * a few minutes so a burst of clicks costs one users.info call.
 */
import type { WebClient } from "@slack/web-api";
import type { Actor } from "../../production/contract.js";

interface UsersInfo {
  user?: {
    name?: string;
    real_name?: string;
    is_admin?: boolean;
    is_owner?: boolean;
    profile?: { display_name?: string; real_name?: string };
  };
}

const CACHE_MS = 5 * 60_000;

export class SlackActors {
  private readonly cache = new Map<string, { actor: Promise<Actor>; at: number }>();

  constructor(private readonly client: WebClient) {}

  actor(userId: string, workspaceId: string): Promise<Actor> {
    const key = `${workspaceId}:${userId}`;
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.actor;
    const actor = this.lookUp(userId, workspaceId);
    this.cache.set(key, { actor, at: Date.now() });
    // A failed look-up is not remembered.
    actor.catch(() => this.cache.delete(key));
    return actor;
  }

  private async lookUp(userId: string, workspaceId: string): Promise<Actor> {
    const info = (await this.client.users.info({ user: userId })) as UsersInfo;
    const u = info.user ?? {};
    const name = u.profile?.display_name?.trim() || u.profile?.real_name?.trim() || u.real_name || u.name;
    return {
      platform: "slack",
      user_id: userId,
      workspace_id: workspaceId,
      privileged: Boolean(u.is_admin || u.is_owner),
      ...(name ? { display_name: name } : {}),
    };
  }
}
