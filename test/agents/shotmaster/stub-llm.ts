import type { z } from "zod";
import type { LlmRequest, LlmResult, StructuredLlm } from "../../../src/agents/llm.js";
import type { ShotWritingReply } from "../../../src/agents/shotmaster/llm.js";

/** One planned shot as the model sees it in the request. */
export interface BriefShot {
  id: string;
  duration_s: number;
  size: string;
  must_quote: string[];
}

/** The shots a shot-words request asks for, read back from its JSON user message. */
export function requestedShots(user: string): BriefShot[] {
  const payload = JSON.parse(user) as { beats?: Array<{ shots: BriefShot[] }>; shots?: BriefShot[] };
  return payload.beats ? payload.beats.flatMap((b) => b.shots) : (payload.shots ?? []);
}

/** A well-behaved model reply: quotes every bible string, keeps the given seconds. */
export function goodReply(shots: BriefShot[]): ShotWritingReply {
  return {
    shots: shots.map((s) => ({
      id: s.id,
      duration_s: s.duration_s,
      description: `Model description of ${s.id}.`,
      frame_description: `Model frame of ${s.id}.`,
      composition: "Subject on the left third.",
      prompt: `${s.size} for ${s.id}, 9:16. ${s.must_quote.join(". ")}. Soft light.`,
      negative_prompt: "cartoon",
    })),
  };
}

/** An in-test StructuredLlm: answers with `reply(shots, callIndex)` after `delayMs`, records calls. */
export function stubLlm(
  reply: (shots: BriefShot[], call: number) => ShotWritingReply | Error,
  delayMs = 0,
): StructuredLlm & { calls: Array<{ name: string; user: string }>; maxInFlight: number } {
  let inFlight = 0;
  const stub = {
    model: "stub-model",
    calls: [] as Array<{ name: string; user: string }>,
    maxInFlight: 0,
    async generate<S extends z.ZodType>(request: LlmRequest<S>): Promise<LlmResult<z.output<S>>> {
      const call = stub.calls.length;
      stub.calls.push({ name: request.name, user: request.user });
      inFlight++;
      stub.maxInFlight = Math.max(stub.maxInFlight, inFlight);
      try {
        if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
        const answer = reply(requestedShots(request.user), call);
        if (answer instanceof Error) throw answer;
        return {
          data: request.schema.parse(answer) as z.output<S>,
          usage: { calls: 1, input_tokens: 100, output_tokens: 50, total_tokens: 150 },
        };
      } finally {
        inFlight--;
      }
    },
  };
  return stub;
}
