/** A small server-sent-events reader over fetch, for tests and the bench (real HTTP on loopback). */

export interface SseEvent {
  id: string | undefined;
  event: string;
  /** The data lines joined with "\n". */
  data: string;
}

export interface SseReadResult {
  status: number;
  headers: Headers;
  events: SseEvent[];
  /** Heartbeat comments seen (lines starting with ":"). */
  comments: number;
}

/** Parse one frame (the text between blank lines); comments-only frames return null. */
function parseFrame(frame: string, onComment: () => void): SseEvent | null {
  let id: string | undefined;
  let event = "message";
  const data: string[] = [];
  for (const line of frame.split("\n")) {
    if (line.startsWith(":")) {
      onComment();
      continue;
    }
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "id") id = value;
    else if (field === "event") event = value;
    else if (field === "data") data.push(value);
  }
  return data.length === 0 && id === undefined ? null : { id, event, data: data.join("\n") };
}

/**
 * Read an SSE response to its end (or until `stop` says so, or `timeoutMs`), collecting events.
 * `onEvent` runs for each event as it arrives (e.g. to approve a stage while the stream stays open).
 */
export async function readSse(
  url: string,
  init: RequestInit = {},
  options: {
    stop?: (event: SseEvent) => boolean;
    onEvent?: (event: SseEvent) => void | Promise<void>;
    timeoutMs?: number;
  } = {},
): Promise<SseReadResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 15_000);
  const events: SseEvent[] = [];
  let comments = 0;
  try {
    const response = await fetch(url, { ...init, signal: controller.signal });
    const result = () => ({ status: response.status, headers: response.headers, events, comments });
    if (!response.body || !response.headers.get("content-type")?.startsWith("text/event-stream")) {
      await response.text();
      return result();
    }
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value.replace(/\r\n/g, "\n");
      let end = buffer.indexOf("\n\n");
      while (end !== -1) {
        const frame = parseFrame(buffer.slice(0, end), () => {
          comments += 1;
        });
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf("\n\n");
        if (!frame) continue;
        events.push(frame);
        await options.onEvent?.(frame);
        if (options.stop?.(frame)) {
          controller.abort();
          return result();
        }
      }
    }
    return result();
  } catch (err) {
    if (controller.signal.aborted && (err as Error).name === "AbortError")
      throw new Error(`SSE read of ${url} timed out after ${events.length} event(s)`);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

export const dataOf = <T = Record<string, unknown>>(event: SseEvent): T => JSON.parse(event.data) as T;
