/**
 * The app under a bench, in a process of its own so its memory and event loop are measured without the
 * bench's clients and fake servers. Started by bench/app-process.ts with `fork` (tsx loader), it takes
 * its AppProcessArgs as JSON in argv[2] and talks over IPC:
 *
 * - child → parent `{ type: "ready", url, memory }` once the API listens (database open and migrated);
 * - parent → child `{ type: "memory" }` → `{ type: "memory", memory }`;
 * - parent → child `{ type: "stop" }` → the app stops, `{ type: "stopped", memory }`, then the process exits.
 *
 * A start-up failure is reported as `{ type: "failed", message }` and exits 1.
 */
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";
import { type AppHandle, OPTIONAL_SURFACES, startApp } from "../src/main.js";

export interface AppProcessArgs {
  /** The app's whole configuration (the bench's own environment is not passed on). */
  env: Record<string, string>;
  /** Generation stages running at once (default: the service's). */
  concurrency?: number;
  /** Names of the optional surfaces to start, e.g. ["Slack"] (default: none — the REST API only). */
  surfaces?: string[];
}

/** Memory of the app process, in MB. */
export interface AppMemory {
  /** process.resourceUsage().maxRSS: the highest RSS since the process started. */
  peak_rss_mb: number;
  rss_mb: number;
  heap_used_mb: number;
  /** Sampled every 50 ms since start: the JS heap's and the off-heap (external, PGlite's WASM memory included) highs. */
  peak_heap_used_mb: number;
  peak_external_mb: number;
  external_mb: number;
}

export type AppMessage =
  | { type: "ready"; url: string; memory: AppMemory }
  | { type: "memory"; memory: AppMemory }
  | { type: "stopped"; memory: AppMemory }
  | { type: "failed"; message: string };

const MB = 1024 * 1024;
const mb = (bytes: number) => Math.round(bytes / MB);

let peakHeapUsed = 0;
let peakExternal = 0;
const sample = () => {
  const m = process.memoryUsage();
  peakHeapUsed = Math.max(peakHeapUsed, m.heapUsed);
  peakExternal = Math.max(peakExternal, m.external);
  return m;
};
setInterval(sample, 50).unref();

function memory(): AppMemory {
  const m = sample();
  return {
    peak_rss_mb: mb(process.resourceUsage().maxRSS * 1024),
    rss_mb: mb(m.rss),
    heap_used_mb: mb(m.heapUsed),
    peak_heap_used_mb: mb(peakHeapUsed),
    peak_external_mb: mb(peakExternal),
    external_mb: mb(m.external),
  };
}

function send(message: AppMessage): Promise<void> {
  return new Promise((resolve) => process.send!(message, () => resolve()));
}

async function main(): Promise<void> {
  if (!process.send) throw new Error("bench/app-child.ts runs under bench/app-process.ts (fork, IPC)");
  const args = JSON.parse(process.argv[2] ?? "{}") as AppProcessArgs;
  let app: AppHandle;
  try {
    app = await startApp(loadConfig(args.env), {
      logger: createLogger(args.env.LOG_LEVEL ?? "warn", process.stderr),
      surfaces: OPTIONAL_SURFACES.filter((s) => args.surfaces?.includes(s.name)),
      ...(args.concurrency ? { concurrency: args.concurrency } : {}),
    });
  } catch (err) {
    await send({ type: "failed", message: err instanceof Error ? err.message : String(err) });
    process.exit(1);
  }
  process.on("message", async (message: { type?: string }) => {
    if (message.type === "memory") await send({ type: "memory", memory: memory() });
    if (message.type === "stop") {
      await app.stop();
      await send({ type: "stopped", memory: memory() });
      process.exit(0);
    }
  });
  // The bench went away without asking: do not linger.
  process.on("disconnect", () => void app.stop().then(() => process.exit(0)));
  await send({ type: "ready", url: app.url, memory: memory() });
}

void main();
