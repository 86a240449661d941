import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/**
 * Loopback stand-ins for the video providers' task APIs (shapes as in the seed's tools[].api):
 * Runway (POST /v1/text_to_video|image_to_video, GET /v1/tasks/{id}), Luma (POST
 * /dream-machine/v1/generations/video, GET /dream-machine/v1/generations/{id}), fal's queue
 * (POST /{endpoint}, GET …/requests/{id}/status, GET …/requests/{id}) and Replicate
 * (POST /v1/models/{owner}/{name}/predictions, GET /v1/predictions/{id}).
 * A task finishes after `pollsToFinish` polls; `outcome` decides whether it succeeds or fails.
 */

export type FakeProviderKind = "runway" | "luma" | "fal" | "replicate";

export interface FakeCreate {
  path: string;
  body: Record<string, unknown>;
  headers: IncomingMessage["headers"];
}

export interface FakePoll {
  taskId: string;
  /** performance.now() when the poll arrived. */
  at: number;
}

export type FakeOutcome = { ok: true } | { ok: false; reason: string };

export interface FakeProviderOptions {
  /** Polls (status reads) before a task is finished. Default 2. */
  pollsToFinish?: number;
  /** Per created task (its prompt): succeed, or fail with a reason. Default: succeed. */
  outcome?: (prompt: string) => FakeOutcome;
  /** Answer creates with this HTTP status instead (e.g. 401, 429). */
  createStatus?: number;
}

export interface FakeProvider {
  url: string;
  creates: FakeCreate[];
  polls: FakePoll[];
  close(): Promise<void>;
}

interface Task {
  id: string;
  prompt: string;
  polls: number;
  outcome: FakeOutcome;
  app: string;
}

export async function startFakeProvider(
  kind: FakeProviderKind,
  options: FakeProviderOptions = {},
): Promise<FakeProvider> {
  const creates: FakeCreate[] = [];
  const polls: FakePoll[] = [];
  const tasks = new Map<string, Task>();
  const sockets = new Set<Socket>();
  const pollsToFinish = options.pollsToFinish ?? 2;
  let url = "";

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };

  const create = (req: IncomingMessage, path: string, body: Record<string, unknown>, app = ""): Task => {
    creates.push({ path, body, headers: req.headers });
    const input = (body.input as Record<string, unknown> | undefined) ?? body;
    const prompt = String(input.promptText ?? input.prompt ?? "");
    const task: Task = {
      id: randomUUID(),
      prompt,
      polls: 0,
      outcome: options.outcome?.(prompt) ?? { ok: true },
      app,
    };
    tasks.set(task.id, task);
    return task;
  };

  /** Counts a poll; true once the task is finished. */
  const poll = (task: Task): boolean => {
    polls.push({ taskId: task.id, at: performance.now() });
    task.polls += 1;
    return task.polls >= pollsToFinish;
  };

  const video = (task: Task) => `${url}/videos/${task.id}.mp4`;

  const handlers: Record<
    FakeProviderKind,
    (req: IncomingMessage, res: ServerResponse, path: string, body: Record<string, unknown>) => void
  > = {
    runway(req, res, path, body) {
      if (req.method === "POST" && (path === "/v1/text_to_video" || path === "/v1/image_to_video"))
        return send(res, 200, { id: create(req, path, body).id });
      const task = tasks.get(path.replace("/v1/tasks/", ""));
      if (req.method !== "GET" || !path.startsWith("/v1/tasks/") || !task)
        return send(res, 404, { error: "not found" });
      if (!poll(task))
        return send(res, 200, {
          id: task.id,
          status: task.polls === 1 ? "PENDING" : "RUNNING",
          progress: 0.5,
        });
      return send(
        res,
        200,
        task.outcome.ok
          ? { id: task.id, status: "SUCCEEDED", output: [video(task)] }
          : { id: task.id, status: "FAILED", failure: task.outcome.reason, failureCode: "SAFETY.INPUT.TEXT" },
      );
    },
    luma(req, res, path, body) {
      if (req.method === "POST" && path === "/dream-machine/v1/generations/video")
        return send(res, 201, { id: create(req, path, body).id, state: "queued" });
      const task = tasks.get(path.replace("/dream-machine/v1/generations/", ""));
      if (req.method !== "GET" || !task) return send(res, 404, { detail: "not found" });
      if (!poll(task)) return send(res, 200, { id: task.id, state: "dreaming", assets: null });
      return send(
        res,
        200,
        task.outcome.ok
          ? { id: task.id, state: "completed", assets: { video: video(task) }, failure_reason: null }
          : { id: task.id, state: "failed", assets: null, failure_reason: task.outcome.reason },
      );
    },
    fal(req, res, path, body) {
      const match = /^\/(.+?)\/requests\/([^/]+)(\/status)?$/.exec(path);
      if (req.method === "POST" && !match) {
        const app = path.slice(1).split("/").slice(0, 2).join("/");
        const task = create(req, path, body, app);
        const base = `${url}/${app}/requests/${task.id}`;
        return send(res, 200, {
          request_id: task.id,
          status_url: `${base}/status`,
          response_url: base,
          queue_position: 0,
        });
      }
      const task = match ? tasks.get(match[2] ?? "") : undefined;
      if (req.method !== "GET" || !match || !task) return send(res, 404, { detail: "not found" });
      if (match[3]) {
        if (!poll(task))
          return send(res, 200, { status: task.polls === 1 ? "IN_QUEUE" : "IN_PROGRESS", queue_position: 0 });
        return send(res, 200, { status: "COMPLETED" });
      }
      if (task.polls < pollsToFinish) return send(res, 400, { detail: "request is still in progress" });
      return task.outcome.ok
        ? send(res, 200, { video: { url: video(task) } })
        : send(res, 422, { detail: task.outcome.reason });
    },
    replicate(req, res, path, body) {
      if (
        req.method === "POST" &&
        (/^\/v1\/models\/[^/]+\/[^/]+\/predictions$/.test(path) || path === "/v1/predictions")
      )
        return send(res, 201, { id: create(req, path, body).id, status: "starting" });
      const task = tasks.get(path.replace("/v1/predictions/", ""));
      if (req.method !== "GET" || !task) return send(res, 404, { detail: "not found" });
      if (!poll(task))
        return send(res, 200, { id: task.id, status: "processing", output: null, error: null });
      return send(
        res,
        200,
        task.outcome.ok
          ? { id: task.id, status: "succeeded", output: [video(task)], error: null }
          : { id: task.id, status: "failed", output: null, error: task.outcome.reason },
      );
    },
  };

  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => {
      raw += chunk;
    });
    req.on("end", () => {
      const path = new URL(req.url ?? "/", "http://fake").pathname;
      if (req.method === "POST" && options.createStatus)
        return send(res, options.createStatus, { error: "refused by the fake" });
      let body: Record<string, unknown> = {};
      try {
        body = raw ? JSON.parse(raw) : {};
      } catch {
        return send(res, 400, { error: "body is not JSON" });
      }
      handlers[kind](req, res, path, body);
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    creates,
    polls,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Gaps in ms between successive polls of each task. */
export function pollGaps(polls: readonly FakePoll[]): number[] {
  const byTask = new Map<string, number[]>();
  for (const p of polls) byTask.set(p.taskId, [...(byTask.get(p.taskId) ?? []), p.at]);
  return [...byTask.values()].flatMap((times) => times.slice(1).map((t, i) => t - (times[i] as number)));
}
