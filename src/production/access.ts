/**
 * Who may act on a production: its owner, a privileged member of its workspace (Slack admin, Discord
 * Manage Messages, as the platform reported), or a member a workspace admin allowed. API and CLI
 * actors count as privileged only when the caller says so (an API key holder, the operator).
 */
import type { Queryable } from "../db/db.js";
import { ForbiddenError, ValidationError } from "../domain/errors.js";
import type { Production } from "../domain/production.js";
import type { Actor } from "./contract.js";

/** How an actor is named in events and messages: the display name the platform gave, else the id. */
export const actorName = (actor: Actor): string => actor.display_name?.trim() || actor.user_id;

/** Where the actor sits relative to the production's workspace. */
function sameWorkspace(actor: Actor, production: Production): boolean {
  return (
    actor.platform === production.origin.platform &&
    (actor.workspace_id ?? null) === (production.origin.workspace_id ?? null)
  );
}

export async function assertMayAct(
  db: Queryable,
  production: Production,
  actor: Actor,
  action: string,
): Promise<void> {
  const owner = production.owner_id === actor.user_id && actor.platform === production.origin.platform;
  if (owner) return;
  if (actor.privileged && (sameWorkspace(actor, production) || isOperator(actor))) return;
  if (sameWorkspace(actor, production) && (await isAllowed(db, production, actor.user_id))) return;
  throw new ForbiddenError(
    `Only ${ownerName(production)} or someone they allowed can ${action} this production. ` +
      "A workspace admin can allow more people.",
    { owner_id: production.owner_id, action },
  );
}

/** An API key holder or the CLI operator: not tied to a chat workspace. */
const isOperator = (actor: Actor) => actor.platform === "api" || actor.platform === "cli";

function ownerName(production: Production): string {
  const platform = production.origin.platform;
  // Both chat platforms render <@id> as a mention of the user.
  return platform === "slack" || platform === "discord" ? `<@${production.owner_id}>` : production.owner_id;
}

async function isAllowed(db: Queryable, production: Production, userId: string): Promise<boolean> {
  const { rows } = await db.query(
    "SELECT 1 FROM production_approvers WHERE platform = $1 AND workspace_id = $2 AND user_id = $3",
    [production.origin.platform, production.origin.workspace_id ?? "", userId],
  );
  return rows.length > 0;
}

function assertAdmin(by: Actor, workspaceId: string, what: string): void {
  if (!by.privileged)
    throw new ForbiddenError(`Only a workspace admin can ${what} who may approve productions.`);
  if (!isOperator(by) && (by.workspace_id ?? "") !== workspaceId)
    throw new ForbiddenError(`You can ${what} approvers only in your own workspace.`);
}

function checkIds(workspaceId: string, userId: string): void {
  const problems = [
    ...(workspaceId.trim() ? [] : [{ field: "workspace_id", message: "must not be empty" }]),
    ...(userId.trim() ? [] : [{ field: "user_id", message: "must not be empty" }]),
  ];
  if (problems.length > 0) throw new ValidationError(problems, "approver");
}

/**
 * Lets `userId` act on every production of the workspace; `by` must be a privileged member of it (or
 * a privileged API/CLI operator, who names the `platform`).
 */
export async function allowApprover(
  db: Queryable,
  workspaceId: string,
  userId: string,
  by: Actor,
  platform: Actor["platform"] = by.platform,
): Promise<void> {
  checkIds(workspaceId, userId);
  assertAdmin(by, workspaceId, "change");
  await db.query(
    `INSERT INTO production_approvers (platform, workspace_id, user_id, allowed_by) VALUES ($1, $2, $3, $4)
     ON CONFLICT (platform, workspace_id, user_id) DO UPDATE SET allowed_by = EXCLUDED.allowed_by`,
    [platform, workspaceId, userId, by.user_id],
  );
}

/** Undoes allowApprover; true when the member had been allowed. */
export async function revokeApprover(
  db: Queryable,
  workspaceId: string,
  userId: string,
  by: Actor,
  platform: Actor["platform"] = by.platform,
): Promise<boolean> {
  checkIds(workspaceId, userId);
  assertAdmin(by, workspaceId, "change");
  const { rowCount } = await db.query(
    "DELETE FROM production_approvers WHERE platform = $1 AND workspace_id = $2 AND user_id = $3",
    [platform, workspaceId, userId],
  );
  return rowCount > 0;
}

/** The members allowed in a workspace, by user id. */
export async function listApprovers(
  db: Queryable,
  platform: Actor["platform"],
  workspaceId: string,
): Promise<{ user_id: string; allowed_by: string; created_at: string }[]> {
  const { rows } = await db.query<{ user_id: string; allowed_by: string; created_at: string }>(
    `SELECT user_id, allowed_by, created_at FROM production_approvers
     WHERE platform = $1 AND workspace_id = $2 ORDER BY created_at`,
    [platform, workspaceId],
  );
  return rows;
}
