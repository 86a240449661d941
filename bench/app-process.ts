/**
 * The app under a bench, in a process of its own (bench/app-child.ts), started the way `npm start`
 * starts it: Node with the package's flags and the tsx loader. Its memory and its event loop are then
 * the service's alone — the bench's clients and fake servers run in the bench's process.
 */
import { fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { AppMemory, AppMessage, AppProcessArgs } from "./app-child.js";

export type { AppMemory, AppProcessArgs } from "./app-child.js";

/** Node flags the app runs with: those of `npm start` (package.json), unless BENCH_APP_NODE_ARGS says otherwise. */
export function appNodeArgs(): string[] {
  if (process.env.BENCH_APP_NODE_ARGS !== undefined)
    return process.env.BENCH_APP_NODE_ARGS.split(" ").filter(Boolean);
  const start: string = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).scripts
    .start;
  return start.split(" ").filter((arg) => arg.startsWith("--") && arg !== "--import");
}

/** The app in its own process (bench/app-child.ts). */
export interface AppProcess {
  url: string;
  /** Memory once the API listens (database open and migrated), before any production. */
  started: AppMemory;
  memory(): Promise<AppMemory>;
  /** Stops the app and its process; its memory at the end (peak_rss_mb covers the whole run). */
  stop(): Promise<AppMemory>;
}

export async function startAppProcess(args: AppProcessArgs): Promise<AppProcess> {
  const child = fork(join(import.meta.dirname, "app-child.ts"), [JSON.stringify(args)], {
    cwd: join(import.meta.dirname, ".."),
    // The app runs as `npm start` runs it; BENCH_APP_NODE_ARGS replaces the node flags to compare.
    execArgv: [...appNodeArgs(), "--import", "tsx"],
    env: { PATH: process.env.PATH ?? "" },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  /** The next message of `type`, or an error when the process exits first. */
  const next = <T extends AppMessage["type"]>(type: T) =>
    new Promise<Extract<AppMessage, { type: T }>>((resolve, reject) => {
      const onMessage = (message: AppMessage) => {
        if (message.type === "failed") reject(new Error(`the app did not start: ${message.message}`));
        else if (message.type === type) resolve(message as Extract<AppMessage, { type: T }>);
        else return;
        child.off("message", onMessage);
      };
      child.on("message", onMessage);
      void exited.then((code) => reject(new Error(`the app process exited (code ${code})`)));
    });
  try {
    const ready = await next("ready");
    return {
      url: ready.url,
      started: ready.memory,
      async memory() {
        const answer = next("memory");
        child.send({ type: "memory" });
        return (await answer).memory;
      },
      async stop() {
        const answer = next("stopped");
        child.send({ type: "stop" });
        const { memory } = await answer;
        await exited;
        return memory;
      },
    };
  } catch (err) {
    child.kill();
    throw err;
  }
}
